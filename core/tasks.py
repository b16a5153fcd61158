from celery import shared_task

from . import services


@shared_task(name="core.heartbeat_record_task", ignore_result=True)
def heartbeat_record_task():
    """Sent by beat every 15 seconds and run by a worker, so one heartbeat proves both are alive."""
    services.heartbeat_record()
