"""Redis stopped while notifications are planned: nothing the user does fails, and once Redis is back
the sweep (in a worker, or here in-process) delivers every message exactly once."""

import time

from django.db import connection, transaction
from django.urls import reverse

from notifications.models import Message
from notifications.sweep import message_sweep
from tests.conftest import require_postgres
from tests.outbox import notify
from tests.security.world import build_world

from .processes import CeleryWorker, celery_broker, count_by_key, wait_until

MESSAGES = 20


def _plan(leader, prefix):
    """Plan notifications the way services do: inside a transaction, published to Celery on commit."""
    for number in range(MESSAGES):
        with transaction.atomic():
            notify(user=leader, key=f"{prefix}:{number}", subject=f"Varsel {number}", body="Tekst", url="/")


def test_requests_and_commits_succeed_while_redis_is_down_and_the_sweep_delivers_once_after(
    transactional_db, client, redis_server, mailoutbox
):
    world = build_world()
    leader = world.user("leader_a")
    client.force_login(leader)
    with celery_broker(redis_server.url):
        redis_server.stop()

        started = time.monotonic()
        _plan(leader, "outage")
        planning_seconds = time.monotonic() - started
        page = client.get(reverse("notifications:list"))
        marked = client.post(reverse("notifications:mark-read"))

        assert page.status_code == 200 and marked.status_code == 302
        assert planning_seconds < 20, f"planning {MESSAGES} notifications took {planning_seconds:.1f}s with Redis down"
        assert Message.objects.filter(key__startswith="outage:", state=Message.State.PENDING).count() == MESSAGES
        assert mailoutbox == []

        redis_server.start()
        first = message_sweep()
        second = message_sweep()

    assert first["sent"] >= MESSAGES and second["sent"] == 0
    counts = count_by_key(sent.message() for sent in mailoutbox)
    assert {key: n for key, n in counts.items() if key.startswith("outage:")} == {
        f"outage:{number}": 1 for number in range(MESSAGES)
    }
    assert leader.notifications.filter(message__key__startswith="outage:").count() == MESSAGES


def test_a_real_worker_delivers_everything_planned_during_the_outage_once_redis_is_back(
    transactional_db, redis_server, tmp_path
):
    require_postgres(connection)
    world = build_world()
    leader = world.user("leader_a")
    with celery_broker(redis_server.url) as app:
        redis_server.stop()
        _plan(leader, "worker-outage")
        redis_server.start()
        worker = CeleryWorker(broker_url=redis_server.url, var_dir=tmp_path).start()
        try:
            app.send_task("notifications.message_sweep_task")
            wait_until(
                lambda: (
                    Message.objects.filter(key__startswith="worker-outage:", state=Message.State.SENT).count()
                    == MESSAGES
                ),
                timeout=60,
                what="the worker's sweep to send every message",
            )
            app.send_task("notifications.message_sweep_task")  # a second sweep must send nothing more
            wait_until(lambda: worker.tasks_succeeded("message_sweep_task") == 2, what="the second sweep")
        finally:
            worker.stop()

    counts = {key: n for key, n in worker.mail_files_by_key().items() if key.startswith("worker-outage:")}
    assert counts == {f"worker-outage:{number}": 1 for number in range(MESSAGES)}


def test_planning_gives_up_on_the_broker_quickly(transactional_db, redis_server):
    """A dead broker costs each commit a fraction of a second, not the 2 s connect timeout times retries."""
    world = build_world()
    with celery_broker(redis_server.url):
        redis_server.stop()
        started = time.monotonic()
        with transaction.atomic():
            notify(user=world.user("adviser"), key="quick", subject="Hei")
        elapsed = time.monotonic() - started
    assert elapsed < 5, f"one commit with the broker down took {elapsed:.1f}s"
