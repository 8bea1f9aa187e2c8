from django.apps import AppConfig


class MediaPipelineConfig(AppConfig):
    """Object storage and audio tools: infrastructure that knows nothing of tracks.

    It stays an app for its migration history: its models moved to `core` (0005 records it)."""

    name = "media_pipeline"
    verbose_name = "Media pipeline"
