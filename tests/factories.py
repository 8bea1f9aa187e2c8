"""factory_boy factories for the domain's models."""

import uuid
from datetime import UTC

import factory
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group

from core import roles
from core.catalog.models import Album, Artist, Genre, Track, TrackStatus
from core.library.models import Favorite, Play
from core.models import User
from core.playlists.models import Playlist, PlaylistItem, PlaylistShare

PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    # Hashed as the row is built: set_password() and a save on an existing user is a password
    # change, which would move its token version on.
    password = factory.LazyFunction(lambda: make_password(PASSWORD))

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        """UserFactory(groups=["Uploaders"]) puts the user in those groups."""
        if extracted:
            self.groups.add(*Group.objects.filter(name__in=extracted))
        self.save()


class UploaderFactory(UserFactory):
    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        self.groups.add(Group.objects.get(name=roles.UPLOADERS))
        self.save()


class ModeratorFactory(UserFactory):
    is_staff = True

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        self.groups.add(Group.objects.get(name=roles.MODERATORS))
        self.save()


class StaffFactory(UserFactory):
    is_staff = True


class GenreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Genre

    name = factory.Sequence(lambda n: f"Genre {n}")


class ArtistFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Artist

    name = factory.Sequence(lambda n: f"Artist {n}")


class AlbumFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Album

    title = factory.Sequence(lambda n: f"Album {n}")
    artist = factory.SubFactory(ArtistFactory)
    year = 2020


class TrackFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Track
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Track {n}")
    artist = factory.SubFactory(ArtistFactory)
    album = factory.SubFactory(AlbumFactory, artist=factory.SelfAttribute("..artist"))
    track_number = 1
    year = 2020
    duration = 180.0
    storage_key = factory.LazyFunction(lambda: f"audio/{uuid.uuid4().hex}.mp3")
    size = 1024
    content_type = "audio/mpeg"
    status = TrackStatus.READY
    uploaded_by = factory.SubFactory(UploaderFactory)

    @factory.post_generation
    def genres(self, create, extracted, **kwargs):
        if create and extracted:
            self.genres.set(extracted)


class FavoriteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Favorite

    user = factory.SubFactory(UserFactory)
    track = factory.SubFactory(TrackFactory)


class PlayFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Play

    user = factory.SubFactory(UserFactory)
    track = factory.SubFactory(TrackFactory)
    started_at = factory.Faker("date_time_this_year", tzinfo=UTC)


class PlaylistFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Playlist

    owner = factory.SubFactory(UserFactory)
    name = factory.Sequence(lambda n: f"Playlist {n}")


class PlaylistItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlaylistItem

    playlist = factory.SubFactory(PlaylistFactory)
    track = factory.SubFactory(TrackFactory)
    position = factory.Sequence(lambda n: (n + 1) * 1024)


class PlaylistShareFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlaylistShare

    playlist = factory.SubFactory(PlaylistFactory)


class TrackVariantFactory(factory.django.DjangoModelFactory):
    """A streaming variant row (its object is not stored: write one when a test fetches it)."""

    class Meta:
        model = "core.TrackVariant"

    track = factory.SubFactory(TrackFactory)
    quality = "normal"
    key = factory.LazyAttribute(lambda v: f"derived/tracks/{v.track.pk}/{v.quality}.m4a")
    codec = "aac"
    content_type = "audio/mp4"
    bitrate = 128_000
    size = 512
