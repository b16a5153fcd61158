"""The shared outbox: planned once per key, sent once, retried with backoff, re-queued when stuck."""

from datetime import timedelta
from email.header import decode_header, make_header

from django.core import mail
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from notifications.delivery import backoff_delay, message_deliver
from notifications.models import Message
from notifications.services import message_enqueue
from notifications.sweep import STUCK_AFTER, message_requeue_stuck, message_sweep
from tests.outbox import TEST_KIND, notify
from tests.reliability.processes import spare_port


def test_planning_twice_with_one_key_gives_one_message(leader):
    with transaction.atomic():
        first = notify(user=leader, key="case:1:answered", subject="Svar")
        second = notify(user=leader, key="case:1:answered", subject="Svar igjen")

    assert first.pk == second.pk
    assert Message.objects.filter(key="case:1:answered").count() == 1
    assert Message.objects.get().payload["subject"] == "Svar"


def test_sweeping_twice_sends_one_email_and_one_in_app_notification(leader):
    notify(user=leader, key="k1", subject="Møte flyttet", body="Nytt tidspunkt.", url="/moter/1/")

    first = message_sweep()
    second = message_sweep()

    assert first["sent"] == 1 and second["sent"] == 0
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.subject == "Møte flyttet" and email.to == [leader.email]
    assert email.extra_headers["X-Regionportalen-Message"] == "k1"
    assert "Åpne i Regionportalen" in email.body or "Regionportalen" in email.body
    assert leader.notifications.count() == 1


def test_a_message_due_later_waits_for_its_time(leader):
    now = timezone.now()
    notify(user=leader, key="later", subject="Påminnelse", due_at=now + timedelta(days=1))

    assert message_sweep(now=now)["sent"] == 0
    assert message_sweep(now=now + timedelta(days=1, seconds=1))["sent"] == 1


def test_smtp_failure_is_retried_with_backoff(leader):
    message = notify(user=leader, key="smtp-down", subject="Hei")
    closed_port = spare_port()
    before = timezone.now()

    with override_settings(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend", EMAIL_HOST="127.0.0.1", EMAIL_PORT=closed_port
    ):
        message_deliver(message_id=message.pk)
    message.refresh_from_db()

    assert message.state == Message.State.PENDING
    assert message.attempts == 1
    assert message.available_at >= before + backoff_delay(1)
    assert message.last_error.startswith("send:")
    assert message_deliver(message_id=message.pk) is None, "not before the backoff has passed"
    assert message_sweep(now=message.available_at + timedelta(seconds=1))["sent"] == 1
    assert [backoff_delay(n).total_seconds() for n in (1, 2, 3, 20)] == [60, 120, 240, 6 * 3600]


def test_a_message_left_sending_by_a_killed_worker_is_requeued_and_sent_once(leader):
    message = message_enqueue(key="stuck", kind=TEST_KIND, recipient=leader, payload={"subject": "S"})
    claimed_at = timezone.now()
    # What a worker killed between claiming and sending leaves behind:
    Message.objects.filter(pk=message.pk).update(state=Message.State.SENDING, claimed_at=claimed_at, claim_token="x")

    assert message_requeue_stuck(now=claimed_at + STUCK_AFTER - timedelta(seconds=1)) == 0
    assert message_sweep(now=claimed_at + STUCK_AFTER + timedelta(seconds=1))["sent"] == 1
    assert message_sweep(now=claimed_at + STUCK_AFTER + timedelta(minutes=5))["sent"] == 0
    assert len(mail.outbox) == 1


def test_a_renderer_returning_none_cancels_the_message(leader):
    from notifications.registry import register

    register("tests.obsolete")(lambda message: None)
    message_enqueue(key="obsolete", kind="tests.obsolete", recipient=leader)

    counts = message_sweep()

    assert counts["cancelled"] == 1
    assert Message.objects.get(key="obsolete").state == Message.State.CANCELLED
    assert mail.outbox == []


def test_messages_with_the_same_content_each_carry_their_own_recipient_and_ids(leader, other_leader, adviser):
    """The MIME tree is built once per content and reused: each e-mail must still be its own."""
    from email import message_from_bytes

    from notifications.mail import KEY_HEADER

    users = [leader, other_leader, adviser]
    with transaction.atomic():
        for user in users:
            notify(user=user, key=f"same:{user.pk}", subject="Påminnelse: Regionrådsmøte i morgen", body="Kl. 09.00")

    assert message_sweep()["sent"] == 3

    parsed = [message_from_bytes(email.message().as_bytes()) for email in mail.outbox]
    assert sorted(p["To"] for p in parsed) == sorted(u.email for u in users)
    assert sorted(p[KEY_HEADER] for p in parsed) == sorted(f"same:{u.pk}" for u in users)
    assert len({p["Message-ID"] for p in parsed}) == 3
    for p in parsed:
        assert len(p.get_all("To")) == 1 and len(p.get_all("Message-ID")) == 1
        assert str(make_header(decode_header(p["Subject"]))) == "Påminnelse: Regionrådsmøte i morgen"
        assert "Kl. 09.00" in p.get_payload(decode=True).decode()


