"""The moderators' side of reports: a queue with one row per reported item, the item's page
(with a player for tracks), and what can be done there: hide, dismiss, ban a reporter."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from core.catalog.admin_media import track_loudness, track_player, track_waveform
from core.catalog.models import Track
from core.playlists.models import Playlist
from core.reports import selectors, services
from core.reports.models import Report, ReportingBan, ReportKind

QUEUE_PAGE_SIZE = 50


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    """Every report, for the record; moderators work from the queue (`queue/`)."""

    change_list_template = "admin/reports/report_change_list.html"
    list_display = ["__str__", "reporter", "status", "created_at", "resolved_at", "resolved_by"]
    list_filter = ["status", "reason", "created_at"]
    list_select_related = ["reporter", "resolved_by"]
    search_fields = ["reporter__username", "track__title", "playlist__name", "note"]
    raw_id_fields = ["reporter", "track", "playlist", "resolved_by"]
    date_hierarchy = "created_at"
    readonly_fields = [
        "reporter",
        "track",
        "playlist",
        "reason",
        "note",
        "status",
        "created_at",
        "resolved_at",
        "resolved_by",
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # listeners report through the API

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("queue/", view(self.queue_view), name="core_report_queue"),
            path(
                "item/<str:kind>/<int:item_id>/",
                view(self.item_view),
                name="core_report_item",
            ),
            *super().get_urls(),
        ]

    def changelist_view(self, request: HttpRequest, extra_context=None):
        extra = {"queue_url": reverse("admin:core_report_queue"), **(extra_context or {})}
        return super().changelist_view(request, extra)

    def queue_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_view_permission(request):
            raise PermissionDenied
        page = Paginator(selectors.open_report_groups(), QUEUE_PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Open reports",
            "page": page,
            "rows": selectors.queue_rows(list(page.object_list)),
        }
        return TemplateResponse(request, "admin/reports/queue.html", context)

    def item_view(self, request: HttpRequest, kind: str, item_id: int) -> HttpResponse:
        if not self.has_view_permission(request):
            raise PermissionDenied
        if kind not in ReportKind.values:
            raise Http404
        model = Track if kind == ReportKind.TRACK else Playlist
        item = model.objects.filter(pk=item_id).first()
        if item is None:
            raise Http404
        if request.method == "POST":
            return self._act(request, kind, item)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"Reports of {kind} “{item}”",
            "kind": kind,
            "item": item,
            "item_admin_url": reverse(f"admin:core_{kind}_change", args=[item.pk]),
            "reports": selectors.open_reports_of(kind, item.pk),
            "can_act": self.has_change_permission(request),
            "can_ban": request.user.has_perm("core.add_reportingban"),
            "queue_url": reverse("admin:core_report_queue"),
        }
        if kind == ReportKind.TRACK:
            context.update(
                player=track_player(item),
                waveform=track_waveform(item),
                loudness=track_loudness(item),
            )
        return TemplateResponse(request, "admin/reports/item.html", context)

    def _act(self, request: HttpRequest, kind: str, item) -> HttpResponse:
        action = request.POST.get("action")
        here = reverse("admin:core_report_item", args=[kind, item.pk])
        queue = reverse("admin:core_report_queue")
        if action == "ban":
            if not request.user.has_perm("core.add_reportingban"):
                raise PermissionDenied
            reporter = Report.objects.filter(pk=request.POST.get("report")).first()
            if reporter is None:
                raise Http404
            services.reporter_ban(user_id=reporter.reporter_id, by=request.user)
            self.message_user(
                request,
                f"{reporter.reporter} may no longer report; their open reports stay.",
                messages.SUCCESS,
            )
            return HttpResponseRedirect(here)
        if not self.has_change_permission(request):
            raise PermissionDenied
        if action == "hide":
            count = services.reported_item_hide(kind=kind, item_id=item.pk, by=request.user)
            done = "Hid the track" if kind == ReportKind.TRACK else "Made the playlist private"
            self.message_user(request, f"{done}; {count} report(s) actioned.", messages.SUCCESS)
            return HttpResponseRedirect(queue)
        if action == "dismiss":
            count = services.reported_item_dismiss(kind=kind, item_id=item.pk, by=request.user)
            self.message_user(request, f"Dismissed {count} report(s).", messages.SUCCESS)
            return HttpResponseRedirect(queue)
        self.message_user(request, "Unknown action.", messages.ERROR)
        return HttpResponseRedirect(here)


@admin.register(ReportingBan)
class ReportingBanAdmin(admin.ModelAdmin):
    """Listeners who may no longer report; deleting a ban lets them report again."""

    list_display = ["user", "banned_by", "created_at"]
    list_select_related = ["user", "banned_by"]
    search_fields = ["user__username"]
    raw_id_fields = ["user"]
    readonly_fields = ["banned_by", "created_at"]

    def save_model(self, request: HttpRequest, obj: ReportingBan, form, change: bool) -> None:
        if not change:
            obj.banned_by = request.user
        super().save_model(request, obj, form, change)
