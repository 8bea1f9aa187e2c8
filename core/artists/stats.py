"""An artist's statistics for its managers: listening from the insights rollups, favorites,
playlist adds and new followers per local day. A constant number of statements."""

from django.db import models
from django.db.models.functions import TruncDate

from core.artists.models import ArtistFollow
from core.catalog import selectors as catalog_selectors
from core.insights.artists import artist_listening, artist_window
from core.insights.periods import Window
from core.library.models import Favorite
from core.playlists.models import PlaylistItem


def _per_day(rows: models.QuerySet, field: str, window: Window) -> list[dict]:
    counts = dict(
        rows.filter(**{f"{field}__gte": window.start, f"{field}__lt": window.end})
        .annotate(day=TruncDate(field, tzinfo=window.tz))
        .values("day")
        .annotate(count=models.Count("pk"))
        .values_list("day", "count")
        .order_by()
    )
    return [{"date": day, "count": counts.get(day, 0)} for day in window.dates()]


def artist_stats(
    *, artist_id: int, period: str, tz, first=None, last=None, limit: int = 10
) -> dict:
    window = artist_window(artist_id=artist_id, period=period, tz=tz, first=first, last=last)
    listening = artist_listening(artist_id=artist_id, window=window, top=limit)
    favorites = _per_day(Favorite.objects.filter(track__artist_id=artist_id), "created_at", window)
    adds = _per_day(PlaylistItem.objects.filter(track__artist_id=artist_id), "added_at", window)
    followers = _per_day(ArtistFollow.objects.filter(artist_id=artist_id), "created_at", window)
    names = catalog_selectors.track_titles([row["track_id"] for row in listening["top_tracks"]])
    for row in listening["top_tracks"]:
        row["title"] = names.get(row["track_id"], "")
    return {
        "period": {"from": window.first, "to": window.last},
        "time_zone": tz.key,
        **listening,
        "favorites": favorites,
        "playlist_adds": adds,
        "new_followers": followers,
    }
