# ListenerTrack's covering unique index also carries first_at on PostgreSQL, so that the new
# artists of a recap and the `all` period read a listener's rows from the index alone.

from django.db import migrations

COVERING = """
ALTER TABLE core_listenertrack DROP CONSTRAINT listener_track_unique;
ALTER TABLE core_listenertrack ADD CONSTRAINT listener_track_unique
    UNIQUE (user_id, track_id) INCLUDE (artist_id, album_id, listens, ms, first_at);
"""
PREVIOUS = """
ALTER TABLE core_listenertrack DROP CONSTRAINT listener_track_unique;
ALTER TABLE core_listenertrack ADD CONSTRAINT listener_track_unique
    UNIQUE (user_id, track_id) INCLUDE (artist_id, album_id, listens, ms);
"""


def covering(sql: str):
    def run(apps, schema_editor) -> None:
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0041_subsonic_album_order_indexes_artist_index_version"),
    ]

    operations = [
        migrations.RunPython(covering(COVERING), covering(PREVIOUS), elidable=False),
    ]
