from tests.media_pipeline.audio_fixtures import audio_samples, no_variants  # noqa: F401
