"""URLs of the library endpoints, for the tests."""


def stream_url(track_id: int) -> str:
    return f"/api/tracks/{track_id}/stream/"


def progress_url(play_id: int) -> str:
    return f"/api/history/{play_id}/progress/"


def favorite_url(track_id: int) -> str:
    return f"/api/tracks/{track_id}/toggle_favorite/"
