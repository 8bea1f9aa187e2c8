"""What the recommendation endpoints read: the tables training filled, filtered at request time
by what changed since (plays of the last days, tracks hidden or no longer ready). A constant
number of queries per request, whatever the limit; nothing here trains.

Reasons are built from the listener's own data or from the catalog, never from another
listener's: "Because you listened to X" names a track of one's own history."""

from dataclasses import dataclass
from datetime import timedelta

from django.db import models
from django.utils import timezone

from core.artists.selectors import follows_artist
from core.catalog.models import Artist, Genre, Track
from core.catalog.querysets import has_playable_tracks
from core.library.models import Play
from core.ratings.selectors import badly_rated_album_ids, badly_rated_track_ids
from core.recommendations.models import (
    ArtistNeighbour,
    DailyMix,
    ListenerCandidate,
    ReasonKind,
    TrackNeighbour,
)

# Recommendations leave out what one played in the last RECENT_DAYS.
RECENT_DAYS = 30
# Diversity caps of a recommendation list: at most this many tracks per artist, per album.
MAX_PER_ARTIST = 2
MAX_PER_ALBUM = 1
# Candidates read per requested item, so that caps and filters still leave enough.
OVERFETCH = 4

REASON_TEXT = {
    ReasonKind.LISTENED: "Because you listened to {title} by {artist}",
    ReasonKind.FAVORITED: "Because you liked {title} by {artist}",
    ReasonKind.PLAYLISTED: "Because you added {title} by {artist} to a playlist",
    ReasonKind.RATED: "Because you rated {title} by {artist} highly",
}
FOLLOWED = "New from {artist}, whom you follow"
NEW_IN_GENRE = "New in {genre}, a genre you listen to"
FROM_YOUR_LISTENING = "Picked from your listening"
POPULAR = "Among the most played on Tonearm"
FAVORITE_GENRE = "Popular in {genre}, a genre you like"
SAME_PEOPLE = "Listened to by the same people"
SAME_ARTIST = "More by {artist} (too few listens yet to compare listeners)"
SAME_GENRE = "Also {genre} (too few listens yet to compare listeners)"
SIMILAR_ARTIST_LISTENERS = "Shares listeners with {artist}"


@dataclass
class Pick:
    track_id: int
    reason: str
    score: float | None = None


def _listing(user) -> "models.QuerySet[Track]":
    return Track.objects.playable().for_listing().with_favorite_flag(user).with_my_rating(user)


def without_badly_rated(
    rows: models.QuerySet, user, *, track: str = "pk", album: str = "album_id"
) -> models.QuerySet:
    """`rows` minus the tracks the listener rated 1 or 2 stars and the tracks of albums they
    rated so; `track` and `album` name the rows' track id and album id."""
    return rows.exclude(**{f"{track}__in": badly_rated_track_ids(user)}).exclude(
        **{f"{album}__in": badly_rated_album_ids(user)}
    )


def with_tracks(picks: list[Pick], user) -> list[dict]:
    """The picks as payload rows, in order, with their tracks read in one query (plus the
    genres' prefetch); a track that stopped being playable meanwhile drops out."""
    tracks = _listing(user).in_bulk([p.track_id for p in picks])
    return [
        {"track": tracks[p.track_id], "reason": p.reason, "score": p.score}
        for p in picks
        if p.track_id in tracks
    ]


def pick_payloads(picks: list[Pick], user) -> list[dict] | None:
    """The picks as response rows, in order, their tracks built from `.values()` rows (the
    track list's fast path: two queries, no model instances); None when that path cannot
    build the track payload (then `with_tracks` and the serializer do)."""
    from core.catalog.payloads import public_payloads_by_id

    by_id = public_payloads_by_id(_listing(user), [p.track_id for p in picks])
    if by_id is None:
        return None
    return [
        {"track": by_id[p.track_id], "reason": p.reason, "score": p.score}
        for p in picks
        if p.track_id in by_id
    ]


def recently_played(user) -> models.QuerySet:
    since = timezone.now() - timedelta(days=RECENT_DAYS)
    return Play.objects.filter(user=user, started_at__gte=since).values("track_id")


