from django.utils import timezone

from .models import Heartbeat

BEAT = "beat"


def heartbeat_record(*, name=BEAT, now=None) -> Heartbeat:
    """Record that the named periodic process is alive now."""
    heartbeat, _ = Heartbeat.objects.update_or_create(name=name, defaults={"beat_at": now or timezone.now()})
    return heartbeat
