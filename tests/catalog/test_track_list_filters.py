"""GET /api/tracks/: search, filters and ordering."""

import pytest

from core.catalog import querysets
from core.catalog.models import TrackStatus
from tests import factories
from tests.catalog.uploading import TRACKS_URL

pytestmark = pytest.mark.django_db


def _ids(response) -> list[int]:
    assert response.status_code == 200, response.json()
    return [item["id"] for item in response.json()["results"]]


@pytest.fixture
def library():
    jazz, rock = factories.GenreFactory(name="Jazz"), factories.GenreFactory(name="Rock")
    evans = factories.ArtistFactory(name="Bill Evans")
    davis = factories.ArtistFactory(name="Miles Davis")
    kind_of_blue = factories.AlbumFactory(title="Kind of Blue", artist=davis, year=1959)
    return {
        "jazz": jazz,
        "rock": rock,
        "evans": evans,
        "davis": davis,
        "kind_of_blue": kind_of_blue,
        "blue_in_green": factories.TrackFactory(
            title="Blue in Green",
            artist=davis,
            album=kind_of_blue,
            year=1959,
            duration=337.0,
            genres=[jazz],
        ),
        "waltz": factories.TrackFactory(
            title="Waltz for Debby",
            artist=evans,
            album=None,
            year=1961,
            duration=420.0,
            genres=[jazz],
        ),
        "anthem": factories.TrackFactory(title="Anthem", year=None, duration=None, genres=[rock]),
    }


@pytest.mark.parametrize(
    ("term", "expected"),
    [
        ("blue in", ["blue_in_green"]),  # title
        ("EVANS", ["waltz"]),  # artist name, any case
        ("kind of", ["blue_in_green"]),  # album title
        ("blue", ["blue_in_green"]),  # title and album of the same track: listed once
        ("100%", []),  # LIKE wildcards are matched literally
        ("", ["anthem", "waltz", "blue_in_green"]),
    ],
)
def test_search_matches_title_artist_and_album(alice_client, library, term, expected):
    response = alice_client.get(TRACKS_URL, {"search": term})

    assert _ids(response) == [library[name].pk for name in expected]


@pytest.mark.parametrize("inline_ids", [0, 1, 1000], ids=["subquery", "one", "many"])
@pytest.mark.parametrize(
    ("term", "expected"),
    [("EVANS", ["waltz"]), ("kind of", ["blue_in_green"]), ("Mil", ["blue_in_green"]), ("zz", [])],
)
def test_search_finds_the_same_tracks_however_many_artists_and_albums_match(
    alice_client, library, monkeypatch, inline_ids, term, expected
):
    """Matching artists and albums are given to the track query as ids up to a limit, and
    looked up by the query itself beyond it: the results are the same either way."""
    monkeypatch.setattr(querysets, "SEARCH_INLINE_IDS", inline_ids)

    response = alice_client.get(TRACKS_URL, {"search": term})

    assert _ids(response) == [library[name].pk for name in expected]


@pytest.mark.parametrize(
    ("term", "expected"),
    [
        ("bl", ["blue_in_green"]),  # a title's start
        ("lu", []),  # inside a title: too short to match there
        ("mi", ["blue_in_green"]),  # an artist's name's start
        ("ki", ["blue_in_green"]),  # an album title's start
        ("W", ["waltz"]),
        ("lue", ["blue_in_green"]),  # three characters match anywhere
    ],
)
def test_one_or_two_characters_match_the_start_of_titles_and_names(
    alice_client, library, term, expected
):
    response = alice_client.get(TRACKS_URL, {"search": term})

    assert _ids(response) == [library[name].pk for name in expected]


def test_search_does_not_reveal_hidden_tracks(alice_client, library):
    factories.TrackFactory(title="Blue secret", is_hidden=True)

    assert _ids(alice_client.get(TRACKS_URL, {"search": "secret"})) == []


@pytest.mark.parametrize("by", ["id", "name", "lowercase name"])
def test_filter_by_genre_id_or_name(alice_client, library, by):
    value = {"id": library["jazz"].pk, "name": "Jazz", "lowercase name": "jazz"}[by]

    response = alice_client.get(TRACKS_URL, {"genre": value})

    assert set(_ids(response)) == {library["blue_in_green"].pk, library["waltz"].pk}


def test_filter_by_unknown_genre_gives_nothing(alice_client, library):
    assert _ids(alice_client.get(TRACKS_URL, {"genre": "Polka"})) == []


def test_filter_by_artist_and_album(alice_client, library):
    by_artist = alice_client.get(TRACKS_URL, {"artist": library["evans"].pk})
    by_album = alice_client.get(TRACKS_URL, {"album": library["kind_of_blue"].pk})

    assert _ids(by_artist) == [library["waltz"].pk]
    assert _ids(by_album) == [library["blue_in_green"].pk]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"year_min": 1960}, ["waltz"]),
        ({"year_max": 1960}, ["blue_in_green"]),
        ({"year_min": 1959, "year_max": 1961}, ["waltz", "blue_in_green"]),
        ({"duration_min": 400}, ["waltz"]),
        ({"duration_max": 337}, ["blue_in_green"]),
        ({"duration_min": 300.5, "duration_max": 400.5}, ["blue_in_green"]),
    ],
)
def test_filter_by_year_and_duration_ranges(alice_client, library, params, expected):
    assert _ids(alice_client.get(TRACKS_URL, params)) == [library[n].pk for n in expected]


