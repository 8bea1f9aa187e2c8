from tests.media_pipeline.audio_fixtures import (  # noqa: F401
    audio_samples,
    long_flac,
    no_variants,
)
from tests.media_pipeline.conftest import local_storage  # noqa: F401
