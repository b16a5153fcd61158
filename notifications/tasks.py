from celery import shared_task

from . import services


@shared_task(name="notifications.message_deliver_task", ignore_result=True)
def message_deliver_task(message_id):
    """Send one outbox message now; does nothing if it was already taken or sent."""
    services.message_deliver(message_id=message_id)


@shared_task(name="notifications.message_sweep_task", ignore_result=True)
def message_sweep_task():
    """Send everything that is due and re-queue what a killed worker left behind."""
    return services.message_sweep()