@pytest.mark.parametrize(
    ("ordering", "expected"),
    [
        ("title", ["anthem", "blue_in_green", "waltz"]),
        ("-title", ["waltz", "blue_in_green", "anthem"]),
        ("year", ["blue_in_green", "waltz", "anthem"]),  # missing years last
        ("-year", ["waltz", "blue_in_green", "anthem"]),
        ("duration", ["blue_in_green", "waltz", "anthem"]),
        ("-duration", ["waltz", "blue_in_green", "anthem"]),
        ("created_at", ["blue_in_green", "waltz", "anthem"]),
        ("-created_at", ["anthem", "waltz", "blue_in_green"]),
    ],
)
def test_ordering(alice_client, library, ordering, expected):
    response = alice_client.get(TRACKS_URL, {"ordering": ordering})

    assert _ids(response) == [library[name].pk for name in expected]


def test_status_filter_for_moderators(moderator_client, library):
    failed = factories.TrackFactory(status=TrackStatus.FAILED)

    assert _ids(moderator_client.get(TRACKS_URL, {"status": "failed"})) == [failed.pk]


def test_status_filter_for_uploaders_applies_to_what_they_see(uploader, uploader_client):
    own = factories.TrackFactory(status=TrackStatus.FAILED, uploaded_by=uploader)
    factories.TrackFactory(status=TrackStatus.FAILED)

    assert _ids(uploader_client.get(TRACKS_URL, {"status": "failed"})) == [own.pk]


@pytest.mark.parametrize("client_name", ["alice_client", "api_client"])
def test_listeners_cannot_filter_by_status(request, client_name, library):
    response = request.getfixturevalue(client_name).get(TRACKS_URL, {"status": "ready"})

    assert response.status_code == 400
    assert "status" in response.json()["fields"]


def test_uploaded_by_me_lists_only_own_tracks_in_any_state(uploader, uploader_client, library):
    own = [
        factories.TrackFactory(uploaded_by=uploader),
        factories.TrackFactory(uploaded_by=uploader, status=TrackStatus.PENDING_UPLOAD),
    ]

    response = uploader_client.get(TRACKS_URL, {"uploaded_by": "me"})

    assert _ids(response) == [t.pk for t in reversed(own)]


def test_uploaded_by_me_for_a_listener_is_empty(alice_client, library):
    assert _ids(alice_client.get(TRACKS_URL, {"uploaded_by": "me"})) == []


def test_uploaded_by_me_needs_a_signed_in_user(api_client, library):
    response = api_client.get(TRACKS_URL, {"uploaded_by": "me"})

    assert response.status_code == 401


def test_filters_combine(alice_client, library):
    response = alice_client.get(TRACKS_URL, {"genre": "jazz", "year_min": 1960, "search": "waltz"})

    assert _ids(response) == [library["waltz"].pk]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"artist": "abc"}, "artist"),
        ({"album": "1.5"}, "album"),
        ({"year_min": "last year"}, "year_min"),
        ({"year_max": "1e3x"}, "year_max"),
        ({"duration_min": "long"}, "duration_min"),
        ({"duration_max": "short"}, "duration_max"),
        ({"ordering": "storage_key"}, "ordering"),
        ({"ordering": "password"}, "ordering"),
        ({"uploaded_by": "alice"}, "uploaded_by"),
        ({"status": "lost"}, "status"),
        ({"search": "x" * 201}, "search"),
    ],
)
def test_bad_filters_are_refused_naming_the_parameter(moderator_client, library, params, field):
    response = moderator_client.get(TRACKS_URL, params)

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert field in response.json()["fields"]


def test_ordering_is_one_string_enum_in_the_schema_with_readable_names(api_client):
    schema = api_client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    [parameter] = [
        p for p in schema["paths"]["/api/tracks/"]["get"]["parameters"] if p["name"] == "ordering"
    ]

    assert parameter["schema"]["type"] == "string"
    assert "items" not in parameter["schema"]
    assert "-title" in parameter["schema"]["enum"]
    names = dict(
        zip(parameter["schema"]["enum"], parameter["schema"]["x-enum-varnames"], strict=True)
    )
    assert names["-title"] == "TITLE_DESC"
    assert names["year"] == "YEAR"


@pytest.mark.parametrize("query", ["ordering=-title&ordering=year", "ordering=-title,year"])
def test_more_than_one_sort_key_is_refused_naming_ordering(alice_client, library, query):
    response = alice_client.get(f"{TRACKS_URL}?{query}")

    assert response.status_code == 400
    assert "ordering" in response.json()["fields"]
