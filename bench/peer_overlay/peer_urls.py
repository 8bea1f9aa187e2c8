"""The peer's URLs plus a health check and a JWT-only floor view (see README.md here)."""

from django.http import HttpResponse
from django.urls import path
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework_simplejwt.authentication import JWTStatelessUserAuthentication

from config.urls import urlpatterns as peer_urlpatterns


class FloorView(APIView):
    """Check the JWT and answer a constant, as Tonearm's floor (bench/views.py): no query."""

    authentication_classes = [JWTStatelessUserAuthentication]
    permission_classes = [IsAuthenticated]

    def get(self, request):
        return Response({"ok": True})


def healthz(request):
    return HttpResponse("ok")


urlpatterns = [
    path("healthz", healthz),
    path("api/bench/floor/", FloorView.as_view()),
    *peer_urlpatterns,
]
