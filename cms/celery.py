"""The Celery application: configured from Django settings (``CELERY_*``), production unless chosen otherwise.

Logging is Django's ``LOGGING`` in the worker too (``core.operations.logs``: JSON in production, with the task
and its request's id; level ``LOG_LEVEL``): Celery configures none of its own.
"""

import os

from celery import Celery
from celery.signals import setup_logging

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.production")

app = Celery("partnerhub")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@setup_logging.connect(weak=False)
def use_django_logging(**kwargs):
    """A receiver here tells Celery to leave the root logger (handlers and level) as ``LOGGING`` set it."""
