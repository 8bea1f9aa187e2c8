"""Writes of the recommendations room: radio sessions and saving a daily mix as a playlist."""

from datetime import timedelta

from django.db import models, transaction
from django.utils import timezone

from core.api.errors import NotFound
from core.catalog.models import Artist, Genre, Track
from core.library.models import Play
from core.playlists.models import Playlist, PlaylistItem
from core.playlists.services import POSITION_GAP, playlist_create
from core.recommendations.models import (
    SKIP_SECONDS,
    ArtistNeighbour,
    DailyMix,
    RadioSeed,
    RadioSession,
    RadioTrack,
    TrackNeighbour,
)
from core.recommendations.selectors import Pick, without_badly_rated

# The last this many tracks a session gave (and were not skipped) steer what comes next.
RADIO_STEER = 10
RADIO_POOL = 200
# An artist radio plays the seed artist and this many of its nearest artists.
RADIO_ARTISTS = 20


def radio_start(*, user, seed_kind: str, seed_id: int) -> RadioSession:
    """A radio session from a playable track, an artist with playable tracks, or a genre."""
    playable = Track.objects.playable()
    exists = {
        RadioSeed.TRACK: lambda: playable.filter(pk=seed_id).exists(),
        RadioSeed.ARTIST: lambda: playable.filter(artist_id=seed_id).exists(),
        RadioSeed.GENRE: lambda: Genre.objects.filter(pk=seed_id).exists(),
    }[RadioSeed(seed_kind)]
    if not exists():
        raise NotFound(f"No {seed_kind} with id {seed_id} to start a radio from.")
    return RadioSession.objects.create(user=user, seed_kind=seed_kind, seed_id=seed_id)


def _given(session: RadioSession, now) -> tuple[list[int], set[int]]:
    """The tracks this session gave, in order, and those of them the listener skipped: started
    since the session began, over SKIP_SECONDS ago, left uncounted with less progress. One
    query."""
    skip = Play.objects.filter(
        user_id=session.user_id,
        track_id=models.OuterRef("track_id"),
        started_at__gte=session.created_at,
        started_at__lte=now - timedelta(seconds=SKIP_SECONDS),
        counted=False,
        played_seconds__lt=SKIP_SECONDS,
    )
    rows = list(
        session.tracks.order_by("position")
        .annotate(skipped=models.Exists(skip))
        .values_list("track_id", "skipped")
    )
    given = [track for track, _ in rows]
    return given, {track for track, skipped in rows if skipped}


def _neighbour_scores(track_ids: list[int]) -> dict[int, float]:
    scores: dict[int, float] = {}
    rows = TrackNeighbour.objects.filter(track_id__in=track_ids).values_list(
        "neighbour_id", "score"
    )
    for neighbour, score in rows:
        scores[neighbour] = scores.get(neighbour, 0.0) + score
    return scores


def _seed_pool(session: RadioSession, kept: list[int]) -> dict[int, float]:
    """Tracks near the seed and near the tracks the listener kept, scored."""
    if session.seed_kind == RadioSeed.TRACK:
        # A track is not its own neighbour: the seed's 1 plus what the kept tracks give it.
        pool = _neighbour_scores([session.seed_id, *kept])
        pool[session.seed_id] = pool.get(session.seed_id, 0.0) + 1.0
        return pool
    if session.seed_kind == RadioSeed.ARTIST:
        artists = {session.seed_id: 1.0} | dict(
            ArtistNeighbour.objects.filter(artist_id=session.seed_id)
            .order_by("-score", "neighbour_id")
            .values_list("neighbour_id", "score")[:RADIO_ARTISTS]
        )
        tracks = Track.objects.playable().filter(artist_id__in=artists)
    else:
        artists = {}
        tracks = Track.objects.playable().filter(genres=session.seed_id)
    rows = tracks.order_by("-listen_count", "-id").values_list("id", "artist_id")[:RADIO_POOL]
    # Each artist's most played first, artists by their closeness (the seed artist's is 1), so
    # the seed leads and its neighbours take turns after.
    pool, ranks = {}, {}
    for track, artist in rows:
        ranks[artist] = ranks.get(artist, -1) + 1
        pool[track] = artists.get(artist, 0.5) / (1 + ranks[artist] / 5)
    for track, score in _neighbour_scores(kept).items():
        pool[track] = pool.get(track, 0.0) + score
    return pool


@transaction.atomic
def radio_next(*, session_id, user, count: int) -> list[Pick]:
    """The next `count` tracks of `user`'s radio session: near the seed and the tracks the
    listener kept, away from those they skipped in this session (their artists are left out,
    their neighbours scored down), never one the session gave before. Playable tracks only.
    Sessions of others are not found."""
    session = RadioSession.objects.select_for_update().filter(pk=session_id, user=user).first()
    if session is None:
        raise NotFound("Radio session not found.")
    now = timezone.now()
    given, skipped = _given(session, now)
    kept = [t for t in given if t not in skipped][-RADIO_STEER:]
    scores = _seed_pool(session, kept)
    for track, score in _neighbour_scores(list(skipped)).items():
        scores[track] = scores.get(track, 0.0) - 2 * score
    skipped_artists = set(Track.objects.filter(pk__in=skipped).values_list("artist_id", flat=True))
    user = session.user_id
    candidates = (
        without_badly_rated(Track.objects.playable(), user)
        .filter(pk__in=[t for t, s in scores.items() if s > 0])
        .exclude(pk__in=given)
        .exclude(artist_id__in=skipped_artists)
        .values_list("id", flat=True)
    )
    ordered = sorted(candidates, key=lambda t: (-scores[t], t))[:count]
    picks = [Pick(t, "Near this radio's seed and the tracks you kept", scores[t]) for t in ordered]
    if len(picks) < count:
        # Too little data near the seed: the most played tracks, skipped artists left out.
        filler = (
            without_badly_rated(Track.objects.playable(), user)
            .exclude(pk__in=[*given, *ordered])
            .exclude(artist_id__in=skipped_artists)
            .order_by("-listen_count", "-id")
            .values_list("id", flat=True)[: count - len(picks)]
        )
        picks += [
            Pick(t, "Among the most played on Tonearm (little data near the seed)") for t in filler
        ]
    start = len(given)
    RadioTrack.objects.bulk_create(
        RadioTrack(session=session, track_id=p.track_id, position=start + i)
        for i, p in enumerate(picks)
    )
    return picks


@transaction.atomic
def mix_save(*, user, mix_id: int) -> Playlist:
    """A private playlist of the mix's playable tracks, in order, owned by the listener."""
    mix = DailyMix.objects.filter(user=user, pk=mix_id).first()
    if mix is None:
        raise NotFound("Mix not found.")
    playlist = playlist_create(owner=user, name=mix.title)
    items = mix.items.filter(track__in=Track.objects.playable())
    track_ids = list(
        without_badly_rated(items, user, track="track_id", album="track__album_id")
        .order_by("position")
        .values_list("track_id", flat=True)
    )
    PlaylistItem.objects.bulk_create(
        PlaylistItem(playlist=playlist, track_id=t, position=(i + 1) * POSITION_GAP, playable=True)
        for i, t in enumerate(track_ids)
    )
    Playlist.objects.filter(pk=playlist.pk).update(items_count=models.Value(len(track_ids)))
    playlist.refresh_from_db()
    return playlist


def artist_or_404(artist_id: int) -> Artist:
    artist = Artist.objects.filter(pk=artist_id).first()
    if artist is None:
        raise NotFound("Artist not found.")
    return artist
