"""Logging: every record gets the request id (and task) of its moment; JSON in production, text in development.

``python-json-logger`` formats the records as one JSON object per line (``timestamp``, ``level``,
``logger``, ``message``, ``request_id``, ``task_id``, ``task``, plus whatever ``extra=`` a call passed), so
a log pipeline can filter by request id across web and worker processes. ``logging_config`` builds the
``LOGGING`` setting (``cms/settings/operations.py``).
"""

import logging

from pythonjsonlogger.json import JsonFormatter

from .context import request_id_var, task_var

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"
JSON_FIELDS = "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s %(task_id)s %(task)s"


def json_formatter() -> logging.Formatter:
    """One JSON object per record: ``timestamp``, ``level``, ``logger``, ``message``, the context, any ``extra``."""
    return JsonFormatter(
        JSON_FIELDS,
        rename_fields={"asctime": "timestamp", "levelname": "level", "name": "logger"},
        datefmt="%Y-%m-%dT%H:%M:%S%z",
    )


class ContextFilter(logging.Filter):
    """Adds ``request_id``, ``task_id`` and ``task`` to every record (``"-"``/``None`` outside a request/task)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get() or "-"
        task = task_var.get()
        record.task_id, record.task = task if task else (None, None)
        return True


def logging_config(*, log_format: str, level: str) -> dict:
    """The ``LOGGING`` dict: ``log_format`` is ``"json"`` (one object per line) or ``"text"`` (for people)."""
    if log_format not in ("json", "text"):
        raise ValueError(f"LOG_FORMAT is 'json' or 'text', not {log_format!r}")
    formatters = {
        "text": {"format": TEXT_FORMAT},
        "json": {"()": "core.operations.logs.json_formatter"},
    }
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"context": {"()": "core.operations.logs.ContextFilter"}},
        "formatters": formatters,
        "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["context"], "formatter": log_format}},
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            "django.db.backends": {"level": "INFO"},
            "elasticsearch": {"level": "WARNING"},  # not one line per request
        },
    }