class Caps:
    """At most MAX_PER_ARTIST tracks per artist and MAX_PER_ALBUM per album in one list."""

    def __init__(self) -> None:
        self.artists: dict[int, int] = {}
        self.albums: dict[int, int] = {}

    def admit(self, row: dict) -> bool:
        artist, album = row["artist_id"], row.get("album_id")
        if self.artists.get(artist, 0) >= MAX_PER_ARTIST:
            return False
        if album is not None and self.albums.get(album, 0) >= MAX_PER_ALBUM:
            return False
        self.artists[artist] = self.artists.get(artist, 0) + 1
        if album is not None:
            self.albums[album] = self.albums.get(album, 0) + 1
        return True


def _capped(rows: list[dict], limit: int, caps: Caps) -> list[dict]:
    """The first `limit` rows, in order, that the caps admit."""
    kept = []
    for row in rows:
        if len(kept) == limit:
            break
        if caps.admit(row):
            kept.append(row)
    return kept


def _reason(row: dict) -> str:
    kind = row["because_kind"]
    if kind == ReasonKind.FOLLOWED:
        return FOLLOWED.format(artist=row["artist_name"])
    if kind == ReasonKind.NEW_IN_GENRE and row["genre_name"]:
        return NEW_IN_GENRE.format(genre=row["genre_name"])
    if not row["because_playable"] or kind not in REASON_TEXT:
        # The track that led here is hidden or gone now: say what is still true, name nothing.
        return FROM_YOUR_LISTENING
    return REASON_TEXT[kind].format(title=row["because_title"], artist=row["because_artist"])


def recommended_tracks(*, user, limit: int) -> list[Pick]:
    """The listener's candidates, minus recent plays and unplayable tracks, capped for
    diversity; topped up with charts of their favorite genres, then what is most played."""
    recent = recently_played(user)
    candidates = ListenerCandidate.objects.filter(
        user=user, track__status="ready", track__is_hidden=False
    )
    candidates = without_badly_rated(candidates, user, track="track_id", album="track__album_id")
    # A "new from Z" candidate stays only while the listener follows Z.
    candidates = candidates.annotate(
        following=follows_artist(user, models.OuterRef("track__artist_id"))
    ).exclude(because_kind=ReasonKind.FOLLOWED, following=False)
    rows = list(
        candidates.order_by("-score", "track_id").values(
            "track_id",
            "score",
            "because_kind",
            artist_id=models.F("track__artist_id"),
            album_id=models.F("track__album_id"),
            artist_name=models.F("track__artist__name"),
            genre_name=models.F("because_genre__name"),
            because_title=models.F("because__title"),
            because_artist=models.F("because__artist__name"),
            because_playable=models.Q(because__status="ready", because__is_hidden=False),
        )[: limit * OVERFETCH]
    )
    # The recent plays among these candidates only: an index probe per candidate
    # (play_user_track_recent_idx), where excluding a subquery of all the listener's recent
    # plays read every one of them (a heavy listener's are many).
    heard = set(
        recent.filter(track_id__in=[r["track_id"] for r in rows]).values_list("track_id", flat=True)
    )
    rows = [r for r in rows if r["track_id"] not in heard]
    caps = Caps()
    picks = [Pick(r["track_id"], _reason(r), r["score"]) for r in _capped(rows, limit, caps)]
    if len(picks) < limit:
        picks += cold_start(
            user=user, limit=limit - len(picks), taken=picks, recent=recent, caps=caps
        )
    return picks


def _track_rows(tracks: "models.QuerySet[Track]", count: int) -> list[dict]:
    return list(
        tracks.order_by("-listen_count", "-id").values("id", "artist_id", "album_id")[:count]
    )


