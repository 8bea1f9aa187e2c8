"""History pages and the stream's answer without DRF's per-field machinery (as
core/catalog/payloads.py does for track lists). A history page's entries are read as rows (one
plain statement on PostgreSQL, core/library/history_reads.py; `.values()` elsewhere), their
tracks' public payloads come kept or from two more queries (core/catalog/kept_pages.py), and each
entry is built following HistoryEntryOutputSerializer's own fields.
tests/library/test_fast_history.py and test_stream_payload.py hold both to the serializers' JSON
byte for byte."""

from collections.abc import Iterable
from functools import cache

from django.db import connection, models
from rest_framework import serializers

from core.catalog import kept_pages, payloads
from core.catalog.serializers import TrackOutputSerializer
from core.library import history_reads, selectors, stream
from core.library.models import HistoryEntry
from core.library.serializers import HistoryEntryOutputSerializer


def _track(row: dict, context: payloads.Context) -> dict | None:
    # A listen heard elsewhere and not matched to the catalog has no track.
    return None if row["track_id"] is None else context.tracks[row["track_id"]]


def _external(row: dict, context: payloads.Context) -> dict | None:
    if row["track_id"] is not None:
        return None
    return {"artist": row["artist"], "title": row["title"], "album": row["album"]}


def _entry_builder(name: str, field: serializers.Field):
    if name == "track" and type(field) is TrackOutputSerializer:
        return ("track_id",), _track
    if name == "play_id" and type(field) is serializers.IntegerField:
        return ("play_id",), lambda row, context: row["play_id"]
    if name == "external" and isinstance(field, serializers.SerializerMethodField):
        return ("track_id", "artist", "title", "album"), _external
    return None


@cache
def history_plan() -> payloads.Plan | None:
    """None when the history serializer (or the track list one) has a field not built here."""
    if payloads.track_plans() is None:
        return None
    return payloads.make_plan(HistoryEntryOutputSerializer(), HistoryEntry, _entry_builder)


def history_rows(*, user, **filters) -> history_reads.EntryRows | models.QuerySet | None:
    """`user`'s history (`filters` as selectors.play_history takes them) read as the rows the
    plan needs, in one plain statement on PostgreSQL (core/library/history_reads.py); None if
    the plan cannot build the page."""
    plan = history_plan()
    if plan is None:
        return None
    if connection.vendor == "postgresql":
        return history_reads.EntryRows(user=user, columns=plan.columns, **filters)
    plays = selectors.play_history(user=user, with_tracks=False, **filters)
    return plays.values(*plan.columns)


def history_payloads(rows: Iterable[dict], user) -> list[dict]:
    rows = list(rows)
    plan = history_plan()
    assert plan is not None, "history_rows gave rows, so the plan exists"
    track_ids = list({row["track_id"] for row in rows} - {None})
    by_id = kept_pages.public_tracks_by_id(track_ids, user)
    context = payloads.Context(genres={}, tracks=by_id)
    return [plan.build(row, context) for row in rows]


_TIME = serializers.DateTimeField()


def stream_payload(grant: stream.StreamGrant) -> dict:
    """StreamOutputSerializer's JSON of a grant, without building the serializer's fields on
    every stream (the hottest endpoint: they were about a tenth of its time). Times are
    formatted by DRF's own field; tests/library/test_stream_payload.py holds the two equal."""
    return {
        "url": str(grant.url),
        "expires_at": _TIME.to_representation(grant.expires_at),
        "content_type": str(grant.content_type),
        "size": int(grant.size),
        "duration": None if grant.duration is None else float(grant.duration),
        "play_id": int(grant.play_id),
        "quality": grant.quality,
    }
