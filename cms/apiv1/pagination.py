"""Page-number pagination for every partner API list (DESIGN §5).

``?page=N&page_size=M`` (``page_size`` at most ``PARTNERHUB_API_MAX_PAGE_SIZE``)
answers ``{"count", "next", "previous", "results"}`` with absolute links. A page
past the end is a 404 that says which the last page is.
"""

from math import ceil
from typing import Any

from django.conf import settings

from ninja import Field, Schema
from ninja.errors import HttpError
from ninja.pagination import PaginationBase


class PageNumberPagination(PaginationBase):
    class Input(Schema):
        page: int = Field(1, ge=1, le=1_000_000, description="1-based page number.")
        page_size: int = Field(
            settings.PARTNERHUB_API_DEFAULT_PAGE_SIZE,
            ge=1,
            le=settings.PARTNERHUB_API_MAX_PAGE_SIZE,
            description=f"Items per page, at most {settings.PARTNERHUB_API_MAX_PAGE_SIZE}.",
        )

    class Output(Schema):
        count: int
        next: str | None
        previous: str | None
        results: list[Any]

    items_attribute = "results"

    def paginate_queryset(self, queryset, pagination: Input, request=None, **params):
        page, size = pagination.page, pagination.page_size
        count = self._items_count(queryset)
        last_page = max(1, ceil(count / size))
        if page > last_page:
            raise HttpError(404, f"Page {page} does not exist; the last page is {last_page}.")
        offset = (page - 1) * size
        return {
            "count": count,
            "next": page_url(request, page + 1, size) if page < last_page else None,
            "previous": page_url(request, page - 1, size) if page > 1 else None,
            "results": list(queryset[offset : offset + size]),
        }


def page_url(request, page: int, page_size: int) -> str:
    query = request.GET.copy()
    query["page"] = str(page)
    query["page_size"] = str(page_size)
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")
