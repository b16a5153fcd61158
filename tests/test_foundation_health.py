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
