"""Usernames compared by NFKC case fold on every database: a username_key column, filled for
existing accounts, unique, in place of the unique index on lower(username) (which SQLite
computes for ASCII letters only)."""

import unicodedata
from collections import defaultdict

import django.contrib.auth.validators
from django.db import migrations, models

import core.accounts.models
import core.accounts.usernames


def _key(username: str) -> str:
    # Frozen copy of core.accounts.usernames.username_key as of this migration.
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", username).casefold())


def fill_username_keys(apps, schema_editor):
    User = apps.get_model("core", "User")
    by_key = defaultdict(list)
    for username in User.objects.values_list("username", flat=True).iterator():
        by_key[_key(username)].append(username)
    clashes = [names for names in by_key.values() if len(names) > 1]
    if clashes:
        listed = "; ".join(", ".join(repr(name) for name in names) for names in clashes)
        raise RuntimeError(
            "These accounts have usernames that differ only by case or Unicode form; rename "
            f"all but one of each group, then migrate again: {listed}"
        )
    for user in User.objects.only("pk", "username").iterator():
        user.username_key = _key(user.username)
        user.save(update_fields=["username_key"])


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0010_text_policy_validators"),
    ]

    operations = [
        migrations.AlterModelManagers(
            name="user",
            managers=[("objects", core.accounts.models.UserManager())],
        ),
        migrations.AlterField(
            model_name="user",
            name="username",
            field=models.CharField(
                error_messages={"unique": "A user with that username already exists."},
                help_text="Required. 150 characters or fewer. Letters, digits and @/./+/-/_ only.",
                max_length=150,
                unique=True,
                validators=[
                    django.contrib.auth.validators.UnicodeUsernameValidator(),
                    core.accounts.usernames.NoMixedScriptConfusablesValidator(),
                ],
                verbose_name="username",
            ),
        ),
        migrations.AddField(
            model_name="user",
            name="username_key",
            field=models.CharField(editable=False, max_length=450, null=True),
        ),
        migrations.RunPython(fill_username_keys, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="user",
            name="username_key",
            field=models.CharField(editable=False, max_length=450, unique=True),
        ),
        migrations.RemoveConstraint(
            model_name="user",
            name="user_username_unique_ci",
        ),
    ]
