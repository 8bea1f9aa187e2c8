"""The history page's plain statement (core/library/history_reads.py) reads exactly the rows of
the ORM's `selectors.play_history`: the same entries for every kind of user (which hidden,
unfinished or managed tracks they may see), under every filter, at every cursor position, in
both directions."""

from datetime import timedelta

import pytest
from django.db import connection

from core.artists.models import ArtistManager
from core.catalog.models import TrackStatus
from core.library import payloads, selectors
from core.library.history_reads import ORDERING, EntryRows
from core.library.models import ExternalListen, ListenSource
from core.roles import can_moderate
from tests import factories
from tests.library.test_history import NOON, play_at

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's statement"),
]

OLDEST_FIRST = ("started_at", "entry_id")


def _heard_elsewhere(user, minutes: int, track=None) -> None:
    ExternalListen.objects.create(
        user=user,
        source=ListenSource.LISTENBRAINZ,
        listened_at=NOON + timedelta(minutes=minutes),
        artist="Elsewhere",
        title=f"At {minutes}",
        album="",
        artist_key="elsewhere",
        title_key=f"at {minutes}",
        track=track,
        matched=track is not None,
        counted=minutes % 2 == 0,
    )


@pytest.fixture
def who(request, alice, uploader, moderator, staff):
    """The history's owner, with tracks only some users may see in it."""
    user = {"listener": alice, "uploader": uploader, "moderator": moderator, "staff": staff}
    user = user.get(request.param) or factories.UserFactory()
    managed = factories.ArtistFactory()
    if request.param == "manager":
        ArtistManager.objects.create(artist=managed, user=user)
    tracks = [
        factories.TrackFactory(),
        factories.TrackFactory(is_hidden=True),
        factories.TrackFactory(status=TrackStatus.PROCESSING, uploaded_by=user),
        factories.TrackFactory(status=TrackStatus.PROCESSING, uploaded_by=factories.UserFactory()),
        factories.TrackFactory(artist=managed, is_hidden=True),
    ]
    for minutes in range(20):
        # Ties: two entries at most minutes, the order then falls to the entry's id.
        play_at(user, minutes // 2, track=tracks[minutes % 5], counted=minutes % 3 == 0)
    _heard_elsewhere(user, 3)
    _heard_elsewhere(user, 4, track=tracks[1])
    _heard_elsewhere(user, 6, track=tracks[0])
    play_at(factories.UserFactory(), 5, track=tracks[0])  # another listener's
    user.history_tracks = tracks
    return user


def _columns() -> tuple[str, ...]:
    return payloads.history_plan().columns


def _both(user, ordering, position=None, **filters):
    """The same page of rows read by the ORM and by the plain statement."""
    plain = EntryRows(user=user, columns=_columns(), **filters).order_by(*ordering)
    orm = selectors.play_history(user=user, with_tracks=False, **filters).order_by(*ordering)
    if position is not None:
        plain = plain.filter(**position)
        orm = orm.filter(**position)
    return orm.values(*_columns())[2:9], plain[2:9], orm.values(*_columns())[:100]


USERS = ["listener", "uploader", "manager", "moderator", "staff"]


@pytest.mark.parametrize("who", USERS, indirect=True)
@pytest.mark.parametrize(
    "filters",
    [
        {},
        {"counted": True},
        {"counted": False},
        {"since": NOON + timedelta(minutes=2), "until": NOON + timedelta(minutes=7)},
        {"until": NOON + timedelta(minutes=4), "counted": True},
    ],
)
@pytest.mark.parametrize("ordering", [ORDERING, OLDEST_FIRST])
def test_the_plain_statement_reads_the_orms_rows(who, filters, ordering):
    orm, plain, everything = _both(who, ordering, **filters)

    assert list(orm) == plain
    assert len(everything) > 0


@pytest.mark.parametrize("who", USERS, indirect=True)
@pytest.mark.parametrize(
    "position",
    [{"started_at__lt": str(NOON + timedelta(minutes=6))}, {"started_at__gt": NOON}],
)
@pytest.mark.parametrize("ordering", [ORDERING, OLDEST_FIRST])
def test_cursor_positions_read_the_same_rows(who, position, ordering):
    orm, plain, _ = _both(who, ordering, position)

    assert list(orm) == plain
    assert plain


@pytest.mark.parametrize("who", ["listener"], indirect=True)
def test_what_a_listener_may_not_see_stays_out(who):
    rows = EntryRows(user=who, columns=_columns())[0:100]

    playable, _, own, _, _ = who.history_tracks
    # Hidden tracks and others' unfinished ones drop out; a listen heard elsewhere and not
    # matched stays.
    assert {row["track_id"] for row in rows} == {playable.pk, own.pk, None}
    assert len(rows) == 4 + 4 + 2  # 4 streams of each, a matched and an unmatched listen


@pytest.mark.parametrize("who", ["listener"], indirect=True)
def test_the_page_is_one_statement(who, django_assert_num_queries):
    rows = EntryRows(user=who, columns=_columns()).order_by(*ORDERING)
    assert not can_moderate(who)  # read once: requests carry the roles with the user

    with django_assert_num_queries(1):
        assert len(rows.filter(started_at__lt=str(NOON + timedelta(minutes=9)))[0:3]) == 3
