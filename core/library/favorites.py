"""Favorites of albums and artists, and the idempotent "set" of any favorite (the Subsonic
API's star and unstar); the track toggle of the REST API is in services.py."""

from django.db import IntegrityError, models, transaction

from core.api.errors import NotFound
from core.catalog.models import Album, Artist, Track
from core.library.models import AlbumFavorite, ArtistFavorite, Favorite

# What may be a favorite: the row model, the field naming the object, and where it is found.
_KINDS: dict[str, tuple[type[models.Model], str]] = {
    "track": (Favorite, "track"),
    "album": (AlbumFavorite, "album"),
    "artist": (ArtistFavorite, "artist"),
}


def _target(kind: str, object_id: int) -> models.Model:
    if kind == "track":
        found = Track.objects.playable().only("pk").filter(pk=object_id).first()
    elif kind == "album":
        found = Album.objects.only("pk").filter(pk=object_id).first()
    else:
        found = Artist.objects.only("pk").filter(pk=object_id).first()
    if found is None:
        raise NotFound(f"{kind.capitalize()} not found.")
    return found


@transaction.atomic
def favorite_set(*, user, kind: str, object_id: int, favorite: bool) -> None:
    """Make a track, album or artist one of `user`'s favorites, or not; repeating it is
    harmless. Raises NotFound for an object that does not exist (or a track not playable)."""
    model, field = _KINDS[kind]
    target = _target(kind, object_id)
    rows = model.objects.filter(user=user, **{field: target})
    if not favorite:
        rows.delete()
        return
    if rows.exists():
        return
    try:
        with transaction.atomic():
            model.objects.create(user=user, **{field: target})
    except IntegrityError:
        pass  # a concurrent call inserted it: the unique constraint kept one row


@transaction.atomic
def favorite_toggle_of(*, user, kind: str, object_id: int) -> bool:
    """Favorite an album or artist, or unfavorite it if it already is; returns the new state."""
    model, field = _KINDS[kind]
    target = _target(kind, object_id)
    deleted, _ = model.objects.filter(user=user, **{field: target}).delete()
    if deleted:
        return False
    try:
        with transaction.atomic():
            model.objects.create(user=user, **{field: target})
    except IntegrityError:
        pass
    return True


def favorite_flag(user, kind: str) -> models.Expression:
    """An `Exists` saying whether the outer row (a track, album or artist) is one of `user`'s
    favorites, for an annotation; false for anonymous callers."""
    if user is None or not user.is_authenticated:
        return models.Value(False, output_field=models.BooleanField())
    model, field = _KINDS[kind]
    return models.Exists(model.objects.filter(user=user, **{field: models.OuterRef("pk")}))


def favorite_since(user, kind: str) -> models.Subquery:
    """When `user` made the outer row a favorite (null if not), for an annotation."""
    model, field = _KINDS[kind]
    return models.Subquery(
        model.objects.filter(user=user, **{field: models.OuterRef("pk")}).values("created_at")[:1]
    )
