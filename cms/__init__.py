"""Partner Hub's Wagtail project and its content domain."""

from .celery import app as celery_app

__all__ = ("celery_app",)
