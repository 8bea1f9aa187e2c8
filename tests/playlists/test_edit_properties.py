"""Property: any sequence of add, remove, reorder (and tracks hidden or shown again) leaves the
playlist in the order a plain Python list gets from the same operations, refuses exactly the
operations the list model refuses, and changes nothing when it refuses."""

from dataclasses import dataclass, field
from functools import partial

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.api.errors import Conflict, InvalidInput
from core.catalog.models import Track
from core.playlists import selectors, services
from core.playlists.models import Playlist, PlaylistItem

TRACKS = 5  # the `tracks` fixture
DEFAULT_GAP = services.POSITION_GAP
TINY_GAP = 4  # the least that still fits a moved range of 3 after renumbering

index = st.integers(min_value=0, max_value=9)
add = st.tuples(st.just("add"), st.integers(0, TRACKS - 1), st.none() | st.integers(0, 3) | index)
reorder = st.tuples(st.just("reorder"), st.integers(0, 5), st.integers(1, 3), index)
# Adds and moves weigh more, so playlists grow and gaps run out (with the tiny gap) often.
operations = st.lists(
    st.one_of(
        add,
        add,
        add,
        reorder,
        reorder,
        st.tuples(st.just("remove_item"), st.integers(0, 20)),
        st.tuples(st.just("remove_track"), st.integers(0, TRACKS - 1)),
        st.tuples(st.just("toggle_hidden"), st.integers(0, TRACKS - 1)),
        st.tuples(st.just("stale_add"), st.integers(0, TRACKS - 1)),
    ),
    max_size=25,
)


@dataclass
class Model:
    """The playlist as a list of (item_id, track index), unavailable tracks included."""

    entries: list[tuple[int, int]] = field(default_factory=list)
    hidden: set[int] = field(default_factory=set)

    def visible(self) -> list[tuple[int, int]]:
        return [entry for entry in self.entries if entry[1] not in self.hidden]

    def add(self, entry: tuple[int, int], position: int | None) -> None:
        visible = self.visible()
        if position is None or position == len(visible):
            self.entries.append(entry)
        else:
            self.entries.insert(self.entries.index(visible[position]), entry)

    def can_add(self, track: int, position: int | None) -> bool:
        """Only playable tracks, at most at the end of what listeners see."""
        fits = position is None or position <= len(self.visible())
        return fits and track not in self.hidden

    def reorder(self, start: int, length: int, before: int) -> bool:
        """Apply the move; False if the list model refuses it."""
        visible = self.visible()
        if start + length > len(visible) or before > len(visible):
            return False
        if start <= before <= start + length:
            return True
        moved = visible[start : start + length]
        rest = [entry for entry in self.entries if entry not in moved]
        at = len(rest) if before == len(visible) else rest.index(visible[before])
        self.entries = rest[:at] + moved + rest[at:]
        return True


def _stored(playlist: Playlist) -> list[int]:
    return list(playlist.items.order_by("position").values_list("pk", flat=True))


def _check(playlist: Playlist, model: Model) -> list[int]:
    """Assert the (freshly loaded) playlist matches the model; return its stored order."""
    rows = list(playlist.items.order_by("position").values_list("pk", "position"))
    stored = [pk for pk, _ in rows]
    assert stored == [item_id for item_id, _ in model.entries]
    assert all(key > 0 for _, key in rows)
    listed = selectors.playable_items(playlist_id=playlist.pk).values_list("pk", flat=True)
    assert list(listed) == [item_id for item_id, _ in model.visible()]
    assert playlist.items_count == len(model.entries)
    return stored


def _refused(call: partial, error: type[Exception], playlist: Playlist) -> bool:
    """True if `call` raises `error` and the playlist is left exactly as it was."""
    before = (_stored(playlist), playlist.snapshot_id)
    try:
        call()
    except error:
        playlist.refresh_from_db()
        return (_stored(playlist), playlist.snapshot_id) == before
    return False


