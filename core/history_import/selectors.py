"""Reads of history imports and scrobble tokens: one's own only."""

from django.db.models import QuerySet

from core.api.errors import NotFound
from core.history_import.models import HistoryImport, ScrobbleToken


def import_list(*, user) -> QuerySet[HistoryImport]:
    return HistoryImport.objects.filter(user=user).order_by("-created_at", "-id")


def import_get(*, user, import_id: int) -> HistoryImport:
    job = import_list(user=user).filter(pk=import_id).first()
    if job is None:
        raise NotFound("Import not found.")
    return job


def token_list(*, user) -> QuerySet[ScrobbleToken]:
    return ScrobbleToken.objects.filter(user=user).order_by("-created_at", "-id")