def test_the_in_app_notification_is_not_held_back_by_a_failing_mail_server(leader):
    message = notify(user=leader, key="smtp-down-in-app", subject="Saken er besvart", url="/saker/1/")

    with override_settings(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend", EMAIL_HOST="127.0.0.1", EMAIL_PORT=spare_port()
    ):
        counts = message_sweep()
    message.refresh_from_db()

    assert counts["retry"] == 1 and message.state == Message.State.PENDING
    assert [n.title for n in leader.notifications.all()] == ["Saken er besvart"]
    assert message_sweep(now=message.available_at + timedelta(seconds=1))["sent"] == 1
    assert leader.notifications.count() == 1, "the retry sends the e-mail without a second notification"
    assert len(mail.outbox) == 1


def test_a_sweep_out_of_time_claims_nothing_more_and_the_next_one_goes_on(leader):
    for number in range(3):
        notify(user=leader, key=f"budget:{number}", subject="Hei")

    assert message_sweep(time_budget=0)["sent"] == 0
    assert Message.objects.filter(state=Message.State.PENDING).count() == 3, "nothing claimed and left hanging"
    assert message_sweep()["sent"] == 3


def test_with_the_broker_down_one_sweep_sends_the_whole_backlog(leader, settings):
    from notifications.sweep import SWEEP_BATCH
    from notifications.tasks import message_sweep_task
    from tests.reliability.processes import celery_broker

    settings.OUTBOX_SWEEP_PROCESSES = 2
    with celery_broker(f"redis://127.0.0.1:{spare_port()}/0"):
        with transaction.atomic():
            for number in range(SWEEP_BATCH + 1):
                notify(user=leader, key=f"backlog:{number}", subject="Hei")
        counts = message_sweep_task()

    assert counts["sent"] == SWEEP_BATCH + 1
    assert len(mail.outbox) == SWEEP_BATCH + 1


def test_the_sweep_gives_its_database_session_back_as_it_found_it(transactional_db, leader):
    """On PostgreSQL the sweep turns off waiting for the WAL flush for itself only."""
    from django.db import connection

    from tests.conftest import require_postgres

    require_postgres(connection)
    notify(user=leader, key="session", subject="Hei")

    assert message_sweep()["sent"] == 1
    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        assert cursor.fetchone()[0] == "on"


def test_an_admin_finds_a_failed_message_with_its_error_and_sends_it_again(client, admin_user, leader, monkeypatch):
    """A renderer bug fails a message; the admin sees it under "Feilet" with its attempts and error,
    the bug is fixed, "Send på nytt" puts it back in the queue and the next sweep delivers it."""
    from django.contrib.admin.models import LogEntry

    from notifications import registry
    from notifications.registry import Rendered

    fixed = False

    def render(message):
        if not fixed:
            raise RuntimeError("the template has a bug")
        return Rendered(subject="Referatet er klart", body="Les referatet.")

    monkeypatch.setitem(registry._renderers, "tests.admin", render)
    message = message_enqueue(key="admin:failed", kind="tests.admin", recipient=leader)
    notify(user=leader, key="admin:sent", subject="Hei")
    assert message_sweep()["failed"] == 1
    client.force_login(admin_user)

    listing = client.get("/admin/notifications/message/?state__exact=failed")

    page = listing.content.decode()
    assert listing.status_code == 200
    assert "render: RuntimeError: the template has a bug" in page
    assert "admin:sent" not in page and "Hei" not in page, "the filter shows the failed ones only"
    assert "Send på nytt" in page
    detail = client.get(f"/admin/notifications/message/{message.pk}/change/").content.decode()
    assert "render: RuntimeError: the template has a bug" in detail and "Feilet" in detail

    fixed = True
    response = client.post(
        "/admin/notifications/message/",
        {"action": "send_again", "_selected_action": [message.pk, Message.objects.get(key="admin:sent").pk]},
        follow=True,
    )

    page = response.content.decode()
    assert "1 feilet melding er tilbake i køen" in page
    assert "1 melding hadde ikke feilet og ble ikke endret" in page
    message.refresh_from_db()
    assert (message.state, message.attempts) == (Message.State.PENDING, 0)
    assert "the template has a bug" in LogEntry.objects.get(object_id=str(message.pk)).change_message
    assert Message.objects.get(key="admin:sent").state == Message.State.SENT, "a sent message is left alone"
    assert message_sweep()["sent"] == 1
    message.refresh_from_db()
    assert (message.state, message.attempts, message.last_error) == (Message.State.SENT, 1, "")
    assert [email.subject for email in mail.outbox] == ["Hei", "Referatet er klart"]


def test_only_those_who_may_change_messages_can_send_them_again(client, leader):
    from django.contrib.auth.models import Permission

    from tests.factories import UserFactory

    viewer = UserFactory(username="viewer", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_message"))
    message = notify(user=leader, key="viewer:failed", subject="Hei")
    Message.objects.filter(pk=message.pk).update(state=Message.State.FAILED, attempts=1, last_error="send: x")
    client.force_login(viewer)

    page = client.get("/admin/notifications/message/").content.decode()
    response = client.post("/admin/notifications/message/", {"action": "send_again", "_selected_action": [message.pk]})

    assert "Send på nytt" not in page
    assert response.status_code in (200, 302)
    assert Message.objects.get(pk=message.pk).state == Message.State.FAILED
