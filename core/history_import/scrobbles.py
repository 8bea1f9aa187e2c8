"""Scrobbling in from other players through ListenBrainz's listen submission API: per-listener
tokens (stored hashed, shown once) and the checks ListenBrainz makes of a submission."""

import hashlib
import json
import secrets
import uuid
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from core.api.errors import InvalidInput, NotFound
from core.history_import.formats import MAX_SKEW, MIN_TIMESTAMP, Row, Skip, listenbrainz_row
from core.history_import.listens import StoreResult, listens_store
from core.history_import.matching import shared_index
from core.history_import.models import ScrobbleToken
from core.library.models import ListenSource

MAX_LISTENS_PER_REQUEST = 1000
MAX_LISTEN_SIZE = 10240
MAX_PAYLOAD_BYTES = MAX_LISTEN_SIZE * MAX_LISTENS_PER_REQUEST
LISTEN_TYPES = ("single", "import", "playing_now")
TOKENS_PER_USER = 20


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class NewToken:
    token: ScrobbleToken
    secret: str


@transaction.atomic
def scrobble_token_create(*, user, name: str = "") -> NewToken:
    """A new token for `user`'s players; the secret is returned here and never again."""
    if ScrobbleToken.objects.filter(user=user).count() >= TOKENS_PER_USER:
        raise InvalidInput(f"At most {TOKENS_PER_USER} tokens; revoke one first.")
    # A UUID, as ListenBrainz's own tokens are: some players check the shape.
    secret = str(uuid.UUID(bytes=secrets.token_bytes(16), version=4))
    token = ScrobbleToken.objects.create(
        user=user, name=name.strip(), token_hash=_hash(secret), prefix=secret[:8]
    )
    return NewToken(token=token, secret=secret)


def scrobble_token_revoke(*, user, token_id: int) -> None:
    deleted, _ = ScrobbleToken.objects.filter(user=user, pk=token_id).delete()
    if not deleted:
        raise NotFound("Token not found.")


def scrobble_token_user(secret: str):
    """The active account a token belongs to, or None; notes when it was last used."""
    token = (
        ScrobbleToken.objects.select_related("user")
        .filter(token_hash=_hash(secret), user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ScrobbleToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


class SubmissionError(Exception):
    """A submission ListenBrainz would refuse with 400; the message is its `error`."""


def _validated(listen, listen_type: str) -> Row | None:
    if not isinstance(listen, dict):
        raise SubmissionError("Each listen must be a JSON object.")
    if listen_type == "playing_now":
        if "listened_at" in listen:
            raise SubmissionError("A playing_now listen must not contain listened_at.")
        if set(listen) - {"track_metadata"}:
            raise SubmissionError("A playing_now listen may only contain track_metadata.")
    else:
        if "listened_at" not in listen:
            raise SubmissionError("Each listen must contain listened_at at the top level.")
        if set(listen) - {"listened_at", "track_metadata"}:
            raise SubmissionError(
                "A listen may only contain listened_at and track_metadata at the top level."
            )
        at = listen["listened_at"]
        if isinstance(at, bool) or not isinstance(at, int):
            raise SubmissionError("listened_at must be an integer.")
        if at < MIN_TIMESTAMP:
            raise SubmissionError(
                f"Value for key listened_at is too low: it must be at least {MIN_TIMESTAMP} "
                "(2002-10-01 00:00:00 UTC)."
            )
        if at > (timezone.now() + MAX_SKEW).timestamp():
            raise SubmissionError("Value for key listened_at is too high.")
    metadata = listen.get("track_metadata")
    if not isinstance(metadata, dict):
        raise SubmissionError("Each listen must contain track_metadata.")
    for key in ("track_name", "artist_name"):
        if not isinstance(metadata.get(key), str) or not metadata[key].strip():
            raise SubmissionError(f"Each listen must contain track_metadata.{key}.")
    if listen_type == "playing_now":
        return None
    row = listenbrainz_row(listen)
    if isinstance(row, Skip):
        raise SubmissionError(f"Invalid listen: {row.reason}.")
    return row


def listens_submit(*, user, raw: bytes) -> StoreResult:
    """Check a submission as ListenBrainz does and store its listens (a `playing_now` is
    checked and not stored). Raises SubmissionError; stores nothing when it does."""
    if len(raw) > MAX_PAYLOAD_BYTES:
        raise SubmissionError(f"Payload too large: at most {MAX_PAYLOAD_BYTES} bytes.")
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise SubmissionError("Cannot parse JSON document.") from None
    if not isinstance(data, dict) or "payload" not in data or "listen_type" not in data:
        raise SubmissionError("Invalid JSON document submitted.")
    payload, listen_type = data["payload"], data["listen_type"]
    if not isinstance(payload, list):
        raise SubmissionError("The payload in the JSON document should be a list of listens.")
    if not payload:
        raise SubmissionError("JSON document does not contain any listens.")
    if len(payload) > MAX_LISTENS_PER_REQUEST:
        raise SubmissionError(
            f"Too many listens: at most {MAX_LISTENS_PER_REQUEST} may be submitted at once."
        )
    if len(raw) > len(payload) * MAX_LISTEN_SIZE:
        raise SubmissionError(
            f"JSON document is too large: listens may not be larger than {MAX_LISTEN_SIZE} "
            "bytes each."
        )
    if listen_type not in LISTEN_TYPES:
        raise SubmissionError("JSON document requires a valid listen_type key.")
    if listen_type in ("single", "playing_now") and len(payload) > 1:
        raise SubmissionError(f"A {listen_type} submission must contain exactly one listen.")
    rows = [_validated(listen, listen_type) for listen in payload]
    if listen_type == "playing_now":
        return StoreResult()
    return listens_store(
        user=user, source=ListenSource.SCROBBLE, rows=[r for r in rows if r], index=shared_index()
    )
