"""Celery tasks of analytics: thin, each calls ``analytics.services``."""

from celery import shared_task

from . import services


@shared_task
def roll_up_analytics() -> int:
    """Beat's hourly job: roll up today so far and every day not final yet. Returns the days rolled up."""
    return len(services.roll_up_due())
