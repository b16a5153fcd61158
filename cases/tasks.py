from celery import shared_task

from . import services


@shared_task(name="cases.digest_send_task", ignore_result=True)
def digest_send_task():
    """The advisers' daily digest; planned once per adviser and day (a second run does nothing)."""
    return services.digest_send()


# An Excel file of a county's whole history (200,000 rows) takes two to six minutes on two busy CPUs
# (bench/README.md), past the default limits of 240/300 s meant for the outbox's short tasks.
@shared_task(name="cases.case_export_build_task", ignore_result=True, soft_time_limit=900, time_limit=960)
def case_export_build_task(export_id):
    """Build a planned case export and notify its owner; a second run does nothing."""
    services.case_export_build(export_id=export_id)


@shared_task(name="cases.case_export_sweep_task", ignore_result=True, soft_time_limit=900, time_limit=960)
def case_export_sweep_task():
    """Build exports whose task was lost (broker down when they were asked for)."""
    return services.case_export_sweep()


@shared_task(name="cases.anchoring_recount_task", ignore_result=True)
def anchoring_recount_task():
    """Recount every submitted case's anchoring strength: the services keep it, this catches what
    changed outside them (bulk loads, direct SQL). One UPDATE; idempotent."""
    return services.case_anchoring_recount()
