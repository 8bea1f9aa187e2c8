from rest_framework import serializers

from core.catalog.models import Album, Artist, Genre, Track


class GenreRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Genre
        fields = ["id", "name"]


class ArtistRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Artist
        fields = ["id", "name"]


class AlbumRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Album
        fields = ["id", "title", "year"]


class TrackOutputSerializer(serializers.ModelSerializer):
    """A track as listeners see it. Expects a queryset from `Track.objects.for_listing()`
    annotated by `with_favorite_flag(user)`."""

    artist = ArtistRefSerializer(read_only=True)
    album = AlbumRefSerializer(read_only=True, allow_null=True)
    genres = GenreRefSerializer(many=True, read_only=True)
    is_favorite = serializers.SerializerMethodField()

    class Meta:
        model = Track
        fields = [
            "id",
            "title",
            "artist",
            "album",
            "genres",
            "track_number",
            "year",
            "duration",
            "content_type",
            "size",
            "is_favorite",
            "created_at",
        ]
        read_only_fields = fields

    def get_is_favorite(self, track: Track) -> bool:
        return bool(getattr(track, "is_favorite", False))
