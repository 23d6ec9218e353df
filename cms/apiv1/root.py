"""The NinjaAPI instance of ``/api/v1/`` and the routers mounted on it."""

from ninja import NinjaAPI

from partners.api import router as partners_router

from .auth import partner_auth
from .errors import install_error_handlers

api = NinjaAPI(
    title="Partner Hub API",
    version="1.0.0",
    description=(
        "The partner-facing API of Partner Hub. Every item is filtered by the caller's "
        "partner tier, type, region and roles; what a caller may not see answers 404."
    ),
    auth=partner_auth,
    urls_namespace="api-v1",
    docs_url="/docs",
    openapi_url="/openapi.json",
)
install_error_handlers(api)
api.add_router("", partners_router)
