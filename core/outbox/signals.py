"""Signal receivers of the outbox: a task that has run no longer waits in the outbox (Celery's ``task_postrun``)."""

from celery import states

from .services import outbox_task_finished, outbox_task_retrying


def forget_finished_task(sender=None, task_id=None, state=None, **kwargs):
    if not task_id:
        return
    if state in (states.SUCCESS, states.FAILURE, states.REJECTED, states.IGNORED):
        outbox_task_finished(task_id=task_id)
    elif state == states.RETRY:  # the same task id comes back later: not lost, so not handed over again
        outbox_task_retrying(task_id=task_id)
