"""savePlayQueue and getPlayQueue: resume on another device."""

from django.db.models import Prefetch  # noqa: F401

from core.library.scrobble import play_queue_get, play_queue_save
from core.subsonic import ids, payloads, queries
from core.subsonic.registry import Call, method


@method("savePlayQueue")
def save_play_queue(call: Call) -> dict:
    params = call.params
    track_ids = [ids.parse_kind(raw, "track") for raw in params.get_list("id")]
    current = params.get("current")
    play_queue_save(
        user=call.user,
        track_ids=track_ids,
        current_id=ids.parse_kind(current, "track") if current else None,
        position_ms=params.get_int("position", 0),
        client=call.client,
    )
    return {}


@method("getPlayQueue")
def get_play_queue(call: Call) -> dict:
    queue = play_queue_get(user=call.user)
    if queue is None or not queue.track_ids:
        return {}
    tracks = queries.songs(call.user).in_bulk(queue.track_ids)
    return {
        "playQueue": {
            "current": str(queue.current_track_id) if queue.current_track_id else None,
            "position": queue.position_ms,
            "username": call.user.username,
            "changed": queue.changed_at,
            "changedBy": queue.changed_by,
            "entry": [payloads.song(tracks[pk]) for pk in queue.track_ids if pk in tracks],
        }
    }
