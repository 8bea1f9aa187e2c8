import functools
import zoneinfo

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower


def avatar_path(user: "User", filename: str) -> str:
    return f"avatars/{user.pk}/{filename}"


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
    nickname = models.CharField(max_length=50, blank=True)
    bio = models.TextField(max_length=1000, blank=True)
    avatar = models.ImageField(upload_to=avatar_path, blank=True)
    time_zone = models.CharField(
        max_length=64,
        default=default_time_zone,
        validators=[validate_time_zone],
        help_text="IANA name; listening statistics count days and hours in it",
    )
    stats_public = models.BooleanField(
        default=False, help_text="Anyone may read this listener's statistics"
    )

    class Meta:
        constraints = [
            # "Alice" and "alice" would be told apart by the login but not by people.
            models.UniqueConstraint(Lower("username"), name="user_username_unique_ci"),
            models.UniqueConstraint(
                Lower("email"),
                name="user_email_unique_ci",
                condition=~models.Q(email=""),
            ),
        ]

    def __str__(self) -> str:
        return self.username
