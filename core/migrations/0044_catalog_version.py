"""On PostgreSQL, a version of the catalog: a sequence the database moves whenever something a
catalog payload shows changes (a track, album, artist or genre, a track's genres, media or
variants, an uploader's name, an artist's managers), so that what was built from the catalog can be kept while the
version stands (charts' rendered entries, anonymous list pages, ETags; docs/architecture.md,
"Catalog version"). The counters that listening and following move (`listen_count`,
`follower_count`) do not move it: payloads kept across them are at most CATALOG_CACHE_SECONDS
behind on those figures. A rating moves it (a listener who rates sees the new average at once).

Each table has an immediate trigger (the version moves with the statement, so a reader in the
writing transaction sees it at once) and a deferred one that moves it again when the writing
transaction commits, so that nothing a reader built from the old rows between the statement and
the commit is kept under the new version. SQLite has no sequences: there nothing is kept.
"""

from django.db import migrations

# table -> columns whose changes do not move the version (None: only the username matters)
TABLES = {
    "core_track": ("listen_count",),
    "core_album": (),
    "core_artist": ("follower_count",),
    "core_genre": (),
    "core_track_genres": (),
    "media_pipeline_trackmedia": (),
    "media_pipeline_trackvariant": (),
    "core_artistmanager": (),  # who sees a non-public catalog (kept_pages._sees_public_catalog)
    "core_user": None,
}


def _changed(ignored) -> str:
    if ignored is None:
        return "OLD.username IS DISTINCT FROM NEW.username"
    minus = "".join(f" - '{column}'" for column in ignored)
    return f"(to_jsonb(OLD){minus}) IS DISTINCT FROM (to_jsonb(NEW){minus})"


def _triggers(table: str, ignored) -> str:
    name = f"core_catalog_{table}"
    run = "EXECUTE FUNCTION core_catalog_bump()"
    changed = _changed(ignored)
    inserts_deletes = "" if ignored is None else "INSERT OR DELETE OR TRUNCATE"
    statements = []
    if inserts_deletes:
        statements += [
            f"CREATE TRIGGER {name}_write AFTER {inserts_deletes} ON {table} "
            f"FOR EACH STATEMENT {run};",
            f"CREATE CONSTRAINT TRIGGER {name}_write_commit AFTER INSERT OR DELETE ON {table} "
            f"DEFERRABLE INITIALLY DEFERRED FOR EACH ROW {run};",
        ]
    statements += [
        f"CREATE TRIGGER {name}_update AFTER UPDATE ON {table} "
        f"FOR EACH ROW WHEN ({changed}) {run};",
        f"CREATE CONSTRAINT TRIGGER {name}_update_commit AFTER UPDATE ON {table} "
        f"DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN ({changed}) {run};",
    ]
    return "\n".join(statements)


POSTGRESQL = "\n".join(
    [
        "CREATE SEQUENCE IF NOT EXISTS core_catalog_version;",
        """CREATE OR REPLACE FUNCTION core_catalog_bump() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM nextval('core_catalog_version');
    RETURN NULL;
END $$;""",
        *(_triggers(table, ignored) for table, ignored in TABLES.items()),
    ]
)

POSTGRESQL_REVERSE = "\n".join(
    [
        *(
            f"DROP TRIGGER IF EXISTS core_catalog_{table}_{suffix} ON {table};"
            for table in TABLES
            for suffix in ("write", "write_commit", "update", "update_commit")
        ),
        "DROP FUNCTION IF EXISTS core_catalog_bump();",
        "DROP SEQUENCE IF EXISTS core_catalog_version;",
    ]
)


def _postgresql(statements: str):
    def run(apps, schema_editor) -> None:
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(statements)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0043_track_popular_playable_index"),
    ]

    operations = [
        migrations.RunPython(_postgresql(POSTGRESQL), _postgresql(POSTGRESQL_REVERSE)),
    ]
