"""The outbox app (``core.outbox``): installed on its own, since ``core`` itself holds only abstract models."""

from django.apps import AppConfig


class OutboxConfig(AppConfig):
    name = "core.outbox"
    label = "outbox"
    verbose_name = "Outbox"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from celery.signals import task_postrun

        from core.operations.readiness import register_backlog

        from .selectors import unsent_email_count, waiting_task_count
        from .signals import forget_finished_task

        task_postrun.connect(forget_finished_task, dispatch_uid="outbox-task-finished")
        register_backlog("outbox_tasks", waiting_task_count, help="Tasks recorded with a commit, not relayed yet.")
        register_backlog("outbox_emails", unsent_email_count, help="E-mails recorded with a commit, not yet sent.")
