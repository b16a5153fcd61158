from celery import shared_task

from . import services
from .models import MeetingSeries


@shared_task(name="meetings.series_generate_task", ignore_result=True)
def series_generate_task(series_id=None):
    """Create the missing meetings of every active series (or one) for the next 12 months; idempotent."""
    qs = MeetingSeries.objects.filter(is_active=True)
    if series_id is not None:
        qs = qs.filter(pk=series_id)
    created = 0
    for series in qs.select_related("region", "created_by"):
        created += len(services.series_generate(series=series))
    return created
