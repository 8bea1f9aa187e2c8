"""Rating tracks and albums: one rating per listener per item, counts kept incrementally.

Other rooms (the Subsonic adapter among them) call `set_rating` and `clear_rating`."""

from django.db import models, transaction

from core.api.errors import InvalidInput, NotFound
from core.catalog.models import Album, Track
from core.catalog.querysets import albums_visible_to
from core.ratings.models import AlbumRating, TrackRating

Item = Track | Album


def _rating_model(item: Item) -> tuple[type[models.Model], str]:
    if isinstance(item, Track):
        return TrackRating, "track"
    if isinstance(item, Album):
        return AlbumRating, "album"
    raise TypeError(f"Cannot rate a {type(item).__name__}")


def _bump(item: Item, *, count: int, total: int) -> None:
    type(item).objects.filter(pk=item.pk).update(
        rating_count=models.F("rating_count") + count,
        rating_total=models.F("rating_total") + total,
    )


def _lock(item: Item) -> None:
    """Lock the rated item's row: one listener's concurrent rate, re-rate and clear of one item
    then run one after another, so the rating row and the item's counters move together."""
    list(type(item).objects.select_for_update().filter(pk=item.pk).values_list("pk"))


@transaction.atomic
def set_rating(*, user, item: Item, stars: int) -> int:
    """Rate `item` (a Track or an Album) with 1 to 5 stars, replacing one's earlier rating;
    returns the stars. Concurrent calls for one item never fail: they wait on the item's row
    lock, then each finds the rating as the previous one left it and moves the counters by the
    difference (the unique constraint stays the last word)."""
    if not isinstance(stars, int) or isinstance(stars, bool) or not 1 <= stars <= 5:
        raise InvalidInput("Give stars from 1 to 5.", field="stars")
    model, name = _rating_model(item)
    key = {"user": user, name: item}
    _lock(item)
    existing = model.objects.filter(**key).first()
    if existing is None:
        model.objects.create(**key, stars=stars)
        _bump(item, count=1, total=stars)
    elif existing.stars != stars:
        _bump(item, count=0, total=stars - existing.stars)
        existing.stars = stars
        existing.save(update_fields=["stars", "updated_at"])
    return stars


@transaction.atomic
def clear_rating(*, user, item: Item) -> bool:
    """Remove one's rating of `item`; returns whether there was one."""
    model, name = _rating_model(item)
    _lock(item)
    row = model.objects.filter(user=user, **{name: item}).first()
    if row is None:
        return False
    row.delete()
    _bump(item, count=-1, total=-row.stars)
    return True


def rateable_track(*, user, track_id: int) -> Track:
    """A track the listener may rate: one they can see."""
    track = Track.objects.visible_to(user).only("pk").filter(pk=track_id).first()
    if track is None:
        raise NotFound("Track not found.")
    return track


def rateable_album(*, user, album_id: int) -> Album:
    """An album the listener may rate: one they can see (a hidden album only by its artist's
    managers, moderators and staff); 404 else, as for one that does not exist."""
    album = albums_visible_to(Album.objects.only("pk"), user).filter(pk=album_id).first()
    if album is None:
        raise NotFound("Album not found.")
    return album


def ratings_forget_deleted_account(sender, instance, **kwargs) -> None:
    """Receiver of the account's `pre_delete`: its ratings leave the items' counters before
    they cascade away, however the account is deleted. Two statements per kind of item."""
    for model, item_model, name in ((TrackRating, Track, "track"), (AlbumRating, Album, "album")):
        mine = model.objects.filter(user_id=instance.pk, **{name: models.OuterRef("pk")})
        stars = models.Subquery(mine.values("stars")[:1])
        item_model.objects.filter(
            pk__in=model.objects.filter(user_id=instance.pk).values(name)
        ).update(
            rating_count=models.F("rating_count") - 1,
            rating_total=models.F("rating_total") - stars,
        )
