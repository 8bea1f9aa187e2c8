from django.contrib.auth.validators import UnicodeUsernameValidator
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.accounts.models import User, available_time_zones
from core.accounts.usernames import validate_not_confusable
from core.catalog.models import Genre
from core.roles import can_moderate, can_upload
from core.text import validate_name, validate_text

READ_ONLY_PROFILE_FIELDS = ("username", "email")


class RegisterInputSerializer(serializers.Serializer):
    username = serializers.CharField(
        min_length=3,
        max_length=150,
        validators=[UnicodeUsernameValidator(), validate_not_confusable],
    )
    email = serializers.EmailField(max_length=254)
    password = serializers.CharField(
        max_length=128, write_only=True, trim_whitespace=False, style={"input_type": "password"}
    )


class RegisterOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ["id", "username", "email"]
        read_only_fields = fields


class LoginInputSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    # Generous cap: only there so that hashing a megabyte of "password" cannot tie up a worker.
    password = serializers.CharField(
        max_length=4096, write_only=True, trim_whitespace=False, style={"input_type": "password"}
    )


class PasswordChangeInputSerializer(serializers.Serializer):
    current = serializers.CharField(
        max_length=4096, write_only=True, trim_whitespace=False, style={"input_type": "password"}
    )
    new = serializers.CharField(
        max_length=128, write_only=True, trim_whitespace=False, style={"input_type": "password"}
    )


class RefreshInputSerializer(serializers.Serializer):
    refresh = serializers.CharField(max_length=4096, help_text="A refresh token.")


class TokenPairOutputSerializer(serializers.Serializer):
    access = serializers.CharField(help_text="Short-lived access token (Bearer).")
    refresh = serializers.CharField(help_text="Refresh token; single use, it rotates.")


class RolesSerializer(serializers.Serializer):
    uploader = serializers.BooleanField(help_text="May upload and register tracks.")
    moderator = serializers.BooleanField(help_text="May see hidden tracks and hide them.")


FAVORITE_GENRES_MAX = 20


class CountedFirstListField(serializers.ListField):
    """A list whose length is checked before its items: each item of a list of ids is a
    query, so an overlong list is refused before any is looked up."""

    def to_internal_value(self, data):
        if isinstance(data, list) and self.max_length is not None and len(data) > self.max_length:
            self.fail("max_length", max_length=self.max_length)
        return super().to_internal_value(data)


class FavoriteGenreSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class MeOutputSerializer(serializers.ModelSerializer):
    avatar = serializers.SerializerMethodField()
    roles = serializers.SerializerMethodField()
    favorite_genres = FavoriteGenreSerializer(many=True, read_only=True)

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "email",
            "nickname",
            "bio",
            "avatar",
            "roles",
            "time_zone",
            "stats_public",
            "favorite_genres",
            "date_joined",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_avatar(self, user: User) -> str | None:
        if not user.avatar:
            return None
        url = user.avatar.url
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request is not None else url

    @extend_schema_field(RolesSerializer)
    def get_roles(self, user: User) -> dict[str, bool]:
        return {"uploader": can_upload(user), "moderator": can_moderate(user)}


class MeUpdateInputSerializer(serializers.Serializer):
    """Editable profile fields. `username` and `email` cannot be changed here: sending a
    different value is refused with 400 naming the field (the current value is accepted)."""

    nickname = serializers.CharField(
        max_length=50,
        allow_blank=True,
        required=False,
        validators=[validate_name],
    )
    bio = serializers.CharField(
        max_length=1000,
        allow_blank=True,
        required=False,
        trim_whitespace=False,
        validators=[validate_text],
    )
    avatar = serializers.FileField(
        required=False,
        allow_null=True,
        help_text="A PNG, JPEG, WebP or GIF image (multipart). It is stored re-encoded as WebP "
        "of at most 512x512 without metadata. Send null (JSON) or an empty value to remove it.",
    )
    time_zone = serializers.CharField(
        max_length=64,
        required=False,
        help_text="IANA time zone name (e.g. Europe/Paris, Asia/Kolkata); listening "
        "statistics count days and hours in it.",
    )
    stats_public = serializers.BooleanField(
        required=False, help_text="Whether anyone may read my listening statistics."
    )
    favorite_genres = CountedFirstListField(
        child=serializers.PrimaryKeyRelatedField(queryset=Genre.objects.all()),
        max_length=FAVORITE_GENRES_MAX,
        required=False,
        error_messages={"max_length": f"At most {FAVORITE_GENRES_MAX} genres."},
        help_text=f"Ids of up to {FAVORITE_GENRES_MAX} genres I like; a new listener's "
        "recommendations start from their charts. An empty list clears them.",
    )

    def validate_time_zone(self, value: str) -> str:
        if value not in available_time_zones():
            raise serializers.ValidationError("Unknown time zone; use an IANA name.")
        return value

    def validate(self, attrs: dict) -> dict:
        user: User = self.context["user"]
        errors = {
            name: [f"The {name} cannot be changed."]
            for name in READ_ONLY_PROFILE_FIELDS
            if name in self.initial_data and self.initial_data.get(name) != getattr(user, name)
        }
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


class AppPasswordInputSerializer(serializers.Serializer):
    name = serializers.CharField(
        max_length=100, validators=[validate_name], help_text="The app it is for"
    )


class AppPasswordOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)
    last_used_at = serializers.DateTimeField(read_only=True, allow_null=True)


class AppPasswordCreatedOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)
    password = serializers.CharField(read_only=True, help_text="Shown this once")
    created_at = serializers.DateTimeField(read_only=True)
