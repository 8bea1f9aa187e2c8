"""Ratings (setRating, userRating, getAlbumList type=highest): not in Tonearm yet. Each
function here is the one place to call the ratings room's service or selector once it lands."""

from django.db.models import QuerySet

from core.subsonic.envelope import SubsonicError
from core.subsonic.registry import Call, method


def highest_rated_albums(user, albums: QuerySet) -> QuerySet:
    """getAlbumList type=highest: the albums `user` rated best; none until ratings exist."""
    return albums.none()


@method("setRating")
def set_rating(call: Call) -> dict:
    call.params.require("id")
    call.params.require("rating")
    raise SubsonicError(SubsonicError.GENERIC, "Ratings are not available on this server yet.")