def cold_start(
    *, user, limit: int, taken: list[Pick], recent=None, caps: Caps | None = None
) -> list[Pick]:
    """Charts for a listener the model knows little of: the most played tracks of their
    favorite genres (a profile setting), then the most played of all."""
    caps = caps or Caps()
    exclude = {p.track_id for p in taken}
    base = without_badly_rated(Track.objects.playable().exclude(pk__in=exclude), user)
    if recent is not None:
        base = base.exclude(pk__in=recent)
    genres = list(getattr(user, "favorite_genres", Genre.objects.none()).values("id", "name"))
    picks: list[Pick] = []
    if genres:
        names = {g["id"]: g["name"] for g in genres}
        rows = list(
            base.filter(genres__in=names)
            .annotate(genre_id=models.Min("genres__id", filter=models.Q(genres__in=names)))
            .order_by("-listen_count", "-id")
            .values("id", "artist_id", "album_id", "genre_id")[: limit * OVERFETCH]
        )
        for row in _capped(rows, limit, caps):
            picks.append(Pick(row["id"], FAVORITE_GENRE.format(genre=names[row["genre_id"]])))
            exclude.add(row["id"])
    if len(picks) < limit:
        rows = _track_rows(base.exclude(pk__in=exclude), (limit - len(picks)) * OVERFETCH)
        picks += [Pick(r["id"], POPULAR) for r in _capped(rows, limit - len(picks), caps)]
    return picks


def similar_tracks(*, track: Track, limit: int) -> list[Pick]:
    """Tracks listened to by the same people, best first; when the model knows too few, the
    artist's other tracks, then the most played of the track's genres, each saying so."""
    picks = [
        Pick(n["neighbour_id"], SAME_PEOPLE, n["score"])
        for n in TrackNeighbour.objects.filter(
            track=track, neighbour__status="ready", neighbour__is_hidden=False
        )
        .order_by("-score", "neighbour_id")
        .values("neighbour_id", "score")[:limit]
    ]
    if len(picks) < limit:
        taken = {p.track_id for p in picks} | {track.pk}
        same_artist = Track.objects.playable().filter(artist_id=track.artist_id)
        for row in _track_rows(same_artist.exclude(pk__in=taken), limit - len(picks)):
            picks.append(Pick(row["id"], SAME_ARTIST.format(artist=track.artist.name)))
            taken.add(row["id"])
        genre = track.genres.order_by("name").first()
        if genre is not None and len(picks) < limit:
            same_genre = Track.objects.playable().filter(genres=genre).exclude(pk__in=taken)
            for row in _track_rows(same_genre, limit - len(picks)):
                picks.append(Pick(row["id"], SAME_GENRE.format(genre=genre.name)))
    return picks


@dataclass
class ArtistPick:
    artist: Artist
    reason: str
    score: float | None


def similar_artists(*, artist: Artist, limit: int) -> list[ArtistPick]:
    """Artists whose listeners overlap, best first; topped up with artists of the same genres.
    Only artists with a playable track, known from the kept totals (one join, not a scan of
    every track)."""
    neighbours = list(
        ArtistNeighbour.objects.filter(has_playable_tracks("neighbour__"), artist=artist)
        .select_related("neighbour")
        .order_by("-score", "neighbour_id")[:limit]
    )
    picks = [ArtistPick(n.neighbour, SAME_PEOPLE, n.score) for n in neighbours]
    if len(picks) < limit:
        taken = {p.artist.pk for p in picks} | {artist.pk}
        genre = (
            Genre.objects.filter(tracks__artist=artist, tracks__status="ready")
            .annotate(n=models.Count("tracks"))
            .order_by("-n", "name")
            .first()
        )
        if genre is not None:
            in_genre = Track.objects.playable().filter(genres=genre, artist=models.OuterRef("pk"))
            others = (
                Artist.objects.filter(has_playable_tracks(), models.Exists(in_genre))
                .exclude(pk__in=taken)
                .order_by("name", "pk")[: limit - len(picks)]
            )
            picks += [ArtistPick(a, SAME_GENRE.format(genre=genre.name), None) for a in others]
    return picks


def mixes_of(user) -> "models.QuerySet[DailyMix]":
    """The listener's daily mixes with their playable tracks in order, in two queries."""
    from core.recommendations.models import DailyMixItem

    items = without_badly_rated(
        DailyMixItem.objects.filter(track__in=Track.objects.playable()),
        user,
        track="track_id",
        album="track__album_id",
    ).order_by("position")
    return (
        DailyMix.objects.filter(user=user)
        .select_related("genre")
        .prefetch_related(models.Prefetch("items", queryset=items))
        .order_by("number")
    )
