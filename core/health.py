"""The checks behind /healthz.

core checks the database, the broker and beat itself. Other apps add their own checks without core
importing them (core imports nothing of the project): an app registers one in its AppConfig.ready(),

    from core.health import health_checks
    health_checks.register("outbox", outbox_check)

A check returns a dict with "ok" (False makes /healthz answer 503) and whatever numbers it reports;
one that raises is reported as not ok with the exception's class, never as a 500.
"""

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


class HealthChecks:
    """Checks other apps add to /healthz, in registration order (the order of INSTALLED_APPS)."""

    def __init__(self):
        self._checks = {}

    def register(self, name, check):
        self._checks[name] = check
        return check

    def run(self):
        results = {}
        for name, check in self._checks.items():
            try:
                results[name] = check()
            except Exception as exc:
                results[name] = {"ok": False, "error": exc.__class__.__name__}
        return results


health_checks = HealthChecks()


def health_report():
    checks = {"database": check_database(), "broker": check_broker(), "beat": check_beat(), **health_checks.run()}
    healthy = all(check["ok"] for check in checks.values())
    return healthy, {"status": "ok" if healthy else "unavailable", "checks": checks}
