import functools
import zoneinfo

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower

from core.accounts.usernames import username_key, validate_not_confusable
from core.text import validate_name, validate_text

# NFKC case folding can make a name up to three times longer.
USERNAME_KEY_MAX_LENGTH = 3 * 150


def avatar_path(user: "User", filename: str) -> str:
    return f"avatars/{user.pk}/{filename}"


class UserManager(DjangoUserManager):
    def get_by_natural_key(self, username: str) -> "User":
        """The account a login names, however the name is cased or composed."""
        return self.get(username_key=username_key(username))


def validate_time_zone(name: str) -> None:
    """An IANA time zone name that this machine's tz database knows."""
    if name not in available_time_zones():
        raise ValidationError(f"Unknown time zone {name[:64]!r}; use an IANA name.")


@functools.cache
def available_time_zones() -> frozenset[str]:
    """The IANA names the tz database knows (read once: listing them walks its files)."""
    return frozenset(zoneinfo.available_timezones())


def default_time_zone() -> str:
    return settings.LISTENER_TIME_ZONE


class User(AbstractUser):
    username = models.CharField(
        "username",
        max_length=150,
        unique=True,
        help_text="Required. 150 characters or fewer. Letters, digits and @/./+/-/_ only.",
        validators=[UnicodeUsernameValidator(), validate_not_confusable],
        error_messages={"unique": "A user with that username already exists."},
    )
    # The username as names are compared (core/accounts/usernames.py); kept by save().
    username_key = models.CharField(max_length=USERNAME_KEY_MAX_LENGTH, unique=True, editable=False)
    nickname = models.CharField(max_length=50, blank=True, validators=[validate_name])
    bio = models.TextField(max_length=1000, blank=True, validators=[validate_text])
    avatar = models.ImageField(upload_to=avatar_path, blank=True)
    # Every token carries the version it was issued under; a password change or a deactivation
    # moves it on, so all tokens issued before stop working (core/accounts/tokens.py).
    token_version = models.PositiveIntegerField(default=0, editable=False)
    time_zone = models.CharField(
        max_length=64,
        default=default_time_zone,
        validators=[validate_time_zone],
        help_text="IANA name; listening statistics count days and hours in it",
    )
    stats_public = models.BooleanField(
        default=False, help_text="Anyone may read this listener's statistics"
    )
    favorite_genres = models.ManyToManyField(
        "core.Genre",
        blank=True,
        related_name="+",
        help_text="Genres the listener chose; recommendations start from their charts",
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                name="user_email_unique_ci",
                condition=~models.Q(email=""),
            ),
        ]

    objects = UserManager()

    def __str__(self) -> str:
        return self.username

    def clean(self) -> None:
        super().clean()
        taken = User.objects.filter(username_key=username_key(self.username or ""))
        if taken.exclude(pk=self.pk).exists():
            raise ValidationError({"username": "A user with that username already exists."})

    @classmethod
    def from_db(cls, db, field_names, values):
        user = super().from_db(db, field_names, values)
        user._stored_is_active = user.__dict__.get("is_active", True)
        return user

    def save(self, *args, **kwargs) -> None:
        self.username_key = username_key(self.username)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "username" in update_fields:
            kwargs["update_fields"] = {*update_fields, "username_key"}
        if not self._state.adding and self._revokes_tokens(kwargs.get("update_fields")):
            self.token_version += 1
            update_fields = kwargs.get("update_fields")
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "token_version"}
        super().save(*args, **kwargs)
        self._stored_is_active = self.is_active

    def _revokes_tokens(self, update_fields) -> bool:
        def saved(name: str) -> bool:
            return update_fields is None or name in update_fields

        # set_password() leaves the new raw password in _password until the save; Django's
        # transparent rehash on login clears it first, so an upgraded hash revokes nothing.
        password_changed = self._password is not None and saved("password")
        deactivated = (
            getattr(self, "_stored_is_active", True) and not self.is_active and saved("is_active")
        )
        return password_changed or deactivated


class AppPassword(models.Model):
    """A password a listener made for one app (the Subsonic API): revocable on its own, never
    the account password. Kept encrypted (Fernet, keys from the environment) because token
    auth needs it readable, and found by `lookup_hash`, a keyed hash of it."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="app_passwords")
    name = models.CharField(max_length=100, validators=[validate_name])
    encrypted = models.BinaryField(editable=False)
    lookup_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "-created_at"], name="app_password_user_idx")]

    def __str__(self) -> str:
        return f"{self.name} ({self.user})"
