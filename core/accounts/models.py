from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.functions import Lower


def avatar_path(user: "User", filename: str) -> str:
    return f"avatars/{user.pk}/{filename}"


class User(AbstractUser):
    nickname = models.CharField(max_length=50, blank=True)
    bio = models.TextField(max_length=1000, blank=True)
    avatar = models.ImageField(upload_to=avatar_path, blank=True)

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
