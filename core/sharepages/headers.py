"""The headers every public page carries: a strict Content-Security-Policy naming the storage
origins its media come from, and caching that suits a public page or a share link."""

from urllib.parse import urlsplit

from django.http import HttpResponse

PUBLIC_MAX_AGE = 60  # seconds: a change to a public playlist shows within a minute


def origin(url: str) -> str | None:
    """`scheme://host[:port]` of an absolute http(s) URL; None for a relative one."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    return f"{parts.scheme}://{parts.netloc}"


def content_security_policy(*, image_urls=(), media_urls=()) -> str:
    """No inline script or style, nothing from elsewhere but the images and audio named."""
    images = sorted({o for o in map(origin, image_urls) if o})
    media = sorted({o for o in map(origin, media_urls) if o})
    return "; ".join(
        [
            "default-src 'none'",
            "script-src 'self'",
            "style-src 'self'",
            " ".join(["img-src 'self'", *images]),
            " ".join(["media-src 'self'", *media]),
            "connect-src 'self'",
            "base-uri 'none'",
            "form-action 'none'",
            "frame-ancestors 'none'",
        ]
    )


def with_page_headers(response: HttpResponse, *, csp: str, shared_link: bool) -> HttpResponse:
    """Public pages may be cached by anyone for a minute; a share link's page never is (every
    visit counts, and a revocation takes effect at once), nor is it indexed."""
    response["Content-Security-Policy"] = csp
    # A share link's token must not leak to the object store in a Referer.
    response["Referrer-Policy"] = "no-referrer" if shared_link else "same-origin"
    response["X-Content-Type-Options"] = "nosniff"
    if shared_link:
        response["Cache-Control"] = "private, no-store"
        response["X-Robots-Tag"] = "noindex, nofollow"
    else:
        response["Cache-Control"] = f"public, max-age={PUBLIC_MAX_AGE}"
    return response
