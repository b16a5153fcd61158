"""The outbox's part of /healthz (registered in NotificationsConfig.ready()).

Reported: how many messages are due and not yet sent, how long the oldest of them has waited since
it could have gone (its next attempt time), and how many failed for good in the last seven days and
in all. When it answers "not ok" (503):
- only when the outbox has stopped moving: a due message has waited longer than STALLED_AFTER. The
  sweep runs every minute and sends a backlog of 100,000 in about a minute, so a quarter of an hour
  means no sweep is running (beat, the broker or the worker is down) or one keeps failing.
- never for failed messages: a failed message is isolated, the rest go out, so the site is not
  down; they are counted here for monitoring and listed in the outbox admin, where they can be sent
  again.
"""

from datetime import timedelta

from django.db.models import Count, Min, Q
from django.utils import timezone

from .models import Message

STALLED_AFTER = timedelta(minutes=15)
FAILED_RECENTLY = timedelta(days=7)


def outbox_check(*, now=None) -> dict:
    now = now or timezone.now()
    due = Message.objects.filter(state=Message.State.PENDING, available_at__lte=now).aggregate(
        count=Count("pk"), oldest=Min("available_at")
    )
    # claimed_at is the time of the last attempt, the one that failed.
    failed = Message.objects.filter(state=Message.State.FAILED).aggregate(
        total=Count("pk"), recent=Count("pk", filter=Q(claimed_at__gte=now - FAILED_RECENTLY))
    )
    waited = (now - due["oldest"]).total_seconds() if due["oldest"] else 0.0
    return {
        "ok": waited <= STALLED_AFTER.total_seconds(),
        "due": due["count"],
        "oldest_due_age_seconds": round(waited, 1),
        "stalled_after_seconds": int(STALLED_AFTER.total_seconds()),
        "failed_last_7_days": failed["recent"],
        "failed": failed["total"],
    }