def _apply(playlist: Playlist, tracks: list[Track], model: Model, op: str, args: list) -> None:
    """Apply one operation through the services and to the model, the current snapshot sent."""
    if op == "add":
        track, position = args
        call = partial(
            services.playlist_add_item,
            playlist=playlist,
            track_id=tracks[track].pk,
            position=position,
            snapshot_id=playlist.snapshot_id,
        )
        if not model.can_add(track, position):
            assert _refused(call, InvalidInput, playlist)
            return
        _, item = call()
        model.add((item.pk, track), position)
    elif op == "remove_item":
        entries = model.entries
        item_id = entries[args[0] % len(entries)][0] if entries else 0
        call = partial(services.playlist_remove_items, playlist=playlist, item_id=item_id)
        if not entries:
            assert _refused(call, InvalidInput, playlist)
            return
        call()
        model.entries = [entry for entry in entries if entry[0] != item_id]
    elif op == "remove_track":
        track = args[0]
        call = partial(services.playlist_remove_items, playlist=playlist, track_id=tracks[track].pk)
        occurrences = sum(t == track for _, t in model.entries)
        if not occurrences:
            assert _refused(call, InvalidInput, playlist)
            return
        assert call()[1] == occurrences
        model.entries = [entry for entry in model.entries if entry[1] != track]
    elif op == "reorder":
        start, length, insert_before = args
        call = partial(
            services.playlist_move_items,
            playlist=playlist,
            range_start=start,
            range_length=length,
            insert_before=insert_before,
            snapshot_id=playlist.snapshot_id,
        )
        if not model.reorder(start, length, insert_before):
            assert _refused(call, InvalidInput, playlist)
            return
        call()
    elif op == "toggle_hidden":
        model.hidden ^= {args[0]}
        Track.objects.filter(pk=tracks[args[0]].pk).update(is_hidden=args[0] in model.hidden)


@pytest.mark.parametrize("gap", [DEFAULT_GAP, TINY_GAP], ids=["default_gap", "tiny_gap"])
@settings(
    max_examples=100,
    deadline=None,
    database=None,
    # The user and tracks of the fixtures serve every example: each example starts its own
    # playlist and shows every track again.
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    initial=st.lists(st.integers(0, TRACKS - 1), max_size=8),
    hidden=st.sets(st.integers(0, TRACKS - 1), max_size=2),
    ops=operations,
)
def test_edits_match_a_list_model(alice, tracks, monkeypatch, gap, initial, hidden, ops):
    monkeypatch.setattr(services, "POSITION_GAP", gap)
    for n, track in enumerate(tracks):
        Track.objects.filter(pk=track.pk).update(is_hidden=n in hidden)
    playlist = services.playlist_create(owner=alice, name="Property")
    # With the tiny gap the starting keys are adjacent: the first insert between them renumbers.
    step = 1 if gap == TINY_GAP else gap
    items = PlaylistItem.objects.bulk_create(
        PlaylistItem(
            playlist=playlist,
            track=tracks[track],
            position=(n + 1) * step,
            playable=track not in hidden,
        )
        for n, track in enumerate(initial)
    )
    Playlist.objects.filter(pk=playlist.pk).update(items_count=len(items))
    playlist.refresh_from_db()
    model = Model(
        entries=[(item.pk, track) for item, track in zip(items, initial, strict=True)],
        hidden=set(hidden),
    )
    older_snapshots: list[str] = []
    order = _check(playlist, model)

    for op, *args in ops:
        if op == "stale_add":
            if older_snapshots and args[0] not in model.hidden:
                stale = partial(
                    services.playlist_add_item,
                    playlist=playlist,
                    track_id=tracks[args[0]].pk,
                    snapshot_id=older_snapshots[-1],
                )
                assert _refused(stale, Conflict, playlist)
            continue
        snapshot = playlist.snapshot_id
        _apply(playlist, tracks, model, op, args)
        playlist.refresh_from_db()
        new_order = _check(playlist, model)
        if new_order != order:
            assert playlist.snapshot_id != snapshot
        if playlist.snapshot_id != snapshot:
            older_snapshots.append(snapshot)
        order = new_order
