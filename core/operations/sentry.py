"""Sentry: errors (and a sample of traces) of the web and worker processes, only when ``SENTRY_DSN`` is set.

Called from the settings (``cms/settings/operations.py``), so both ``gunicorn`` and ``celery`` start it.
No personal data is sent (``send_default_pii=False``: no user, cookies, or client address); every event
carries the request id, the same one as in the logs.
"""

import sentry_sdk
from sentry_sdk.integrations.celery import CeleryIntegration
from sentry_sdk.integrations.django import DjangoIntegration


def sentry_init(*, dsn: str, environment: str, release: str | None, traces_sample_rate: float, **options) -> bool:
    """Start Sentry when ``dsn`` is set; whether it was started."""
    if not dsn:
        return False
    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        release=release or None,
        traces_sample_rate=traces_sample_rate,
        send_default_pii=False,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        **options,
    )
    return True
