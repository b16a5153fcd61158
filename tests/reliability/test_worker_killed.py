"""A Celery worker killed (SIGKILL) in the middle of a sweep over many messages: after a restart and
the next sweeps no message is lost and none is sent twice."""

from datetime import timedelta

from django.db import connection
from django.utils import timezone

from notifications.models import Message
from notifications.sweep import STUCK_AFTER, message_requeue_stuck, message_sweep
from tests.conftest import require_postgres
from tests.security.world import build_world

from .processes import CeleryWorker, celery_broker, plan_during_outage, wait_until

MESSAGES = 120
KILL_AT = 40  # the worker is killed while the SMTP server holds the 40th message's MAIL FROM


def test_killed_worker_loses_no_message_and_sends_none_twice(transactional_db, redis_server, smtp_sink, tmp_path):
    require_postgres(connection)
    world = build_world()
    leader = world.user("leader_a")
    message_sweep()  # whatever building the world planned is delivered before the test starts
    sink = smtp_sink(pause_at_mail=KILL_AT)
    keys = [f"kill:{number}" for number in range(MESSAGES)]
    plan_during_outage(keys, leader)

    with celery_broker(redis_server.url) as app:
        worker = CeleryWorker(broker_url=redis_server.url, email_url=sink.url, var_dir=tmp_path / "first").start()
        try:
            app.send_task("notifications.message_sweep_task")
            assert sink.paused.wait(60), f"the sweep never reached message {KILL_AT}:\n{worker.log()}"
            worker.kill()
        finally:
            sink.release()
            worker.stop()

        sent_before_restart = Message.objects.filter(key__in=keys, state=Message.State.SENT).count()
        stuck = Message.objects.filter(key__in=keys, state=Message.State.SENDING).count()
        assert sent_before_restart == KILL_AT - 1
        assert stuck == MESSAGES - sent_before_restart, "the rest of the claimed batch is left 'sending'"
        assert message_requeue_stuck(now=timezone.now() + STUCK_AFTER + timedelta(minutes=1)) == stuck

        worker = CeleryWorker(broker_url=redis_server.url, email_url=sink.url, var_dir=tmp_path / "second").start()
        try:
            app.send_task("notifications.message_sweep_task")
            wait_until(
                lambda: Message.objects.filter(key__in=keys, state=Message.State.SENT).count() == MESSAGES,
                timeout=90,
                what="the restarted worker to send the rest",
            )
            app.send_task("notifications.message_sweep_task")
            wait_until(lambda: worker.tasks_succeeded("message_sweep_task") >= 2, what="a second sweep")
        finally:
            worker.stop()

    counts = {key: n for key, n in sink.counts_by_key().items() if key.startswith("kill:")}
    assert counts == dict.fromkeys(keys, 1), "every message exactly once"
