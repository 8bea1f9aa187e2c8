from django.db import migrations

# Prefix indexes behind short searches (one or two characters match the start of titles and
# names: istartswith compiles to UPPER(column::text) LIKE UPPER('term%')), which the trigram
# indexes of 0004 cannot narrow. PostgreSQL only, like those.
PREFIX_INDEXES = [
    ("core_track_title_prefix_idx", "core_track", "title"),
    ("core_artist_name_prefix_idx", "core_artist", "name"),
    ("core_album_title_prefix_idx", "core_album", "title"),
]


def create_prefix_indexes(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, table, column in PREFIX_INDEXES:
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" '
            f'((UPPER("{column}"::text)) text_pattern_ops)'
        )


def drop_prefix_indexes(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table, _column in PREFIX_INDEXES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0007_library_user_indexes_from_composites"),
    ]

    operations = [migrations.RunPython(create_prefix_indexes, drop_prefix_indexes)]
