"""The checks behind /healthz."""

import os

from django.conf import settings
from django.db import connection
from django.utils import timezone

from .models import Heartbeat
from .services import BEAT


def check_database():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:
        return {"ok": False, "error": exc.__class__.__name__}
    return {"ok": True, "vendor": connection.vendor}


def check_broker():
    if settings.REDIS_URL:
        import redis

        try:
            client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1)
            client.ping()
        except Exception as exc:
            return {"ok": False, "kind": "redis", "error": exc.__class__.__name__}
        return {"ok": True, "kind": "redis"}
    folder = settings.CELERY_BROKER_TRANSPORT_OPTIONS.get("data_folder_in", "")
    ok = bool(folder) and os.path.isdir(folder) and os.access(folder, os.W_OK)
    return {"ok": ok, "kind": "filesystem"}


def check_beat():
    try:
        heartbeat = Heartbeat.objects.filter(name=BEAT).first()
    except Exception as exc:
        return {"ok": False, "error": exc.__class__.__name__}
    if heartbeat is None:
        return {"ok": False, "last_heartbeat": None}
    age = (timezone.now() - heartbeat.beat_at).total_seconds()
    return {
        "ok": age <= settings.HEARTBEAT_STALE_AFTER.total_seconds(),
        "last_heartbeat": heartbeat.beat_at.isoformat(),
        "age_seconds": round(age, 1),
    }


def health_report():
    checks = {"database": check_database(), "broker": check_broker(), "beat": check_beat()}
    healthy = all(check["ok"] for check in checks.values())
    return healthy, {"status": "ok" if healthy else "unavailable", "checks": checks}
