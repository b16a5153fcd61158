import logging

from celery import shared_task
from django.conf import settings

from . import sweep
from .delivery import message_deliver
from .services import DELIVER_TASK

logger = logging.getLogger(__name__)


@shared_task(name=DELIVER_TASK, ignore_result=True)
def message_deliver_task(message_id):
    """Send one outbox message now; does nothing if it was already taken or sent."""
    message_deliver(message_id=message_id)


# Below the task's soft time limit (CELERY_TASK_SOFT_TIME_LIMIT): a long sweep stops claiming batches in
# time and the next minute's sweep goes on, instead of being interrupted in the middle of a send.
SWEEP_TIME_BUDGET = 180


@shared_task(name="notifications.message_sweep_task", ignore_result=True)
def message_sweep_task(fan_out=True):
    """Send everything that is due and re-queue what a killed worker left behind.

    When more than one batch is due (a backlog after an outage, or the reminders of a big meeting
    series), the sweep asks for OUTBOX_SWEEP_PROCESSES - 1 more sweeps, which other worker processes
    run at the same time; the claim keeps them from sending anything twice.
    """
    if fan_out and settings.OUTBOX_SWEEP_PROCESSES > 1 and sweep.message_due_count() > sweep.SWEEP_BATCH:
        for _ in range(settings.OUTBOX_SWEEP_PROCESSES - 1):
            try:
                message_sweep_task.apply_async(kwargs={"fan_out": False})
            except Exception:  # broker down: this sweep alone sends the backlog
                logger.warning("Broker unavailable; the outbox backlog is swept by one process.")
                break
    return sweep.message_sweep(batch_size=sweep.SWEEP_BATCH, time_budget=SWEEP_TIME_BUDGET)
