"""Permissions the API's views share."""

from rest_framework import permissions
from rest_framework.request import Request

from core.roles import can_upload


class IsUploader(permissions.BasePermission):
    """Uploaders (and staff): those who may upload and register tracks, and see their uploads."""

    message = "Only uploaders may upload and register tracks."

    def has_permission(self, request: Request, view) -> bool:
        return can_upload(request.user)
