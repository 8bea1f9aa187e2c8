"""The floors: the cheapest authenticated DRF endpoints, served by the same process as the API."""

from django.db import connection
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


class FloorQueryView(FloorView):
    """The floor plus one trivial query (`SELECT 1`): the least an endpoint that touches the
    database pays, one round trip."""

    @extend_schema(
        exclude=True,
        responses={200: inline_serializer("BenchFloorQuery", {"ok": serializers.BooleanField()})},
    )
    def get(self, request: Request) -> Response:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        return Response({"ok": True})
