"""An artist's profile links: the one rule, used by the API and by the admin's form.

A link is a plain https URL (no credentials, no port) on a host of the `ARTIST_LINK_HOSTS`
allowlist or one of its subdomains, so that a profile never links to arbitrary sites."""

from urllib.parse import urlsplit

from django.conf import settings

MAX_LINKS = 10
MAX_LINK_LENGTH = 500


class LinkRejected(ValueError):
    """A list of links that breaks the rule; `code` names why, the message says which."""

    def __init__(self, message: str, code: str = "invalid"):
        super().__init__(message)
        self.message = message
        self.code = code


def allowed_hosts() -> list[str]:
    return [host.lower().strip(".") for host in settings.ARTIST_LINK_HOSTS]


def _host_of_plain_https(link: str) -> str | None:
    try:
        parts = urlsplit(link)
        host = (parts.hostname or "").lower()
        plain = parts.scheme == "https" and not (parts.username or parts.password or parts.port)
    except ValueError:  # a malformed netloc: "https://[", a port that is not a number
        return None
    return host if plain and host else None


def clean_links(links) -> list[str]:
    """The links, stripped and without repeats, in their order; LinkRejected if one is not a
    plain https URL on the allowlist, or if there are too many."""
    if not isinstance(links, list) or not all(isinstance(link, str) for link in links):
        raise LinkRejected("Links must be a list of URLs (strings).")
    if len(links) > MAX_LINKS:
        raise LinkRejected(f"Give at most {MAX_LINKS} links.")
    allowed = allowed_hosts()
    cleaned: list[str] = []
    for raw in links:
        link = raw.strip()
        if len(link) > MAX_LINK_LENGTH:
            raise LinkRejected(f"A link is at most {MAX_LINK_LENGTH} characters.")
        host = _host_of_plain_https(link)
        if host is None:
            raise LinkRejected(f"Links must be plain https URLs: {link[:100]!r}.")
        if not any(host == name or host.endswith("." + name) for name in allowed):
            raise LinkRejected(
                f"{host!r} is not on the list of sites artists may link to ({', '.join(allowed)}).",
                code="link_not_allowed",
            )
        if link not in cleaned:
            cleaned.append(link)
    return cleaned
