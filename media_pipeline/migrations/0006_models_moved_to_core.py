"""Upload, ImportedFile, ImportFailure, TrackMedia, TrackVariant and ProcessingJob now belong
to `core` (core 0013 adds them to its state): this app forgets them without touching their tables."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("media_pipeline", "0005_import_failures"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name="processingjob",
                    name="track",
                ),
                migrations.RemoveField(
                    model_name="trackmedia",
                    name="track",
                ),
                migrations.RemoveField(
                    model_name="trackvariant",
                    name="track",
                ),
                migrations.RemoveField(
                    model_name="upload",
                    name="track",
                ),
                migrations.RemoveField(
                    model_name="upload",
                    name="user",
                ),
                migrations.DeleteModel(
                    name="ImportedFile",
                ),
                migrations.DeleteModel(
                    name="ImportFailure",
                ),
                migrations.DeleteModel(
                    name="ProcessingJob",
                ),
                migrations.DeleteModel(
                    name="TrackMedia",
                ),
                migrations.DeleteModel(
                    name="TrackVariant",
                ),
                migrations.DeleteModel(
                    name="Upload",
                ),
            ],
            database_operations=[],
        ),
    ]
