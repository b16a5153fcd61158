from celery import shared_task

from . import services


@shared_task(name="cases.digest_send_task", ignore_result=True)
def digest_send_task():
    """The advisers' daily digest; planned once per adviser and day (a second run does nothing)."""
    return services.digest_send()


@shared_task(name="cases.case_export_build_task", ignore_result=True)
def case_export_build_task(export_id):
    """Build a planned case export and notify its owner; a second run does nothing."""
    services.case_export_build(export_id=export_id)


@shared_task(name="cases.case_export_sweep_task", ignore_result=True)
def case_export_sweep_task():
    """Build exports whose task was lost (broker down when they were asked for)."""
    return services.case_export_sweep()


@shared_task(name="cases.anchoring_recount_task", ignore_result=True)
def anchoring_recount_task():
    """Recount every submitted case's anchoring strength: the services keep it, this catches what
    changed outside them (bulk loads, direct SQL). One UPDATE; idempotent."""
    return services.case_anchoring_recount()
