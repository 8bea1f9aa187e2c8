"""The floor: the cheapest authenticated DRF endpoint, served by the same process as the API."""

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework_simplejwt.authentication import JWTStatelessUserAuthentication


class FloorView(APIView):
    """Checks the JWT's signature and expiry, runs no query, renders a tiny JSON body."""

    authentication_classes = [JWTStatelessUserAuthentication]
    permission_classes = [IsAuthenticated]

    @extend_schema(
        exclude=True,
        responses={200: inline_serializer("BenchFloor", {"ok": serializers.BooleanField()})},
    )
    def get(self, request: Request) -> Response:
        return Response({"ok": True})
