"""What the latency benchmarks share: Django set up as in production, an admin client, and percentiles."""

import importlib
import os


def setup_django_as_in_production() -> None:
    """Django with ``DEBUG`` off (no query log, no debug pages) and the API rate limit out of the way, set up
    through the production entry point ``cms.wsgi`` (``gc.freeze`` included)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.dev")
    os.environ.setdefault("PARTNERHUB_API_RATE", "1000000/m")
    os.environ.setdefault("DEBUG", "false")
    importlib.import_module("cms.wsgi")


def percentile(values, q):
    """The ``q``-th percentile of ``values`` (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def admin_client():
    """A test client signed in as the bench's superuser (with the second factor superusers must have), for the
    admin's pages: any host allowed, and plain static URLs, since the bench has no collectstatic manifest (the
    same work per page). Call after ``setup_django_as_in_production``."""
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client, override_settings

    from partners.factories import give_second_factor

    settings.ALLOWED_HOSTS = ["*"]
    plain_static = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    override_settings(STORAGES={**settings.STORAGES, "staticfiles": plain_static}).enable()
    staff, _ = get_user_model().objects.get_or_create(
        username="bench-admin", defaults={"is_staff": True, "is_superuser": True, "email": "bench-admin@example.test"}
    )
    give_second_factor(staff)
    client = Client()
    client.force_login(staff)
    return client
