"""The NinjaAPI instance of ``/api/v1/`` and the routers mounted on it."""

from ninja import NinjaAPI

from certifications.api import router as certifications_router
from cms.api import router as content_router
from courses.api.routes import router as courses_router
from partners.api import router as partners_router
from search.api import router as search_router

from .auth import partner_auth
from .errors import install_error_handlers
from .throttling import CredentialRateThrottle

DESCRIPTION = (
    "The partner-facing API of Partner Hub. Every item is filtered by the caller's partner tier, type, "
    "region and roles; what a caller may not see answers 404. Authenticate with "
    "`Authorization: Bearer <token>` or a signed-in session. Lists take `?page=&page_size=` "
    "(at most 100) and answer `{count, next, previous, results}`; errors answer `{detail}`."
)


def build_api(*, urls_namespace: str, title: str = "Partner Hub API", version: str = "1.0.0") -> NinjaAPI:
    """A NinjaAPI with the partner API's authentication, error format and docs."""
    api = NinjaAPI(
        title=title,
        version=version,
        description=DESCRIPTION,
        auth=partner_auth,
        throttle=[CredentialRateThrottle()],
        urls_namespace=urls_namespace,
        docs_url="/docs",
        openapi_url="/openapi.json",
    )
    install_error_handlers(api)
    return api


api = build_api(urls_namespace="api-v1")
api.add_router("", partners_router)
api.add_router("", content_router)
api.add_router("", search_router)
api.add_router("", courses_router)
api.add_router("", certifications_router)
