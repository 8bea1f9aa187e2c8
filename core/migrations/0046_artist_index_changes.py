"""On PostgreSQL, a log of the artist index's changes in place of its version (0041): row
triggers on core_artist and core_artistplayable write the artist and the writing transaction
whenever what getArtists and getIndexes show of an artist may change (its name, whether it has a
playable track, its album count; inserts and deletes), so that the index kept per process reads
only the artists changed since its last read (core/subsonic/artist_index.py, docs/subsonic.md).
A TRUNCATE writes a row without artist: everything may have changed.

Rows older than an hour are pruned by every 1000th row written, under SKIP LOCKED (a writer never
waits for another's prune); the prune leaves a row without artist carrying the newest pruned
transaction, so that a reader whose horizon is not past it builds its index again instead of
missing a pruned change.

Also an index on the playable tracks' last change (lastModified), read from it in one entry.
"""

from django.db import migrations, models

POSTGRESQL = """
DROP TRIGGER IF EXISTS core_artistplayable_index_bump ON core_artistplayable;
DROP TRIGGER IF EXISTS core_artist_index_bump ON core_artist;
DROP FUNCTION IF EXISTS core_artist_index_bump();
DROP SEQUENCE IF EXISTS core_artist_index_version;

CREATE FUNCTION core_artist_index_prune() RETURNS void
LANGUAGE sql AS $$
    WITH pruned AS (
        DELETE FROM core_artistindexchange WHERE id IN (
            SELECT id FROM core_artistindexchange
             WHERE changed_at < clock_timestamp() - interval '1 hour'
             ORDER BY id LIMIT 10000
               FOR UPDATE SKIP LOCKED)
        RETURNING xid)
    INSERT INTO core_artistindexchange (artist_id, xid, changed_at)
    SELECT NULL, max(xid), clock_timestamp() FROM pruned HAVING count(*) > 0;
$$;

CREATE FUNCTION core_artist_index_log(artist bigint) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    logged bigint;
BEGIN
    INSERT INTO core_artistindexchange (artist_id, xid, changed_at)
    VALUES (artist, pg_current_xact_id()::text::bigint, clock_timestamp())
    RETURNING id INTO logged;
    IF mod(logged, 1000) = 0 THEN
        PERFORM core_artist_index_prune();
    END IF;
END $$;

CREATE FUNCTION core_artist_index_artist() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        PERFORM core_artist_index_log(NULL);
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM core_artist_index_log(OLD.id);
    ELSE
        PERFORM core_artist_index_log(NEW.id);
    END IF;
    RETURN NULL;
END $$;

CREATE FUNCTION core_artist_index_playable() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        PERFORM core_artist_index_log(NULL);
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM core_artist_index_log(OLD.artist_id);
    ELSE
        PERFORM core_artist_index_log(NEW.artist_id);
    END IF;
    RETURN NULL;
END $$;

-- A new artist enters the index with its playable totals, which are logged.
CREATE TRIGGER core_artist_index_change AFTER DELETE ON core_artist
    FOR EACH ROW EXECUTE FUNCTION core_artist_index_artist();
CREATE TRIGGER core_artist_index_rename AFTER UPDATE ON core_artist
    FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name)
    EXECUTE FUNCTION core_artist_index_artist();
CREATE TRIGGER core_artist_index_truncate AFTER TRUNCATE ON core_artist
    FOR EACH STATEMENT EXECUTE FUNCTION core_artist_index_artist();

CREATE TRIGGER core_artistplayable_index_change AFTER INSERT OR DELETE ON core_artistplayable
    FOR EACH ROW EXECUTE FUNCTION core_artist_index_playable();
CREATE TRIGGER core_artistplayable_index_update AFTER UPDATE ON core_artistplayable
    FOR EACH ROW WHEN (
        (OLD.track_count > 0) IS DISTINCT FROM (NEW.track_count > 0)
        OR OLD.album_count IS DISTINCT FROM NEW.album_count
    )
    EXECUTE FUNCTION core_artist_index_playable();
CREATE TRIGGER core_artistplayable_index_truncate AFTER TRUNCATE ON core_artistplayable
    FOR EACH STATEMENT EXECUTE FUNCTION core_artist_index_playable();
"""

POSTGRESQL_REVERSE = """
DROP TRIGGER IF EXISTS core_artistplayable_index_truncate ON core_artistplayable;
DROP TRIGGER IF EXISTS core_artistplayable_index_update ON core_artistplayable;
DROP TRIGGER IF EXISTS core_artistplayable_index_change ON core_artistplayable;
DROP TRIGGER IF EXISTS core_artist_index_truncate ON core_artist;
DROP TRIGGER IF EXISTS core_artist_index_rename ON core_artist;
DROP TRIGGER IF EXISTS core_artist_index_change ON core_artist;
DROP FUNCTION IF EXISTS core_artist_index_playable();
DROP FUNCTION IF EXISTS core_artist_index_artist();
DROP FUNCTION IF EXISTS core_artist_index_log(bigint);
DROP FUNCTION IF EXISTS core_artist_index_prune();

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


def _postgresql(statements: str):
    def run(apps, schema_editor) -> None:
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(statements)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0045_insights_listener_stats_version"),
    ]

    operations = [
        migrations.CreateModel(
            name="ArtistIndexChange",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "artist_id",
                    models.BigIntegerField(
                        help_text="Not a key: deletes are logged too", null=True
                    ),
                ),
                (
                    "xid",
                    models.BigIntegerField(
                        help_text="The writing transaction (pg_current_xact_id)"
                    ),
                ),
                ("changed_at", models.DateTimeField()),
            ],
            options={
                "indexes": [models.Index(fields=["xid"], name="artist_index_change_xid_idx")],
            },
        ),
        migrations.AddIndex(
            model_name="track",
            index=models.Index(
                condition=models.Q(("is_hidden", False), ("status", "ready")),
                fields=["-updated_at"],
                name="track_updated_playable_idx",
            ),
        ),
        migrations.RunPython(_postgresql(POSTGRESQL), _postgresql(POSTGRESQL_REVERSE)),
    ]
