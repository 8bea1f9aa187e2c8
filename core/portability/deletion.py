"""Deleting an account: its personal data goes, what it gave the catalog stays.

`USER_KEYS` says, for every model field that points at an account, what deleting the account
does to its rows, and the field's `on_delete` must agree (tests/portability/test_deletion.py
reads every model and fails on a user key missing here). A room that adds a model with a user
key adds a line here.
"""

import logging

from django.contrib.auth import get_user_model
from django.db import transaction

from core.api.errors import Forbidden, InvalidInput
from core.portability.models import DataExport
from core.uploads.models import Upload, UploadStatus
from media_pipeline.storage import StorageError, get_storage

logger = logging.getLogger(__name__)

DELETE = "delete"  # the rows are personal data: deleted with the account (CASCADE)
KEEP = "keep"  # the rows stay, no longer naming anyone (SET_NULL)
READ_ONLY = "read_only"  # a database view over tables listed here; holds nothing itself

USER_KEYS: dict[str, str] = {
    "admin.LogEntry.user": DELETE,
    "core.User_groups.user": DELETE,
    "core.User_user_permissions.user": DELETE,
    "core.User_favorite_genres.user": DELETE,
    "core.AppPassword.user": DELETE,
    "token_blacklist.OutstandingToken.user": KEEP,
    "core.Favorite.user": DELETE,
    "core.AlbumFavorite.user": DELETE,
    "core.ArtistFavorite.user": DELETE,
    "core.PlayQueue.user": DELETE,
    "core.Play.user": DELETE,
    "core.ExternalListen.user": DELETE,
    "core.HistoryEntry.user": READ_ONLY,
    "core.HistoryImport.user": DELETE,
    "core.ScrobbleToken.user": DELETE,
    "core.DataExport.user": DELETE,
    "core.Playlist.owner": DELETE,
    "core.Report.reporter": DELETE,
    "core.Report.resolved_by": KEEP,
    "core.ReportingBan.user": DELETE,
    "core.ReportingBan.banned_by": KEEP,
    "core.ListenerQuarterHour.user": DELETE,
    "core.ListenerTrack.user": DELETE,
    "core.ListenerMonth.user": DELETE,
    "core.ListenerGenreSpan.user": DELETE,
    "core.ListenerStatsVersion.user": DELETE,
    "core.ListenerCandidate.user": DELETE,
    "core.DailyMix.user": DELETE,
    "core.RadioSession.user": DELETE,
    "core.Upload.user": DELETE,
    "core.ImportedFile.imported_by": KEEP,
    "core.Track.uploaded_by": KEEP,
    "core.Track.hidden_by": KEEP,
    "core.Album.hidden_by": KEEP,
    "core.ArtistManager.user": DELETE,
    "core.ArtistManager.added_by": KEEP,
    "core.ArtistFollow.user": DELETE,
    "core.UserFollow.follower": DELETE,
    "core.UserFollow.followed": DELETE,
    "core.FeedEntry.user": DELETE,
    "core.ArtistProfileChange.user": KEEP,
    "core.TrackRating.user": DELETE,
    "core.AlbumRating.user": DELETE,
}


def _stored_keys(user) -> list[str]:
    """Objects in the store that are the account's alone: exports, and uploads never made
    into tracks (a registered upload's object is its track's, which stays)."""
    exports = DataExport.objects.filter(user=user).exclude(key="").values_list("key", flat=True)
    uploads = Upload.objects.filter(user=user).exclude(
        status=UploadStatus.REGISTERED, track__isnull=False
    )
    return [*exports, *uploads.values_list("key", flat=True)]


def _delete_objects(keys: list[str], avatar: str) -> None:
    storage = get_storage()
    for key in keys:
        try:
            storage.delete(key)
        except StorageError as exc:  # the upload cleanup finds what is left behind
            logger.warning("Could not delete %s of a deleted account: %s", key, exc)
    if avatar:
        get_user_model()._meta.get_field("avatar").storage.delete(avatar)


@transaction.atomic
def account_delete(*, user, password: str | None) -> None:
    """Delete `user`'s account and personal data, once the current password confirms it:
    history, favorites, playlists and their shares, reports, tokens, imports, exports, the
    avatar and the statistics made of them. Uploaded tracks stay in the catalog, uploaded by
    no one. Stored objects go once the deletion commits."""
    if not password:
        raise InvalidInput("Give your current password.", field="password")
    if not user.check_password(password):
        raise Forbidden("The password is wrong.")
    account = get_user_model().objects.select_for_update().get(pk=user.pk)
    keys, avatar = _stored_keys(account), account.avatar.name
    account.delete()
    transaction.on_commit(lambda: _delete_objects(keys, avatar), robust=True)
