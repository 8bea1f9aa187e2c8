from django.urls import reverse
from rest_framework import serializers

from core.catalog.serializers import TrackOutputSerializer
from core.models import User
from core.playlists.models import Playlist, PlaylistItem, PlaylistShare
from core.playlists.services import PLAYLIST_MAX_ITEMS
from core.text import validate_name, validate_text

_SNAPSHOT_HELP = (
    "The snapshot_id the change is based on; if the playlist has changed since, nothing is "
    "done and the answer is 409."
)


class OwnerOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ["id", "username", "nickname"]
        read_only_fields = fields


class PlaylistCreateInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200, validators=[validate_name])
    description = serializers.CharField(
        max_length=2000,
        required=False,
        allow_blank=True,
        default="",
        validators=[validate_text],
    )
    is_public = serializers.BooleanField(required=False, default=False)


class PlaylistUpdateInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200, required=False, validators=[validate_name])
    description = serializers.CharField(
        max_length=2000,
        required=False,
        allow_blank=True,
        validators=[validate_text],
    )
    is_public = serializers.BooleanField(required=False)


class PlaylistOutputSerializer(serializers.ModelSerializer):
    owner = OwnerOutputSerializer(read_only=True)
    snapshot_id = serializers.CharField(
        read_only=True, help_text="Version of the items' order; changes with every item change."
    )
    items_count = serializers.IntegerField(
        read_only=True,
        help_text="Items stored, including any whose track is currently unavailable.",
    )

    class Meta:
        model = Playlist
        fields = [
            "id",
            "name",
            "description",
            "is_public",
            "owner",
            "snapshot_id",
            "items_count",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class PlaylistItemOutputSerializer(serializers.ModelSerializer):
    """An item; expects `index` set on it and its track loaded as a listing payload."""

    item_id = serializers.IntegerField(source="pk", read_only=True)
    position = serializers.IntegerField(
        source="index", read_only=True, help_text="0-based index among the playable items."
    )
    track = TrackOutputSerializer(read_only=True)

    class Meta:
        model = PlaylistItem
        fields = ["item_id", "position", "track", "added_at"]
        read_only_fields = fields


class PlaylistItemPageSerializer(serializers.Serializer):
    count = serializers.IntegerField(help_text="Playable items in the playlist.")
    next = serializers.URLField(allow_null=True, help_text="The items endpoint's second page.")
    previous = serializers.URLField(allow_null=True)
    results = PlaylistItemOutputSerializer(many=True)


class PlaylistDetailOutputSerializer(PlaylistOutputSerializer):
    """A playlist with the first page of its items; expects `items_page` set on it."""

    items = PlaylistItemPageSerializer(source="items_page", read_only=True)

    class Meta(PlaylistOutputSerializer.Meta):
        fields = [*PlaylistOutputSerializer.Meta.fields, "items"]
        read_only_fields = fields


class PublicPlaylistFilterSerializer(serializers.Serializer):
    search = serializers.CharField(
        max_length=200,
        required=False,
        allow_blank=True,
        help_text="Only playlists whose name contains this (case-insensitive).",
    )


class PlaylistAddInputSerializer(serializers.Serializer):
    track_id = serializers.IntegerField(min_value=1, help_text="A playable track.")
    position = serializers.IntegerField(
        min_value=0,
        max_value=PLAYLIST_MAX_ITEMS,
        required=False,
        help_text="0-based index to insert at, at most the number of items; default: append.",
    )
    snapshot_id = serializers.CharField(max_length=32, required=False, help_text=_SNAPSHOT_HELP)


class PlaylistRemoveInputSerializer(serializers.Serializer):
    item_id = serializers.IntegerField(min_value=1, required=False, help_text="One item.")
    track_id = serializers.IntegerField(
        min_value=1, required=False, help_text="Every occurrence of this track."
    )
    snapshot_id = serializers.CharField(max_length=32, required=False, help_text=_SNAPSHOT_HELP)

    def validate(self, data: dict) -> dict:
        if ("item_id" in data) == ("track_id" in data):
            raise serializers.ValidationError({"item_id": ["Give either item_id or track_id."]})
        return data


class PlaylistReorderInputSerializer(serializers.Serializer):
    range_start = serializers.IntegerField(
        min_value=0, max_value=PLAYLIST_MAX_ITEMS, help_text="Index of the first item to move."
    )
    insert_before = serializers.IntegerField(
        min_value=0,
        max_value=PLAYLIST_MAX_ITEMS,
        help_text="Index, in the order before the move, to put the items before; "
        "the number of items moves them to the end.",
    )
    range_length = serializers.IntegerField(
        min_value=1, max_value=PLAYLIST_MAX_ITEMS, default=1, help_text="How many items to move."
    )
    snapshot_id = serializers.CharField(max_length=32, required=False, help_text=_SNAPSHOT_HELP)


class PlaylistChangeOutputSerializer(serializers.Serializer):
    snapshot_id = serializers.CharField(help_text="The playlist's snapshot_id after the change.")
    items_count = serializers.IntegerField()


class PlaylistAddOutputSerializer(PlaylistChangeOutputSerializer):
    item_id = serializers.IntegerField(help_text="The new item.")


class PlaylistRemoveOutputSerializer(PlaylistChangeOutputSerializer):
    removed = serializers.IntegerField(help_text="How many items were removed.")


class ShareCreateInputSerializer(serializers.Serializer):
    expires_at = serializers.DateTimeField(
        required=False, allow_null=True, help_text="In the future; default: never expires."
    )


class ShareOutputSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField(help_text="The link to hand out.")

    class Meta:
        model = PlaylistShare
        fields = ["id", "token", "url", "expires_at", "visit_count", "created_at"]
        read_only_fields = fields

    def get_url(self, share: PlaylistShare) -> str:
        path = reverse("shared-playlist", kwargs={"token": share.token})
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path
