"""Indexes for album lists in added and title order, and on PostgreSQL a version of the artist
index (getArtists, getIndexes): a sequence that moves whenever an artist or its playable totals
change, so that a cached index is answered while it is current (docs/subsonic.md). SQLite has
no sequences: there the index is built for each call.
"""

from django.db import migrations, models

POSTGRESQL = """
CREATE SEQUENCE IF NOT EXISTS core_artist_index_version;

CREATE OR REPLACE FUNCTION core_artist_index_bump() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM nextval('core_artist_index_version');
    RETURN NULL;
END $$;

CREATE TRIGGER core_artist_index_bump
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON core_artist
    FOR EACH STATEMENT EXECUTE FUNCTION core_artist_index_bump();

CREATE TRIGGER core_artistplayable_index_bump
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON core_artistplayable
    FOR EACH STATEMENT EXECUTE FUNCTION core_artist_index_bump();
"""

POSTGRESQL_REVERSE = """
DROP TRIGGER IF EXISTS core_artistplayable_index_bump ON core_artistplayable;
DROP TRIGGER IF EXISTS core_artist_index_bump ON core_artist;
DROP FUNCTION IF EXISTS core_artist_index_bump();
DROP SEQUENCE IF EXISTS core_artist_index_version;
"""


def _postgresql(statements: str):
    def run(apps, schema_editor) -> None:
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(statements)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0040_subsonic_playable_totals"),
    ]

    operations = [
        migrations.RunPython(_postgresql(POSTGRESQL), _postgresql(POSTGRESQL_REVERSE)),
        migrations.AddIndex(
            model_name="album",
            index=models.Index(fields=["-created_at", "-id"], name="album_recent_idx"),
        ),
        migrations.AddIndex(
            model_name="album",
            index=models.Index(fields=["title", "id"], name="album_title_order_idx"),
        ),
    ]
