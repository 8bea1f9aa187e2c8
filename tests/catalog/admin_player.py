"""Reading the admin's audio player the way a browser would."""

import re
from urllib.parse import urlsplit

from django.test import Client

AUDIO_TAG = re.compile(r'<audio controls[^>]*src="([^"]+)"[^>]*data-quality="([^"]+)"')


def player_source(page: str) -> tuple[str, str]:
    """The signed URL and quality of the page's `<audio controls>` player."""
    match = AUDIO_TAG.search(page)
    assert match, "no audio player on the page"
    return match.group(1).replace("&amp;", "&"), match.group(2)


def fetch(client: Client, url: str) -> bytes:
    """GET a signed storage URL (the local backend serves it under this site)."""
    parts = urlsplit(url)
    response = client.get(f"{parts.path}?{parts.query}" if parts.query else parts.path)
    assert response.status_code == 200, response.status_code
    return b"".join(response.streaming_content) if response.streaming else response.content
