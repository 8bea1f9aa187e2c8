from django.apps import AppConfig


class MediaPipelineConfig(AppConfig):
    name = "media_pipeline"
    verbose_name = "Media pipeline"

    def ready(self) -> None:
        # The pipeline's own admin lives beside admin.py (uploads), which autodiscover loads.
        from media_pipeline import admin_pipeline  # noqa: F401
