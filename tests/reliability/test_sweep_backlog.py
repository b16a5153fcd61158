"""A backlog of due messages (after an outage, or the reminders of a large series) is swept by two
worker processes at once, and each message is still sent exactly once."""

import ast

from django.db import connection

from notifications.models import Message
from notifications.sweep import SWEEP_BATCH, message_sweep
from tests.conftest import require_postgres
from tests.security.world import build_world

from .processes import CeleryWorker, celery_broker, plan_during_outage, wait_until

MESSAGES = 2 * SWEEP_BATCH + 100


def test_a_backlog_is_swept_by_two_processes_and_each_message_sent_once(transactional_db, redis_server, tmp_path):
    require_postgres(connection)
    leader = build_world().user("leader_a")
    message_sweep()
    keys = [f"backlog:{number}" for number in range(MESSAGES)]
    plan_during_outage(keys, leader)

    with celery_broker(redis_server.url) as app:
        worker = CeleryWorker(broker_url=redis_server.url, var_dir=tmp_path, concurrency=2).start()
        try:
            app.send_task("notifications.message_sweep_task")
            wait_until(
                lambda: Message.objects.filter(key__in=keys, state=Message.State.SENT).count() == MESSAGES,
                timeout=120,
                what="the backlog to be sent",
            )
            wait_until(lambda: worker.tasks_succeeded("message_sweep_task") >= 2, what="both sweeps to finish")
            results = [ast.literal_eval(text) for text in worker.task_results("message_sweep_task")]
        finally:
            worker.stop()

    assert len([result for result in results if result["sent"] > 0]) == 2, f"one process swept it all: {results}"
    assert sum(result["sent"] for result in results) == MESSAGES
    counts = {key: n for key, n in worker.mail_files_by_key().items() if key.startswith("backlog:")}
    assert counts == dict.fromkeys(keys, 1), "every message exactly once"
    assert leader.notifications.filter(message__key__in=keys).count() == MESSAGES
