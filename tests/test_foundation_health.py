"""/healthz: 200 when database, broker and beat are alive; 503 when beat is stale or Redis is down."""

from datetime import timedelta

from django.test import override_settings
from django.utils import timezone

from core.services import heartbeat_record
from tests.reliability.processes import spare_port


def _filesystem_broker(tmp_path):
    return {"REDIS_URL": "", "CELERY_BROKER_TRANSPORT_OPTIONS": {"data_folder_in": str(tmp_path)}}


def test_healthy_with_a_fresh_heartbeat(client, db, tmp_path):
    heartbeat_record(now=timezone.now() - timedelta(seconds=20))
    with override_settings(**_filesystem_broker(tmp_path)):
        response = client.get("/healthz")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"]["ok"] and body["checks"]["broker"]["ok"] and body["checks"]["beat"]["ok"]
    assert response["Cache-Control"].startswith("max-age=0")


def test_unavailable_when_the_heartbeat_is_stale(client, db, tmp_path):
    heartbeat_record(now=timezone.now() - timedelta(minutes=10))
    with override_settings(**_filesystem_broker(tmp_path)):
        response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["checks"]["beat"]["ok"] is False


def test_unavailable_before_beat_has_ever_run(client, db, tmp_path):
    with override_settings(**_filesystem_broker(tmp_path)):
        response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["checks"]["beat"] == {"ok": False, "last_heartbeat": None}


def test_unavailable_when_redis_is_unreachable(client, db):
    heartbeat_record()
    with override_settings(REDIS_URL=f"redis://127.0.0.1:{spare_port()}/0"):
        response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["checks"]["broker"] == {"ok": False, "kind": "redis", "error": "ConnectionError"}


def test_health_needs_no_login_and_reveals_no_secrets(client, db):
    response = client.get("/healthz")

    assert response.status_code in (200, 503)
    text = response.content.decode()
    assert "password" not in text.lower() and "secret" not in text.lower()


def _outbox(client, tmp_path):
    heartbeat_record()
    with override_settings(**_filesystem_broker(tmp_path)):
        response = client.get("/healthz")
    return response, response.json()["checks"]["outbox"]


def test_failed_messages_are_counted_but_do_not_take_the_site_down(client, db, tmp_path, leader):
    """A failed message is isolated (the rest go out): /healthz counts it and still answers 200."""
    from notifications.models import Message
    from notifications.sweep import message_sweep
    from tests.outbox import notify

    poisoned = notify(user=leader, key="health:poison", subject="Hei")
    Message.objects.filter(pk=poisoned.pk).update(email="leader@example.no\nBcc: angriper@example.com")
    notify(user=leader, key="health:good", subject="Hei")
    message_sweep()
    old = notify(user=leader, key="health:old", subject="Hei")
    Message.objects.filter(pk=old.pk).update(
        state=Message.State.FAILED, attempts=8, claimed_at=timezone.now() - timedelta(days=30)
    )

    response, outbox = _outbox(client, tmp_path)

    assert response.status_code == 200
    assert outbox["ok"] is True
    assert (outbox["failed_last_7_days"], outbox["failed"]) == (1, 2)
    assert (outbox["due"], outbox["oldest_due_age_seconds"]) == (0, 0)


def test_an_outbox_that_has_stopped_moving_makes_health_unavailable(client, db, tmp_path, leader):
    """Due messages waiting much longer than the sweep interval (every minute) mean no sweep runs."""
    from notifications.health import STALLED_AFTER
    from notifications.models import Message
    from tests.outbox import notify

    recent = notify(user=leader, key="health:recent", subject="Hei")
    Message.objects.filter(pk=recent.pk).update(available_at=timezone.now() - timedelta(minutes=2))
    response, outbox = _outbox(client, tmp_path)
    assert response.status_code == 200 and outbox["ok"] is True and outbox["due"] == 1

    stuck = notify(user=leader, key="health:stuck", subject="Hei")
    Message.objects.filter(pk=stuck.pk).update(available_at=timezone.now() - STALLED_AFTER - timedelta(minutes=1))
    response, outbox = _outbox(client, tmp_path)

    assert response.status_code == 503
    assert outbox["ok"] is False and outbox["due"] == 2
    assert outbox["oldest_due_age_seconds"] > STALLED_AFTER.total_seconds()
    assert response.json()["checks"]["beat"]["ok"] is True, "beat is alive: the outbox alone is the outage"


def test_a_check_that_raises_is_reported_not_a_server_error(client, db, tmp_path, monkeypatch):
    from core.health import health_checks

    def broken():
        raise RuntimeError("no")

    monkeypatch.setitem(health_checks._checks, "broken", broken)
    heartbeat_record()
    with override_settings(**_filesystem_broker(tmp_path)):
        response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["checks"]["broken"] == {"ok": False, "error": "RuntimeError"}
