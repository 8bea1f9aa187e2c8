"""Totals of the playable tracks (ready, not hidden) of each album and each artist, kept by the
database whatever changes a track or an album: a service, the admin, processing, a bulk
`.update()`, a data migration or raw SQL (as 0015 keeps playlist items' `playable`). Lists of
albums and artists (the Subsonic API's getAlbumList2, search3, getArtists) page these rows
instead of totalling every album's tracks before paging.

tests/subsonic/test_playable_totals.py changes tracks by every route and compares. A later
migration that makes SQLite rebuild core_track or core_album drops these triggers (and SQLite
refuses to rebuild core_album while a trigger names it): it calls drop_triggers before and
create_triggers after, on SQLite only, as 0025 does for 0015's.
"""

from django.db import migrations, models

_PLAYABLE_OLD = "OLD.status = 'ready' AND NOT OLD.is_hidden"
_PLAYABLE_NEW = "NEW.status = 'ready' AND NOT NEW.is_hidden"

POSTGRESQL = f"""
CREATE OR REPLACE FUNCTION core_track_playable_totals() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND ({_PLAYABLE_OLD}) AND ({_PLAYABLE_NEW})
       AND OLD.album_id IS NOT DISTINCT FROM NEW.album_id AND OLD.artist_id = NEW.artist_id THEN
        IF NEW.album_id IS NOT NULL AND OLD.duration IS DISTINCT FROM NEW.duration THEN
            UPDATE core_albumplayable
               SET duration = duration + COALESCE(NEW.duration, 0) - COALESCE(OLD.duration, 0)
             WHERE album_id = NEW.album_id;
        END IF;
        RETURN NULL;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') AND ({_PLAYABLE_OLD}) THEN
        UPDATE core_albumplayable
           SET track_count = track_count - 1, duration = duration - COALESCE(OLD.duration, 0)
         WHERE album_id = OLD.album_id;
        UPDATE core_artistplayable SET track_count = track_count - 1
         WHERE artist_id = OLD.artist_id;
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') AND ({_PLAYABLE_NEW}) THEN
        IF NEW.album_id IS NOT NULL THEN
            INSERT INTO core_albumplayable (album_id, track_count, duration)
            VALUES (NEW.album_id, 1, COALESCE(NEW.duration, 0))
            ON CONFLICT (album_id) DO UPDATE
               SET track_count = core_albumplayable.track_count + 1,
                   duration = core_albumplayable.duration + EXCLUDED.duration;
        END IF;
        INSERT INTO core_artistplayable (artist_id, track_count, album_count)
        VALUES (NEW.artist_id, 1, 0)
        ON CONFLICT (artist_id) DO UPDATE
           SET track_count = core_artistplayable.track_count + 1;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER core_track_playable_totals
    AFTER INSERT OR DELETE OR UPDATE OF status, is_hidden, duration, album_id, artist_id
    ON core_track
    FOR EACH ROW EXECUTE FUNCTION core_track_playable_totals();

CREATE OR REPLACE FUNCTION core_albumplayable_album_count() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    delta integer := 0;
    album bigint;
    owner bigint;
BEGIN
    IF TG_OP <> 'DELETE' AND NEW.track_count > 0 THEN delta := delta + 1; END IF;
    IF TG_OP <> 'INSERT' AND OLD.track_count > 0 THEN delta := delta - 1; END IF;
    IF delta = 0 THEN RETURN NULL; END IF;
    album := CASE WHEN TG_OP = 'DELETE' THEN OLD.album_id ELSE NEW.album_id END;
    SELECT artist_id INTO owner FROM core_album WHERE id = album;
    IF owner IS NOT NULL THEN
        INSERT INTO core_artistplayable (artist_id, track_count, album_count)
        VALUES (owner, 0, delta)
        ON CONFLICT (artist_id) DO UPDATE
           SET album_count = core_artistplayable.album_count + EXCLUDED.album_count;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER core_albumplayable_album_count
    AFTER INSERT OR DELETE OR UPDATE OF track_count ON core_albumplayable
    FOR EACH ROW EXECUTE FUNCTION core_albumplayable_album_count();

CREATE OR REPLACE FUNCTION core_album_move_album_count() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM core_albumplayable WHERE album_id = NEW.id AND track_count > 0) THEN
        UPDATE core_artistplayable SET album_count = album_count - 1
         WHERE artist_id = OLD.artist_id;
        INSERT INTO core_artistplayable (artist_id, track_count, album_count)
        VALUES (NEW.artist_id, 0, 1)
        ON CONFLICT (artist_id) DO UPDATE
           SET album_count = core_artistplayable.album_count + 1;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER core_album_move_album_count
    AFTER UPDATE OF artist_id ON core_album
    FOR EACH ROW WHEN (OLD.artist_id IS DISTINCT FROM NEW.artist_id)
    EXECUTE FUNCTION core_album_move_album_count();
"""  # noqa: S608 (constant text)

