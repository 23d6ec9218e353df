"""The NinjaAPI instance of ``/api/v1/``, with every router the apps registered (``core.api``)."""

from django.apps import apps

from ninja import NinjaAPI

from core.api import api_routers

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


def build_partner_api() -> NinjaAPI:
    """``/api/v1/``: the registered routers mounted at its root, in registration (``INSTALLED_APPS``) order.

    The apps register their routers from ``ready()``, so this is built once they all ran
    (the URLconf is loaded after that).
    """
    apps.check_apps_ready()
    api = build_api(urls_namespace="api-v1")
    for router in api_routers():
        api.add_router("", router)
    return api


api = build_partner_api()
