from django.db import migrations, models

# A listener's period reads these columns of every quarter-hour row; carried in the unique
# index, they spare a heap fetch per row. PostgreSQL only (SQLite has no INCLUDE), and not in
# the model's state: Django would drop the constraint on SQLite if it were declared with them.
# Rows of a quarter hour are rarely updated (one listen of a track in 15 minutes), so carrying
# listens and ms costs few non-HOT updates.
COVERING = """
ALTER TABLE core_listenerquarterhour DROP CONSTRAINT listener_quarter_unique;
ALTER TABLE core_listenerquarterhour ADD CONSTRAINT listener_quarter_unique
    UNIQUE (user_id, bucket, track_id) INCLUDE (artist_id, album_id, listens, ms);
"""
PLAIN = """
ALTER TABLE core_listenerquarterhour DROP CONSTRAINT listener_quarter_unique;
ALTER TABLE core_listenerquarterhour ADD CONSTRAINT listener_quarter_unique
    UNIQUE (user_id, bucket, track_id);
"""


def _on_postgresql(sql: str):
    def run(apps, schema_editor) -> None:
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0021_track_previews_and_lyrics"),
    ]

    operations = [
        migrations.CreateModel(
            name="ChartSnapshot",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("kind", models.CharField(max_length=10)),
                ("period", models.CharField(max_length=10)),
                ("genre_id", models.BigIntegerField(default=0, help_text="0: every genre")),
                ("computed_at", models.DateTimeField()),
                (
                    "window_from",
                    models.DateTimeField(blank=True, help_text="None for all time", null=True),
                ),
                ("window_to", models.DateTimeField()),
                (
                    "current",
                    models.JSONField(help_text="[[id, listens, listeners], ...], best first"),
                ),
                ("previous", models.JSONField(help_text="Ids of the window before, best first")),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("kind", "period", "genre_id"), name="chart_snapshot_unique"
                    )
                ],
            },
        ),
        migrations.RunPython(_on_postgresql(COVERING), _on_postgresql(PLAIN), elidable=False),
    ]