POSTGRESQL_REVERSE = """
DROP TRIGGER IF EXISTS core_album_move_album_count ON core_album;
DROP FUNCTION IF EXISTS core_album_move_album_count();
DROP TRIGGER IF EXISTS core_albumplayable_album_count ON core_albumplayable;
DROP FUNCTION IF EXISTS core_albumplayable_album_count();
DROP TRIGGER IF EXISTS core_track_playable_totals ON core_track;
DROP FUNCTION IF EXISTS core_track_playable_totals();
"""

_SQLITE_REMOVE_OLD = f"""
        UPDATE core_albumplayable
           SET track_count = track_count - 1, duration = duration - COALESCE(OLD.duration, 0)
         WHERE album_id = OLD.album_id AND {_PLAYABLE_OLD};
        UPDATE core_artistplayable SET track_count = track_count - 1
         WHERE artist_id = OLD.artist_id AND {_PLAYABLE_OLD};
"""  # noqa: S608 (constant text)
_SQLITE_ADD_NEW = f"""
        INSERT INTO core_albumplayable (album_id, track_count, duration)
        SELECT NEW.album_id, 1, COALESCE(NEW.duration, 0)
         WHERE NEW.album_id IS NOT NULL AND {_PLAYABLE_NEW}
        ON CONFLICT (album_id) DO UPDATE
           SET track_count = track_count + 1, duration = duration + excluded.duration;
        INSERT INTO core_artistplayable (artist_id, track_count, album_count)
        SELECT NEW.artist_id, 1, 0 WHERE {_PLAYABLE_NEW}
        ON CONFLICT (artist_id) DO UPDATE SET track_count = track_count + 1;
"""  # noqa: S608 (constant text)
_SQLITE_ALBUM_DELTA = """
        INSERT INTO core_artistplayable (artist_id, track_count, album_count)
        SELECT artist_id, 0, {delta} FROM core_album WHERE id = {album}
        ON CONFLICT (artist_id) DO UPDATE SET album_count = album_count + excluded.album_count;
"""

SQLITE = [
    f"""
    CREATE TRIGGER core_track_playable_totals_insert AFTER INSERT ON core_track
    FOR EACH ROW WHEN {_PLAYABLE_NEW}
    BEGIN {_SQLITE_ADD_NEW} END
    """,
    f"""
    CREATE TRIGGER core_track_playable_totals_delete AFTER DELETE ON core_track
    FOR EACH ROW WHEN {_PLAYABLE_OLD}
    BEGIN {_SQLITE_REMOVE_OLD} END
    """,
    f"""
    CREATE TRIGGER core_track_playable_totals_update
    AFTER UPDATE OF status, is_hidden, duration, album_id, artist_id ON core_track
    FOR EACH ROW
    BEGIN {_SQLITE_REMOVE_OLD} {_SQLITE_ADD_NEW} END
    """,
    f"""
    CREATE TRIGGER core_albumplayable_album_count_insert AFTER INSERT ON core_albumplayable
    FOR EACH ROW WHEN NEW.track_count > 0
    BEGIN {_SQLITE_ALBUM_DELTA.format(delta=1, album="NEW.album_id")} END
    """,
    f"""
    CREATE TRIGGER core_albumplayable_album_count_update
    AFTER UPDATE OF track_count ON core_albumplayable
    FOR EACH ROW WHEN (NEW.track_count > 0) <> (OLD.track_count > 0)
    BEGIN
    {
        _SQLITE_ALBUM_DELTA.format(
            delta="CASE WHEN NEW.track_count > 0 THEN 1 ELSE -1 END", album="NEW.album_id"
        )
    }
    END
    """,
    f"""
    CREATE TRIGGER core_albumplayable_album_count_delete AFTER DELETE ON core_albumplayable
    FOR EACH ROW WHEN OLD.track_count > 0
    BEGIN {_SQLITE_ALBUM_DELTA.format(delta=-1, album="OLD.album_id")} END
    """,
    """
    CREATE TRIGGER core_album_move_album_count AFTER UPDATE OF artist_id ON core_album
    FOR EACH ROW WHEN OLD.artist_id IS NOT NEW.artist_id AND EXISTS (
        SELECT 1 FROM core_albumplayable WHERE album_id = NEW.id AND track_count > 0)
    BEGIN
        UPDATE core_artistplayable SET album_count = album_count - 1
         WHERE artist_id = OLD.artist_id;
        INSERT INTO core_artistplayable (artist_id, track_count, album_count)
        SELECT NEW.artist_id, 0, 1 WHERE true
        ON CONFLICT (artist_id) DO UPDATE SET album_count = album_count + 1;
    END
    """,
]

