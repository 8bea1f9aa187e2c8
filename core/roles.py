"""The roles of Tonearm, as Django groups and permissions.

Listeners are every user. Uploaders may upload and register tracks (staff may too).
Moderators are staff members of the Moderators group: they edit, hide and delete tracks
(a failed upload is kept for inspection until a moderator deletes it) and see users,
histories and playlists in the admin, but cannot change or delete users. They also see the
processing jobs, media and variants the pipeline made, and re-run processing from the tracks or
the jobs.
"""

UPLOADERS = "Uploaders"
MODERATORS = "Moderators"

UPLOADER_PERMISSIONS = ["core.upload_track"]
MODERATOR_PERMISSIONS = [
    "core.view_track",
    "core.change_track",
    "core.delete_track",
    "core.moderate_track",
    "core.view_artist",
    "core.change_artist",
    "core.view_artistmanager",
    "core.add_artistmanager",
    "core.delete_artistmanager",
    "core.view_artistprofilechange",
    "core.view_album",
    "core.change_album",
    "core.view_genre",
    "core.change_genre",
    "core.view_user",
    "core.view_play",
    "core.view_favorite",
    "core.view_playlist",
    "core.view_playlistitem",
    "core.view_playlistshare",
    "core.view_report",
    "core.change_report",
    "core.view_reportingban",
    "core.add_reportingban",
    "core.delete_reportingban",
    "core.view_upload",
    "core.view_processingjob",
    "core.view_trackmedia",
    "core.view_trackvariant",
]


ROLE_CODENAMES = ("upload_track", "moderate_track")


def _role_flag(codename: str) -> str:
    return f"role_{codename}"


_HELD = "role_codenames_held"  # with_role_flags on PostgreSQL: [direct codenames, group codenames]


def with_role_flags(users):
    """Annotate each user's role permissions (ROLE_CODENAMES), directly or through a group,
    so that they come with the user's row (the API reads the user of every request) rather
    than in a query of their own. On PostgreSQL as two arrays of codenames (direct, through
    groups), which the planner plans in half the time of the portable form, one `Exists` per
    role over permissions joined to users and groups."""
    from django.contrib.auth.models import Permission
    from django.db import connection
    from django.db.models import Exists, OuterRef, Q

    if connection.vendor == "postgresql":
        from django.contrib.postgres.expressions import ArraySubquery

        model = users.model
        roles = {"content_type__app_label": "core", "codename__in": ROLE_CODENAMES}
        direct = model.user_permissions.through.objects.filter(
            user_id=OuterRef("pk"), **{f"permission__{k}": v for k, v in roles.items()}
        ).values("permission__codename")
        grouped = model.groups.through.objects.filter(
            user_id=OuterRef("pk"), **{f"group__permissions__{k}": v for k, v in roles.items()}
        ).values("group__permissions__codename")
        return users.annotate(
            **{f"{_HELD}_direct": ArraySubquery(direct), f"{_HELD}_grouped": ArraySubquery(grouped)}
        )
    return users.annotate(
        **{
            _role_flag(codename): Exists(
                Permission.objects.filter(
                    Q(user=OuterRef("pk")) | Q(group__user=OuterRef("pk")),
                    content_type__app_label="core",
                    codename=codename,
                )
            )
            for codename in ROLE_CODENAMES
        }
    )


def _annotated_codenames(user) -> frozenset[str] | None:
    """The role codenames `with_role_flags` loaded with `user`, if it did."""
    if hasattr(user, f"{_HELD}_direct"):
        held = [*getattr(user, f"{_HELD}_direct"), *getattr(user, f"{_HELD}_grouped")]
        return frozenset(held).intersection(ROLE_CODENAMES)
    if hasattr(user, _role_flag(ROLE_CODENAMES[0])):
        return frozenset(c for c in ROLE_CODENAMES if getattr(user, _role_flag(c)))
    return None


def _role_codenames(user) -> frozenset[str]:
    """The role permissions `user` holds, directly or through a group.

    One query instead of has_perm's two, kept on the user object for the rest of the request
    like Django's own permission cache (the track list asks on every request).
    """
    cached = getattr(user, "_role_codenames", None)
    if cached is None:
        cached = _annotated_codenames(user)
    if cached is None:
        from django.contrib.auth.models import Permission
        from django.db.models import Q

        cached = frozenset(
            Permission.objects.filter(
                Q(user=user) | Q(group__user=user),
                content_type__app_label="core",
                codename__in=ROLE_CODENAMES,
            ).values_list("codename", flat=True)
        )
    user._role_codenames = cached
    return cached


def _has_role_permission(user, codename: str) -> bool:
    if not (user and user.is_authenticated):
        return False
    if user.is_staff:
        return True
    # As has_perm: inactive users hold nothing, active superusers everything.
    return user.is_active and (user.is_superuser or codename in _role_codenames(user))


def can_upload(user) -> bool:
    return _has_role_permission(user, "upload_track")


def can_moderate(user) -> bool:
    """Moderators and staff see hidden and unfinished tracks and may hide them."""
    return _has_role_permission(user, "moderate_track")


def sync_role_groups(**kwargs) -> None:
    """Create the role groups with their permissions, or bring them up to date.

    Runs after every migrate (and after test database flushes), so the groups
    always match the lists above.
    """
    from django.contrib.auth.models import Group, Permission

    for name, wanted in ((UPLOADERS, UPLOADER_PERMISSIONS), (MODERATORS, MODERATOR_PERMISSIONS)):
        group, _ = Group.objects.get_or_create(name=name)
        by_name = {
            f"{p.content_type.app_label}.{p.codename}": p
            for p in Permission.objects.select_related("content_type").filter(
                content_type__app_label__in={d.split(".")[0] for d in wanted},
                codename__in={d.split(".")[1] for d in wanted},
            )
        }
        group.permissions.set([by_name[d] for d in wanted if d in by_name])
