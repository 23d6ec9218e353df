"""What the latency benchmarks share: Django set up as in production, and percentiles."""

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
