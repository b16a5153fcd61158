from celery import shared_task

from . import services


@shared_task(name="cases.digest_send_task", ignore_result=True)
def digest_send_task():
    """The advisers' daily digest; planned once per adviser and day (a second run does nothing)."""
    return services.digest_send()
