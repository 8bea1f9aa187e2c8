"""Who may hide and unhide a track or an album, and what a hide records.

The artist's managers hide and unhide their artist's work; moderators and staff hide and
unhide anything. A hide by a moderator or staff (or a hidden row that says nobody, as a bulk
update or an older release left it) is lifted only by a moderator or staff, so that an
artist never undoes moderation; a manager's hide is lifted by the managers or by moderation.
"""

from dataclasses import dataclass

from core.api.errors import Forbidden
from core.catalog.models import HiddenRole
from core.roles import MODERATORS, can_moderate


def moderation_role(user) -> str:
    """The role a moderator's or staff member's hide is recorded under."""
    in_group = user.groups.filter(name=MODERATORS).exists()
    return HiddenRole.MODERATOR if in_group and not user.is_superuser else HiddenRole.STAFF


def moderation_hide_fields(by) -> dict:
    """The columns of a bulk hide by moderation (the admin's action, a report acted on);
    `by` may be None (a job), recorded as a moderator's hide."""
    role = HiddenRole.MODERATOR if by is None else moderation_role(by)
    return {"is_hidden": True, "hidden_role": role, "hidden_by": by}


UNHIDDEN = {"is_hidden": False, "hidden_role": "", "hidden_by": None}


@dataclass(frozen=True)
class HideChange:
    """The hiding columns to write: is_hidden, hidden_role, hidden_by."""

    is_hidden: bool
    hidden_role: str
    hidden_by: object

    def apply(self, obj) -> list[str]:
        """Set the columns on `obj` (a Track or an Album); the names of those written."""
        obj.is_hidden, obj.hidden_role, obj.hidden_by = (
            self.is_hidden,
            self.hidden_role,
            self.hidden_by,
        )
        return ["is_hidden", "hidden_role", "hidden_by"]


def hide_change(*, user, obj, is_hidden: bool, kind: str = "track") -> HideChange | None:
    """What hiding (or unhiding) `obj` by `user` writes; None when nothing changes (hiding
    what is hidden keeps the first hide, unless moderation takes over a manager's hide).
    Forbidden for anyone but moderators, staff and the managers of `obj`'s artist, and for
    a manager lifting moderation's hide."""
    from core.artists.permissions import manages_artist

    moderator = can_moderate(user)
    if not moderator and not manages_artist(user, obj.artist_id):
        raise Forbidden(
            f"Only moderators, staff and the artist's managers may hide or unhide a {kind}.",
            field="is_hidden",
        )
    if is_hidden:
        if obj.is_hidden and (obj.hidden_role != HiddenRole.MANAGER or not moderator):
            return None
        role = moderation_role(user) if moderator else HiddenRole.MANAGER
        return HideChange(True, role, user)
    if not obj.is_hidden:
        return None
    if obj.hidden_role != HiddenRole.MANAGER and not moderator:
        raise Forbidden(
            f"This {kind} was hidden by moderation; only a moderator or staff may unhide it.",
            field="is_hidden",
            code="hidden_by_moderation",
        )
    return HideChange(False, "", None)
