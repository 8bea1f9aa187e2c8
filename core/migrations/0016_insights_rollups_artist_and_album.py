"""Copy each rollup row's artist and album from its listened track, so that one listener's
top lists and totals aggregate their own rows without joining every listened track."""

from django.db import migrations, models


def fill(apps, schema_editor) -> None:
    listened = apps.get_model("core", "ListenedTrack").objects
    for name in ("ListenerQuarterHour", "ListenerTrack"):
        track = listened.filter(pk=models.OuterRef("track_id"))
        apps.get_model("core", name).objects.update(
            artist_id=models.Subquery(track.values("artist_id")[:1]),
            album_id=models.Subquery(track.values("album_id")[:1]),
        )


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0015_playlist_item_playable_trigger"),
    ]

    operations = [
        migrations.AddField(
            model_name="listenerquarterhour",
            name="artist_id",
            field=models.BigIntegerField(null=True),
        ),
        migrations.AddField(
            model_name="listenerquarterhour",
            name="album_id",
            field=models.BigIntegerField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="listenertrack",
            name="artist_id",
            field=models.BigIntegerField(null=True),
        ),
        migrations.AddField(
            model_name="listenertrack",
            name="album_id",
            field=models.BigIntegerField(blank=True, null=True),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=True),
        migrations.AlterField(
            model_name="listenerquarterhour",
            name="artist_id",
            field=models.BigIntegerField(),
        ),
        migrations.AlterField(
            model_name="listenertrack",
            name="artist_id",
            field=models.BigIntegerField(help_text="The track's, as on ListenerQuarterHour"),
        ),
        migrations.AddIndex(
            model_name="listenedtrack",
            index=models.Index(fields=["artist_id"], name="listened_track_artist_idx"),
        ),
        migrations.AddIndex(
            model_name="listenedtrack",
            index=models.Index(fields=["album_id"], name="listened_track_album_idx"),
        ),
        migrations.AddIndex(
            model_name="listenedtrackgenre",
            index=models.Index(fields=["genre_id", "track"], name="listened_genre_name_idx"),
        ),
    ]
