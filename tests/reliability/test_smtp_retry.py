"""An SMTP server that refuses mail (451) and then accepts it: delivery is retried with growing backoff,
the attempts are counted, and the message is sent exactly once in the end."""

from datetime import timedelta

from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from notifications.delivery import backoff_delay, message_deliver
from notifications.models import Message
from notifications.sweep import message_sweep
from tests.outbox import notify
from tests.security.world import build_world

from .processes import smtp_settings


def test_refused_mail_is_retried_with_backoff_and_then_delivered_once(transactional_db, smtp_sink):
    world = build_world()
    message_sweep()  # deliver what building the world planned (in-memory outbox)
    sink = smtp_sink(refuse=["451 4.3.0 Mailbox busy, try later", "451 4.3.0 Still busy"])
    with override_settings(**smtp_settings(sink)):
        with transaction.atomic():
            message = notify(user=world.user("leader_a"), key="smtp:retry", subject="Saken er besvart", url="/")

        first_try = timezone.now()
        message_deliver(message_id=message.pk)
        message.refresh_from_db()
        assert (message.state, message.attempts) == (Message.State.PENDING, 1)
        assert message.available_at >= first_try + backoff_delay(1) - timedelta(seconds=1)
        assert "451" in message.last_error
        assert message_deliver(message_id=message.pk) is None, "not retried before its backoff has passed"
        first_available = message.available_at

        second_try = timezone.now()
        message_sweep(now=first_available + timedelta(seconds=1))
        message.refresh_from_db()
        assert (message.state, message.attempts) == (Message.State.PENDING, 2)
        assert message.available_at >= second_try + backoff_delay(2) - timedelta(seconds=1)
        assert message.available_at > first_available, "the next attempt moves further out"

        counts = message_sweep(now=message.available_at + timedelta(seconds=1))
        message.refresh_from_db()

    assert counts["sent"] == 1
    assert (message.state, message.attempts, message.last_error) == (Message.State.SENT, 3, "")
    assert sink.refused == 2
    assert sink.counts_by_key() == {"smtp:retry": 1}
    assert backoff_delay(2) == 2 * backoff_delay(1)
