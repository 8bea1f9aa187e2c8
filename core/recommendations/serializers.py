from rest_framework import serializers

from core.catalog.serializers import ArtistRefSerializer, GenreRefSerializer, TrackOutputSerializer
from core.recommendations.models import RadioSeed

MAX_LIMIT = 100


class LimitInputSerializer(serializers.Serializer):
    limit = serializers.IntegerField(min_value=1, max_value=MAX_LIMIT, default=50)


class SimilarLimitInputSerializer(serializers.Serializer):
    limit = serializers.IntegerField(min_value=1, max_value=MAX_LIMIT, default=20)


class CountInputSerializer(serializers.Serializer):
    count = serializers.IntegerField(min_value=1, max_value=50, default=10)


class RadioStartInputSerializer(serializers.Serializer):
    seed = serializers.ChoiceField(
        choices=RadioSeed.choices, help_text="What the radio starts from."
    )
    id = serializers.IntegerField(
        min_value=1, help_text="The seed track's, artist's or genre's id."
    )


class RadioSessionOutputSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    seed = serializers.CharField(source="seed_kind")
    seed_id = serializers.IntegerField()


class RecommendedTrackOutputSerializer(serializers.Serializer):
    track = TrackOutputSerializer()
    reason = serializers.CharField(help_text="Why this track, in a sentence a client can show.")
    score = serializers.FloatField(
        allow_null=True, help_text="The model's score; null for a fallback without one."
    )


class SimilarArtistOutputSerializer(serializers.Serializer):
    artist = ArtistRefSerializer()
    reason = serializers.CharField()
    score = serializers.FloatField(allow_null=True)


class MixOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    title = serializers.CharField()
    genre = GenreRefSerializer(allow_null=True)
    created_at = serializers.DateTimeField(help_text="When training made it (daily).")
    tracks = TrackOutputSerializer(many=True)
