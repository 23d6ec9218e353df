"""The partner API's shared parts: the registry of routers, and page-number pagination.

Each app builds its ninja ``Router`` in its own ``api.py`` and registers it from its
``AppConfig.ready()``::

    register_api_router(router)

``cms.apiv1.root`` mounts ``api_routers()`` on ``/api/v1/`` in registration order,
which is ``INSTALLED_APPS`` order (Django runs ``ready()`` in that order).

Lists answer ``?page=N&page_size=M`` (``page_size`` at most
``PARTNERHUB_API_MAX_PAGE_SIZE``) with ``{"count", "next", "previous", "results"}`` and
absolute links (DESIGN §5). A page past the end is a 404 that says which the last page is.

``OneOf(values)`` annotates a string field whose allowed values come from a registry
(``Annotated[str, OneOf(search_kind_names)]``): checked on each request and listed as
the field's ``enum`` in the OpenAPI document, so values registered by apps that are
ready later are allowed too.
"""

from collections.abc import Callable, Iterable
from math import ceil
from typing import Any

from django.conf import settings

from ninja import Field, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import PaginationBase
from pydantic_core import core_schema

_routers: list[Router] = []


def register_api_router(router: Router) -> None:
    """Mount ``router`` on the partner API (at its root); registering the same router again is a no-op."""
    if not any(known is router for known in _routers):
        _routers.append(router)


def api_routers() -> tuple[Router, ...]:
    """The registered routers, in registration order."""
    return tuple(_routers)


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
    """The absolute URL of this request with ``page`` and ``page_size`` set."""
    query = request.GET.copy()
    query["page"] = str(page)
    query["page_size"] = str(page_size)
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")


class OneOf:
    """A string field allowed only the values ``values()`` answers when it is validated or documented."""

    def __init__(self, values: Callable[[], Iterable[str]]):
        self.values = values

    def _check(self, value: str) -> str:
        allowed = list(self.values())
        if value not in allowed:
            raise ValueError(f"Input should be one of: {', '.join(allowed)}")
        return value

    def __get_pydantic_core_schema__(self, source, handler):
        return core_schema.no_info_after_validator_function(self._check, handler(source))

    def __get_pydantic_json_schema__(self, schema, handler):
        json_schema = handler(schema)
        json_schema["enum"] = list(self.values())
        return json_schema
