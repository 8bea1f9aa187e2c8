"""The models of uploads and processing move from `media_pipeline` into `core`.

State only: the tables keep their names (`db_table`) and their rows. The content types are
renamed too, so that permissions granted on them (and admin history) follow the models.
"""

import uuid

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

MOVED_MODELS = [
    "upload",
    "importedfile",
    "importfailure",
    "trackmedia",
    "trackvariant",
    "processingjob",
]


def rename_content_types(apps, schema_editor, *, source: str, target: str) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MOVED_MODELS:
        if not ContentType.objects.filter(app_label=target, model=model).exists():
            ContentType.objects.filter(app_label=source, model=model).update(app_label=target)


def forwards(apps, schema_editor) -> None:
    rename_content_types(apps, schema_editor, source="media_pipeline", target="core")


def backwards(apps, schema_editor) -> None:
    rename_content_types(apps, schema_editor, source="core", target="media_pipeline")


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0013_insights_rollups_and_listener_settings"),
        ("media_pipeline", "0006_models_moved_to_core"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ImportFailure",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("sha256", models.CharField(max_length=64, unique=True)),
                        (
                            "path",
                            models.CharField(
                                help_text="Where the file was, relative to the folder",
                                max_length=1024,
                            ),
                        ),
                        ("reason", models.CharField(max_length=500)),
                        ("failed_at", models.DateTimeField(auto_now=True)),
                    ],
                    options={
                        "db_table": "media_pipeline_importfailure",
                        "ordering": ["-failed_at"],
                    },
                ),
                migrations.CreateModel(
                    name="TrackMedia",
                    fields=[
                        (
                            "track",
                            models.OneToOneField(
                                on_delete=django.db.models.deletion.CASCADE,
                                primary_key=True,
                                related_name="media",
                                serialize=False,
                                to="core.track",
                            ),
                        ),
                        ("container", models.CharField(blank=True, max_length=100)),
                        ("codec", models.CharField(blank=True, max_length=50)),
                        (
                            "bitrate",
                            models.PositiveIntegerField(
                                blank=True, help_text="Bits per second", null=True
                            ),
                        ),
                        (
                            "sample_rate",
                            models.PositiveIntegerField(blank=True, help_text="Hz", null=True),
                        ),
                        ("channels", models.PositiveSmallIntegerField(blank=True, null=True)),
                        (
                            "declared_content_type",
                            models.CharField(
                                blank=True,
                                help_text="The type given at upload, before any correction",
                                max_length=100,
                            ),
                        ),
                        (
                            "loudness_lufs",
                            models.FloatField(
                                blank=True, help_text="Integrated, EBU R128", null=True
                            ),
                        ),
                        (
                            "true_peak_db",
                            models.FloatField(blank=True, help_text="dBTP", null=True),
                        ),
                        (
                            "replay_gain_db",
                            models.FloatField(
                                blank=True,
                                help_text="ReplayGain 2.0: gain to reach -18 LUFS",
                                null=True,
                            ),
                        ),
                        (
                            "waveform",
                            models.JSONField(
                                blank=True, default=list, help_text="Peaks from 0 to 1"
                            ),
                        ),
                        ("lyrics", models.TextField(blank=True)),
                        (
                            "lyrics_synced",
                            models.JSONField(
                                blank=True,
                                default=list,
                                help_text='[{"time": seconds, "text": "..."}]',
                            ),
                        ),
                        (
                            "artwork",
                            models.JSONField(
                                blank=True,
                                default=dict,
                                help_text='Storage keys of thumbnails by size: {"256": key}',
                            ),
                        ),
                        ("processed_at", models.DateTimeField(blank=True, null=True)),
                    ],
                    options={
                        "verbose_name": "track media",
                        "verbose_name_plural": "track media",
                        "db_table": "media_pipeline_trackmedia",
                    },
                ),
                migrations.CreateModel(
                    name="ImportedFile",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("sha256", models.CharField(max_length=64, unique=True)),
                        (
                            "path",
                            models.CharField(
                                help_text="Where the file was, relative to the folder",
                                max_length=1024,
                            ),
                        ),
                        ("size", models.BigIntegerField()),
                        ("imported_at", models.DateTimeField(auto_now_add=True)),
                        (
                            "imported_by",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "track",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="imported_files",
                                to="core.track",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "media_pipeline_importedfile",
                        "ordering": ["-imported_at"],
                    },
                ),
                migrations.CreateModel(
                    name="ProcessingJob",
                    fields=[
                        (
                            "track",
                            models.OneToOneField(
                                on_delete=django.db.models.deletion.CASCADE,
                                primary_key=True,
                                related_name="processing_job",
                                serialize=False,
                                to="core.track",
                            ),
                        ),
                        (
                            "state",
                            models.CharField(
                                choices=[
                                    ("queued", "Queued"),
                                    ("running", "Running"),
                                    ("done", "Done"),
                                    ("failed", "Failed"),
                                ],
                                default="queued",
                                max_length=20,
                            ),
                        ),
                        ("token", models.UUIDField(default=uuid.uuid4)),
                        (
                            "task_id",
                            models.CharField(
                                blank=True, help_text="The task backend's result id", max_length=64
                            ),
                        ),
                        ("attempts", models.PositiveSmallIntegerField(default=0)),
                        ("enqueued_at", models.DateTimeField()),
                        ("started_at", models.DateTimeField(blank=True, null=True)),
                        ("heartbeat_at", models.DateTimeField(blank=True, null=True)),
                        ("finished_at", models.DateTimeField(blank=True, null=True)),
                        ("last_error", models.TextField(blank=True)),
                    ],
                    options={
                        "db_table": "media_pipeline_processingjob",
                        "ordering": ["-enqueued_at"],
                        "indexes": [
                            models.Index(
                                fields=["state", "heartbeat_at"], name="job_state_heartbeat_idx"
                            )
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="TrackVariant",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "quality",
                            models.CharField(
                                choices=[
                                    ("normal", "Normal (about 128 kbps)"),
                                    ("low", "Low (about 64 kbps)"),
                                ],
                                max_length=20,
                            ),
                        ),
                        ("key", models.CharField(max_length=500, unique=True)),
                        ("codec", models.CharField(max_length=50)),
                        ("content_type", models.CharField(max_length=100)),
                        (
                            "bitrate",
                            models.PositiveIntegerField(
                                blank=True, help_text="Bits per second", null=True
                            ),
                        ),
                        ("size", models.BigIntegerField()),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                        (
                            "track",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="variants",
                                to="core.track",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "media_pipeline_trackvariant",
                        "ordering": ["track", "quality"],
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("track", "quality"), name="variant_unique_per_quality"
                            ),
                            models.CheckConstraint(
                                condition=models.Q(("size__gte", 0)),
                                name="variant_size_non_negative",
                            ),
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="Upload",
                    fields=[
                        (
                            "id",
                            models.UUIDField(
                                default=uuid.uuid4,
                                editable=False,
                                primary_key=True,
                                serialize=False,
                            ),
                        ),
                        ("key", models.CharField(max_length=500, unique=True)),
                        ("filename", models.CharField(max_length=255)),
                        ("content_type", models.CharField(max_length=100)),
                        ("size", models.BigIntegerField()),
                        ("sha256", models.CharField(blank=True, max_length=64)),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("pending", "Pending"),
                                    ("registered", "Registered"),
                                    ("discarded", "Discarded"),
                                ],
                                default="pending",
                                max_length=20,
                            ),
                        ),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("expires_at", models.DateTimeField()),
                        (
                            "multipart_id",
                            models.CharField(
                                blank=True,
                                help_text="The store's multipart upload id; empty for one PUT",
                                max_length=1024,
                            ),
                        ),
                        (
                            "part_size",
                            models.BigIntegerField(
                                blank=True,
                                help_text="Bytes per part (the last may be smaller)",
                                null=True,
                            ),
                        ),
                        (
                            "completed_at",
                            models.DateTimeField(
                                blank=True,
                                help_text="When the parts were assembled into the object",
                                null=True,
                            ),
                        ),
                        (
                            "track",
                            models.OneToOneField(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="upload",
                                to="core.track",
                            ),
                        ),
                        (
                            "user",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="uploads",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "db_table": "media_pipeline_upload",
                        "ordering": ["-created_at"],
                        "indexes": [
                            models.Index(
                                fields=["status", "expires_at"], name="upload_status_expiry_idx"
                            )
                        ],
                        "constraints": [
                            models.CheckConstraint(
                                condition=models.Q(
                                    ("multipart_id", ""), ("part_size__gte", 1), _connector="OR"
                                ),
                                name="upload_multipart_has_part_size",
                            )
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(forwards, backwards),
    ]
