"""App config for operations: the built-in readiness checks, the Celery signals and the lifecycle counter."""

from django.apps import AppConfig


class OperationsConfig(AppConfig):
    name = "core.operations"
    label = "operations"
    verbose_name = "Operations"

    def ready(self):
        from django.core.signals import request_finished

        from . import checks, metrics, worker
        from .middleware import unbind_request_id

        checks.register_builtin_checks()
        request_finished.connect(unbind_request_id, dispatch_uid="operations-request-id")
        metrics.connect()
        worker.connect()
