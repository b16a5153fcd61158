from celery import shared_task

from .services import DELIVER_TASK, archive_message_deliver, archive_sweep


@shared_task(name=DELIVER_TASK, ignore_result=True)
def archive_message_deliver_task(message_id):
    """Deliver one archive message now; does nothing if it was already taken, archived or must wait."""
    archive_message_deliver(message_id=message_id)


@shared_task(name="archive.archive_sweep_task", ignore_result=True)
def archive_sweep_task():
    """Deliver every due archive message and re-queue what a killed worker left behind."""
    return archive_sweep()
