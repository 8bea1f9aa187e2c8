"""The API's filter backend: django-filter's, without its cost on requests that filter nothing."""

from django.db.models import QuerySet
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.request import Request

# Parameters the pagination classes read (core/api/pagination.py) and DRF's format suffix.
PAGE_PARAMETERS = frozenset({"page", "page_size", "cursor", "format"})


class FilterBackend(DjangoFilterBackend):
    """DjangoFilterBackend, except that a request whose query string holds nothing but
    pagination parameters (a plain list page, the commonest request) gets the queryset as is.

    Building and validating a filter set whose every field is empty leaves the queryset
    unchanged (empty values are skipped, no filter set here defaults a value), at the price of
    a form per request. Any other parameter, known or not, still goes through the filter set,
    so its validation and 400s are unchanged.
    """

    def filter_queryset(self, request: Request, queryset: QuerySet, view) -> QuerySet:
        if PAGE_PARAMETERS.issuperset(request.query_params.keys()):
            return queryset
        return super().filter_queryset(request, queryset, view)