SQLITE_REVERSE = [
    f"DROP TRIGGER IF EXISTS {name}"
    for name in (
        "core_album_move_album_count",
        "core_albumplayable_album_count_delete",
        "core_albumplayable_album_count_update",
        "core_albumplayable_album_count_insert",
        "core_track_playable_totals_update",
        "core_track_playable_totals_delete",
        "core_track_playable_totals_insert",
    )
]

# Every row once, from the tracks as they are, before the triggers take over.
BACKFILL = [
    "DELETE FROM core_artistplayable",
    "DELETE FROM core_albumplayable",
    """
    INSERT INTO core_albumplayable (album_id, track_count, duration)
    SELECT album_id, COUNT(*), COALESCE(SUM(duration), 0) FROM core_track
     WHERE status = 'ready' AND NOT is_hidden AND album_id IS NOT NULL
     GROUP BY album_id
    """,
    """
    INSERT INTO core_artistplayable (artist_id, track_count, album_count)
    SELECT a.id,
           (SELECT COUNT(*) FROM core_track t
             WHERE t.artist_id = a.id AND t.status = 'ready' AND NOT t.is_hidden),
           (SELECT COUNT(*) FROM core_album al
              JOIN core_albumplayable p ON p.album_id = al.id
             WHERE al.artist_id = a.id AND p.track_count > 0)
      FROM core_artist a
    """,
]


def _run(schema_editor, statements: str | list[str]) -> None:
    for statement in [statements] if isinstance(statements, str) else statements:
        schema_editor.execute(statement)


def drop_triggers(apps, schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    _run(schema_editor, POSTGRESQL_REVERSE if vendor == "postgresql" else SQLITE_REVERSE)


def create_triggers(apps, schema_editor) -> None:
    """Totals from the tracks as they are, then the triggers that keep them."""
    vendor = schema_editor.connection.vendor
    if vendor not in ("postgresql", "sqlite"):
        raise NotImplementedError(f"No playable totals triggers for {vendor}")
    drop_triggers(apps, schema_editor)
    _run(schema_editor, BACKFILL)
    _run(schema_editor, POSTGRESQL if vendor == "postgresql" else SQLITE)


class Migration(migrations.Migration):
    # After the other rooms' migrations of this round: one of them rebuilds core_track and
    # core_album on SQLite, which would drop these triggers had they been made before.
    dependencies = [
        ("core", "0026_insights_month_and_genre_rollups"),
        ("core", "0030_hiding_roles_tracks_and_albums"),
        ("core", "0035_recommendations_reason_rated"),
    ]

    operations = [
        migrations.CreateModel(
            name="AlbumPlayable",
            fields=[
                (
                    "album",
                    models.OneToOneField(
                        on_delete=models.deletion.CASCADE,
                        primary_key=True,
                        related_name="playable_totals",
                        serialize=False,
                        to="core.album",
                    ),
                ),
                ("track_count", models.IntegerField(default=0)),
                ("duration", models.FloatField(default=0, help_text="Seconds")),
            ],
        ),
        migrations.CreateModel(
            name="ArtistPlayable",
            fields=[
                (
                    "artist",
                    models.OneToOneField(
                        on_delete=models.deletion.CASCADE,
                        primary_key=True,
                        related_name="playable_totals",
                        serialize=False,
                        to="core.artist",
                    ),
                ),
                ("track_count", models.IntegerField(default=0)),
                ("album_count", models.IntegerField(default=0)),
            ],
        ),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
