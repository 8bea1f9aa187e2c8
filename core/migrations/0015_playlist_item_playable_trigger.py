"""The database keeps PlaylistItem.playable equal to its track's playability (ready and not
hidden, TrackQuerySet.playable()) whatever changes the track: a service, the admin, a bulk
`.update()`, a data migration or raw SQL. Before, six hand-written calls did it.

tests/playlists/test_playable_consistency.py changes tracks by every route and compares.
"""

from django.db import migrations

POSTGRESQL = """
CREATE OR REPLACE FUNCTION core_track_playable(track_id bigint) RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT EXISTS (SELECT 1 FROM core_track t
                    WHERE t.id = track_id AND t.status = 'ready' AND NOT t.is_hidden)
$$;

CREATE OR REPLACE FUNCTION core_track_sync_playable() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE core_playlistitem
       SET playable = (NEW.status = 'ready' AND NOT NEW.is_hidden)
     WHERE track_id = NEW.id
       AND playable IS DISTINCT FROM (NEW.status = 'ready' AND NOT NEW.is_hidden);
    RETURN NULL;
END $$;

CREATE TRIGGER core_track_sync_playable
    AFTER UPDATE OF status, is_hidden ON core_track
    FOR EACH ROW
    WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.is_hidden IS DISTINCT FROM NEW.is_hidden)
    EXECUTE FUNCTION core_track_sync_playable();

CREATE OR REPLACE FUNCTION core_playlistitem_set_playable() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.playable := core_track_playable(NEW.track_id);
    RETURN NEW;
END $$;

CREATE TRIGGER core_playlistitem_set_playable
    BEFORE INSERT OR UPDATE OF track_id, playable ON core_playlistitem
    FOR EACH ROW EXECUTE FUNCTION core_playlistitem_set_playable();
"""

POSTGRESQL_REVERSE = """
DROP TRIGGER IF EXISTS core_playlistitem_set_playable ON core_playlistitem;
DROP FUNCTION IF EXISTS core_playlistitem_set_playable();
DROP TRIGGER IF EXISTS core_track_sync_playable ON core_track;
DROP FUNCTION IF EXISTS core_track_sync_playable();
DROP FUNCTION IF EXISTS core_track_playable(bigint);
"""

# SQLite cannot assign NEW in a trigger: the item's row is corrected right after its write
# (recursive triggers are off, so that correction fires nothing further).
SQLITE = [
    """
    CREATE TRIGGER core_track_sync_playable
    AFTER UPDATE OF status, is_hidden ON core_track
    FOR EACH ROW
    WHEN OLD.status IS NOT NEW.status OR OLD.is_hidden IS NOT NEW.is_hidden
    BEGIN
        UPDATE core_playlistitem
           SET playable = (NEW.status = 'ready' AND NOT NEW.is_hidden)
         WHERE track_id = NEW.id;
    END
    """,
    """
    CREATE TRIGGER core_playlistitem_set_playable_insert
    AFTER INSERT ON core_playlistitem
    FOR EACH ROW
    BEGIN
        UPDATE core_playlistitem
           SET playable = EXISTS (SELECT 1 FROM core_track t WHERE t.id = NEW.track_id
                                     AND t.status = 'ready' AND NOT t.is_hidden)
         WHERE id = NEW.id;
    END
    """,
    """
    CREATE TRIGGER core_playlistitem_set_playable_update
    AFTER UPDATE OF track_id, playable ON core_playlistitem
    FOR EACH ROW
    BEGIN
        UPDATE core_playlistitem
           SET playable = EXISTS (SELECT 1 FROM core_track t WHERE t.id = NEW.track_id
                                     AND t.status = 'ready' AND NOT t.is_hidden)
         WHERE id = NEW.id;
    END
    """,
]

SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS core_playlistitem_set_playable_update",
    "DROP TRIGGER IF EXISTS core_playlistitem_set_playable_insert",
    "DROP TRIGGER IF EXISTS core_track_sync_playable",
]


def _run(schema_editor, statements: str | list[str]) -> None:
    if isinstance(statements, str):
        statements = [statements]
    for statement in statements:
        schema_editor.execute(statement)


def create_triggers(apps, schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        _run(schema_editor, POSTGRESQL)
    elif vendor == "sqlite":
        _run(schema_editor, SQLITE)
    else:
        raise NotImplementedError(f"No playable triggers for {vendor}")
    # Bring every item in step once, whatever happened before the triggers existed.
    PlaylistItem = apps.get_model("core", "PlaylistItem")
    Track = apps.get_model("core", "Track")
    playable = Track.objects.filter(status="ready", is_hidden=False).values("pk")
    PlaylistItem.objects.filter(track__in=playable).exclude(playable=True).update(playable=True)
    PlaylistItem.objects.exclude(track__in=playable).exclude(playable=False).update(playable=False)


def drop_triggers(apps, schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    _run(schema_editor, POSTGRESQL_REVERSE if vendor == "postgresql" else SQLITE_REVERSE)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0014_uploads_processing_models_from_media_pipeline"),
    ]

    operations = [migrations.RunPython(create_triggers, drop_triggers)]
