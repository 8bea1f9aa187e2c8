# The user foreign keys of favorites and plays need no index of their own: the composite
# indexes on (user, ...) serve lookups and cascades. Only the indexes are dropped; the
# constraints stay as they are (an AlterField would drop and re-validate them).

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

INDEXES = {
    "core_favorite": "core_favorite_user_id_6e3cf6dd",
    "core_play": "core_play_user_id_4a75fb8d",
}


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0006_playlist_item_playable"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name=model,
                    name="user",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name=related_name,
                        to=settings.AUTH_USER_MODEL,
                    ),
                )
                for model, related_name in (("favorite", "favorites"), ("play", "plays"))
            ],
            database_operations=[
                migrations.RunSQL(
                    f'DROP INDEX IF EXISTS "{index}"',
                    reverse_sql=f'CREATE INDEX "{index}" ON "{table}" ("user_id")',
                )
                for table, index in INDEXES.items()
            ],
        )
    ]
