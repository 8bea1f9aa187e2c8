"""End-to-end fixtures: the media pipeline's real audio samples."""

from tests.media_pipeline.audio_fixtures import audio_samples  # noqa: F401
