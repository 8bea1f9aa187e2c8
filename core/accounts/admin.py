from django.contrib import admin, messages
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest

from core.accounts import services
from core.accounts.lockout import LoginLocked
from core.accounts.models import User


@admin.register(User)
class TonearmUserAdmin(UserAdmin):
    """Django's user admin plus the profile. Moderators hold view_user only: they can look
    users up but not change or delete them."""

    list_display = (
        "username",
        "email",
        "nickname",
        "is_active",
        "is_staff",
        "date_joined",
        "last_login",
    )
    list_filter = ("is_staff", "is_superuser", "is_active", "groups")
    search_fields = ("username", "email", "nickname", "first_name", "last_name")
    ordering = ("-date_joined",)
    date_hierarchy = "date_joined"
    fieldsets = (
        *UserAdmin.fieldsets,
        ("Profile", {"fields": ("nickname", "bio", "avatar")}),
    )
    # Avatars only come in through the API, which re-encodes them; here they can be removed.
    readonly_fields = ("avatar", "date_joined", "last_login")
    actions = ("remove_avatars",)

    def get_fieldsets(self, request: HttpRequest, obj: User | None = None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or self.has_change_permission(request, obj):
            return fieldsets
        # The password field links to the reset form, which those who may only look answer 403.
        return [
            (name, {**options, "fields": [f for f in options["fields"] if f != "password"]})
            for name, options in fieldsets
        ]

    @admin.action(description="Remove the avatars of the selected users", permissions=["change"])
    def remove_avatars(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        users = list(queryset.exclude(avatar=""))
        for user in users:
            services.user_update_profile(user=user, avatar=None)
        self.message_user(request, f"Removed {len(users)} avatar(s).", messages.SUCCESS)


class LockoutAdminAuthenticationForm(AdminAuthenticationForm):
    """The admin's login form; its password check goes through the login lockout, and a
    locked-out username or address is told so instead of being let in."""

    def clean(self):
        try:
            return super().clean()
        except LoginLocked as locked:
            # The same words as the API's 429: which lockout, and when it ends.
            raise ValidationError(str(locked.detail), code="login_locked") from None


admin.site.login_form = LockoutAdminAuthenticationForm
