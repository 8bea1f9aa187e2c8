# Month rows and genre spans of the insights rollups (docs/architecture.md#insights), filled
# from the quarter-hour rows that already exist: the same statements as rebuild.rebuild_spans.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

# Covering unique indexes on PostgreSQL, as migration 0022 made listener_quarter_unique; the
# `all` period reads a listener's ListenerTrack rows the same way.
COVERING = """
ALTER TABLE core_listenertrack DROP CONSTRAINT listener_track_unique;
ALTER TABLE core_listenertrack ADD CONSTRAINT listener_track_unique
    UNIQUE (user_id, track_id) INCLUDE (artist_id, album_id, listens, ms);
ALTER TABLE core_listenermonth DROP CONSTRAINT listener_month_unique;
ALTER TABLE core_listenermonth ADD CONSTRAINT listener_month_unique
    UNIQUE (user_id, month, track_id) INCLUDE (artist_id, album_id, listens, ms);
ALTER TABLE core_listenergenrespan DROP CONSTRAINT listener_genre_span_unique;
ALTER TABLE core_listenergenrespan ADD CONSTRAINT listener_genre_span_unique
    UNIQUE (user_id, span, start, genre_id) INCLUDE (listens, ms);
"""
PLAIN = """
ALTER TABLE core_listenertrack DROP CONSTRAINT listener_track_unique;
ALTER TABLE core_listenertrack ADD CONSTRAINT listener_track_unique UNIQUE (user_id, track_id);
ALTER TABLE core_listenermonth DROP CONSTRAINT listener_month_unique;
ALTER TABLE core_listenermonth ADD CONSTRAINT listener_month_unique
    UNIQUE (user_id, month, track_id);
ALTER TABLE core_listenergenrespan DROP CONSTRAINT listener_genre_span_unique;
ALTER TABLE core_listenergenrespan ADD CONSTRAINT listener_genre_span_unique
    UNIQUE (user_id, span, start, genre_id);
"""
MONTHS = """
INSERT INTO core_listenermonth
    (user_id, month, track_id, artist_id, album_id, listens, ms, first_at)
SELECT user_id, {month}, track_id, max(artist_id), max(album_id), sum(listens), sum(ms),
    min(first_at)
FROM core_listenerquarterhour
GROUP BY user_id, {month}, track_id
"""
GENRE_SPANS = """
INSERT INTO core_listenergenrespan (user_id, span, start, genre_id, listens, ms, first_at)
SELECT q.user_id, '{span}', {start}, g.genre_id, sum(q.listens), sum(q.ms), min(q.first_at)
FROM core_listenerquarterhour q JOIN core_listenedtrackgenre g ON g.track_id = q.track_id
GROUP BY q.user_id, {start}, g.genre_id
"""
STARTS = {
    "postgresql": {
        "month": "CAST(date_trunc('month', {bucket} AT TIME ZONE 'UTC') AS date)",
        "day": "CAST({bucket} AT TIME ZONE 'UTC' AS date)",
    },
    "sqlite": {"month": "substr({bucket}, 1, 7) || '-01'", "day": "substr({bucket}, 1, 10)"},
}


def covering(sql: str):
    def run(apps, schema_editor) -> None:
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


def fill(apps, schema_editor) -> None:
    vendor = "postgresql" if schema_editor.connection.vendor == "postgresql" else "sqlite"
    starts = STARTS[vendor]
    schema_editor.execute(MONTHS.format(month=starts["month"].format(bucket="bucket")))
    for span, grain in (("d", "day"), ("m", "month")):
        start = starts[grain].format(bucket="q.bucket")
        schema_editor.execute(GENRE_SPANS.format(span=span, start=start))


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0025_artists_follows_ratings_feed"),
    ]

    operations = [
        migrations.CreateModel(
            name="ListenerGenreSpan",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "span",
                    models.CharField(choices=[("d", "UTC day"), ("m", "UTC month")], max_length=1),
                ),
                (
                    "start",
                    models.DateField(help_text="The UTC day, or the first day of the UTC month"),
                ),
                ("genre_id", models.BigIntegerField()),
                ("listens", models.PositiveIntegerField()),
                ("ms", models.BigIntegerField()),
                (
                    "first_at",
                    models.DateTimeField(help_text="When the earliest of these listens started"),
                ),
                (
                    "user",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("user", "span", "start", "genre_id"),
                        name="listener_genre_span_unique",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("ms__gte", 0)),
                        name="listener_genre_span_ms_non_negative",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="ListenerMonth",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("month", models.DateField(help_text="First day of the UTC month")),
                (
                    "artist_id",
                    models.BigIntegerField(help_text="The track's, as on ListenerQuarterHour"),
                ),
                ("album_id", models.BigIntegerField(blank=True, null=True)),
                ("listens", models.PositiveIntegerField()),
                ("ms", models.BigIntegerField()),
                (
                    "first_at",
                    models.DateTimeField(help_text="When the earliest of these listens started"),
                ),
                (
                    "track",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="core.listenedtrack",
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("user", "month", "track"), name="listener_month_unique"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("ms__gte", 0)), name="listener_month_ms_non_negative"
                    ),
                ],
            },
        ),
        migrations.RunPython(covering(COVERING), covering(PLAIN), elidable=False),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=False),
    ]
