"""The Subsonic methods, by topic; importing this package registers them all."""

from core.subsonic.methods import (  # noqa: F401
    annotation,
    browsing,
    lists,
    lyrics,
    media,
    playlists,
    queue,
    ratings,
    similar,
    system,
)
