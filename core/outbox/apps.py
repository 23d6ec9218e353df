"""The outbox app (``core.outbox``): installed on its own, since ``core`` itself holds only abstract models."""

from django.apps import AppConfig


class OutboxConfig(AppConfig):
    name = "core.outbox"
    label = "outbox"
    verbose_name = "Outbox"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from celery.signals import task_postrun

        from .signals import forget_finished_task

        task_postrun.connect(forget_finished_task, dispatch_uid="outbox-task-finished")
