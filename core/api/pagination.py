import functools

from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db.models import Count, Window
from django.utils.functional import cached_property
from rest_framework import pagination
from rest_framework.response import Response


class PageNumberPagination(pagination.PageNumberPagination):
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100


class CappedCountPaginator(Paginator):
    """Counts at most `count_cap` rows: an exact count of a large catalog scans it whole."""

    count_cap = 10_000

    def __init__(self, *args, count_cap: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if count_cap is not None:
            self.count_cap = count_cap

    @cached_property
    def count(self) -> int:
        # A `.values()` page of joined columns counts through the queryset it was made from
        # (`counted_as`), which joins only what its filters need.
        counted = getattr(self.object_list, "counted_as", self.object_list)
        return counted.order_by().values("pk")[: self.count_cap].count()


class CappedCountPageNumberPagination(PageNumberPagination):
    """Page numbers for large lists: `count` stops at 10,000, or at 1,000 for a list narrowed by
    a search or a filter (`count_exact` says whether it did); past it, clients narrow further
    rather than page deeper. Counting a broad match is what costs, not listing a page of it."""

    narrowed_count_cap = 1_000
    not_narrowing = frozenset({"page", "page_size", "ordering"})

    def paginate_queryset(self, queryset, request, view=None):
        narrowed = any(
            value.strip()
            for name, value in request.query_params.items()
            if name not in self.not_narrowing
        )
        cap = self.narrowed_count_cap if narrowed else None
        self.django_paginator_class = functools.partial(CappedCountPaginator, count_cap=cap)
        return super().paginate_queryset(queryset, request, view)

    def get_paginated_response(self, data) -> Response:
        response = super().get_paginated_response(data)
        paginator = self.page.paginator
        response.data["count_exact"] = paginator.count < paginator.count_cap
        return response

    def get_paginated_response_schema(self, schema: dict) -> dict:
        schema = super().get_paginated_response_schema(schema)
        schema["properties"]["count_exact"] = {
            "type": "boolean",
            "description": "False when `count` stopped at its cap: 10,000, or 1,000 when a "
            "search or a filter narrows the list.",
        }
        schema["required"] = [*schema.get("required", []), "count_exact"]
        return schema


class OneStatementPaginator(Paginator):
    """Reads a page and the count in one statement (a window count over the whole list), so
    that both come from one snapshot: a count and a page read apart disagree when the list
    changes in between."""

    def page(self, number) -> Page:
        try:
            number = int(number)
        except (TypeError, ValueError):
            raise PageNotAnInteger(self.error_messages["invalid_page"]) from None
        if number < 1:
            raise EmptyPage(self.error_messages["min_page"])
        bottom = (number - 1) * self.per_page
        counted = self.object_list.annotate(window_total=Window(Count("*")))
        rows = list(counted[bottom : bottom + self.per_page])
        if not rows and number > 1:
            raise EmptyPage(self.error_messages["no_results"])
        # Paginator.count is a cached property: give it the statement's own total.
        self.__dict__["count"] = rows[0].window_total if rows else 0
        return self._get_page(rows, number, self)


class OneStatementPageNumberPagination(PageNumberPagination):
    """Page numbers whose `count` is read with the page, in the same statement."""

    django_paginator_class = OneStatementPaginator
