from django.db import migrations, models

# Trigram indexes behind the catalog's case-insensitive search (icontains compiles to
# UPPER(column::text) LIKE UPPER(...)). PostgreSQL only: other databases keep scanning.
TRIGRAM_INDEXES = [
    ("core_track_title_trgm_idx", "core_track", "title"),
    ("core_artist_name_trgm_idx", "core_artist", "name"),
    ("core_album_title_trgm_idx", "core_album", "title"),
]


def create_trigram_indexes(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, table, column in TRIGRAM_INDEXES:
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" '
            f'USING gin ((UPPER("{column}"::text)) gin_trgm_ops)'
        )


def drop_trigram_indexes(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table, _column in TRIGRAM_INDEXES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0003_accounts_username_ci"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="track",
            index=models.Index(fields=["-created_at", "-id"], name="track_recent_idx"),
        ),
        migrations.RunPython(create_trigram_indexes, drop_trigram_indexes),
    ]
