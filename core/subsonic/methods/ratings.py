"""Ratings (setRating, getAlbumList type=highest) through the ratings room: Subsonic's 1 to 5
stars are Tonearm's, and a rating of 0 clears one's rating. Songs and albums are rated; artists
have no ratings in Tonearm (error 70)."""

from django.db.models import QuerySet

from core.ratings import services as ratings
from core.subsonic import ids
from core.subsonic.envelope import SubsonicError
from core.subsonic.registry import Call, method


def highest_rated_albums(user, albums: QuerySet) -> QuerySet:
    """getAlbumList type=highest: the albums `user` rated, best first (`album_list` carries
    the caller's stars as `my_rating`)."""
    return albums.filter(my_rating__isnull=False).order_by("-my_rating", "title", "id")


@method("setRating")
def set_rating(call: Call) -> dict:
    kind, number = ids.parse(call.params.require("id"))
    call.params.require("rating")
    stars = call.params.get_int("rating", minimum=0, maximum=5)
    if kind == "track":
        item = ratings.rateable_track(user=call.user, track_id=number)
    elif kind == "album":
        item = ratings.rateable_album(user=call.user, album_id=number)
    else:
        raise SubsonicError(SubsonicError.NOT_FOUND, "Only songs and albums can be rated.")
    if stars == 0:
        ratings.clear_rating(user=call.user, item=item)
    else:
        ratings.set_rating(user=call.user, item=item, stars=stars)
    return {}
