"""The artist admin, extended: managers inline (moderators add and remove them), follower
counts, a link to the artist's tracks, and the audit of profile changes."""

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString

from core.artists.links import LinkRejected, clean_links
from core.artists.models import ArtistManager, ArtistProfileChange
from core.catalog.admin import ArtistAdmin as CatalogArtistAdmin
from core.catalog.models import Artist

PROFILE_FIELDS = ("bio", "links", "image_files")


class ArtistManagerInline(admin.TabularInline):
    model = ArtistManager
    fk_name = "artist"
    extra = 0
    autocomplete_fields = ["user"]
    readonly_fields = ["added_by", "created_at"]
    fields = ["user", "added_by", "created_at"]

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False  # a manager is added or removed, never turned into another user


class ArtistProfileChangeInline(admin.TabularInline):
    model = ArtistProfileChange
    extra = 0
    fields = ["created_at", "user", "fields"]
    readonly_fields = fields
    can_delete = False
    verbose_name_plural = "Profile changes (audit)"

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


class ArtistAdminForm(forms.ModelForm):
    """Links typed here obey the same allowlist as the API's (core/artists/links.py)."""

    class Meta:
        model = Artist
        fields = ["name", "bio", "links"]

    def clean_links(self) -> list[str]:
        links = self.cleaned_data.get("links")
        try:
            return clean_links([] if links in (None, "") else links)
        except LinkRejected as error:
            raise forms.ValidationError(error.message, code=error.code) from None


admin.site.unregister(Artist)


@admin.register(Artist)
class ArtistAdmin(CatalogArtistAdmin):
    form = ArtistAdminForm
    list_display = ["name", "track_count", "follower_count", "tracks_link", "created_at"]
    readonly_fields = ["follower_count", "tracks_link"]
    fields = ["name", "bio", "links", "follower_count", "tracks_link"]
    inlines = [ArtistManagerInline, ArtistProfileChangeInline]

    @admin.display(description="Tracks")
    def tracks_link(self, artist: Artist) -> SafeString:
        url = reverse("admin:core_track_changelist") + f"?artist__id__exact={artist.pk}"
        return format_html('<a href="{}">Tracks of {}</a>', url, artist.name)

    def save_model(self, request: HttpRequest, obj: Artist, form, change: bool) -> None:
        super().save_model(request, obj, form, change)
        # Values compared rather than form.changed_data: a JSON field's text may differ
        # from its initial rendering with the same value.
        changed = [
            name
            for name in PROFILE_FIELDS
            if name in form.changed_data and form.initial.get(name) != form.cleaned_data.get(name)
        ]
        if change and changed:
            ArtistProfileChange.objects.create(artist=obj, user=request.user, fields=changed)

    def save_formset(self, request: HttpRequest, form, formset, change: bool) -> None:
        if formset.model is ArtistManager:
            for manager in formset.save(commit=False):
                if manager.pk is None:
                    manager.added_by = request.user
                manager.save()
            for removed in formset.deleted_objects:
                removed.delete()
            return
        super().save_formset(request, form, formset, change)
