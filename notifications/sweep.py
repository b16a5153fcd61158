"""The fast sweep: every message that is due, in batches of hundreds.

What happens to each message is what notifications/delivery.py says (read it first): the sweep uses
its rules (render, fail, send) and ends each message in the same state as the plain path would. What
is here is only for speed, for the reminders of a county-wide meeting series falling due at the same
minute and the backlog after a broker outage (2,000 a second on two cores; docs/adr/0002-fast-sweep.md
gives the reasons and bench/README.md the figures):
- a batch is claimed with one conditional UPDATE (only one of two racing workers can win it, on
  SQLite and PostgreSQL alike), without the columns a send never reads;
- each kind's preparer loads what the batch refers to once (notifications/registry.py), and the
  MIME tree of identical e-mails is built once (notifications/mail.py);
- the batch's in-app notifications are written in one statement, and each message is marked sent
  with one plain-SQL autocommit statement right after its e-mail leaves: a worker killed in between
  re-sends at most that one e-mail;
- on PostgreSQL the sweep's commits do not wait for the WAL flush.

One message never holds back another: a failing preparer costs only speed (each renderer then loads
what it needs alone); when the batch's in-app rows cannot be written together they are written one by
one and only the refused message fails; if anything still escapes while a batch is delivered
(Celery's time limit, a shutdown), the batch's unfinished messages are released before it
propagates: the one being worked on counts an attempt, the others go back to pending untouched. A
message left "sending" by a killed worker is re-queued by the next sweep, counting an attempt.
"""

import logging
import time
from contextlib import contextmanager, suppress
from datetime import timedelta
from uuid import uuid4

from django.conf import settings
from django.core.mail import get_connection
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connection, connections, transaction
from django.db.models import F
from django.utils import timezone, translation

from .delivery import MAX_ATTEMPTS, fail, finish, render, safe_link, send
from .faults import error_text, is_interruption, isolated
from .models import Message, Notification
from .registry import batch, prepare

logger = logging.getLogger(__name__)

STUCK_AFTER = timedelta(minutes=10)
SWEEP_BATCH = 500


def _deliver_claimed(messages, *, mail_connection):
    """Render and send messages this worker has claimed; returns the state each ends in.

    The in-app notifications of all rendered messages are created first, in one statement (they do
    not depend on the mail server, and a retried message never gets a second one). Then each e-mail
    is sent and its message marked sent right after it left: a worker killed in between re-sends at
    most that one e-mail. Each message's failure is its own (see the module docstring); whatever
    escapes all the same releases the batch's unfinished messages on its way out.
    """
    states = {}
    current, left = None, False  # the message being worked on, and whether its e-mail has left
    try:
        prepare(messages)
        ready = []
        for message in messages:
            current = message
            outcome = render(message, mail_connection=mail_connection)
            if isinstance(outcome, tuple):
                ready.append((message, *outcome))
            else:
                states[message.pk] = outcome
        current = None
        ready = _create_in_app(ready, states)
        for message, rendered, email in ready:
            current, left = message, False
            if email is not None:
                failed = send(message, email)
                if failed is not None:
                    states[message.pk] = failed
                    continue
            left = True
            states[message.pk] = _record_sent(message, rendered)
        current = None
    except BaseException as exc:
        _release(messages, states, current, left, exc)
        raise
    return [states[message.pk] for message in messages]


def _record_sent(message, rendered):
    """Mark the message sent. If the database refuses that, the e-mail has left all the same: the
    message is marked FAILED with why, never put back to pending (it would be sent a second time)."""
    try:
        with isolated():
            _mark_sent(message, rendered)
    except Exception as exc:
        if is_interruption(exc):
            raise
        logger.exception("Outbox message %s was sent but could not be marked sent", message.pk)
        with isolated():
            finish(
                message,
                state=Message.State.FAILED,
                attempts=message.attempts + 1,
                last_error=error_text("e-mail sent, but marking it sent failed", exc),
                claim_token="",
            )
        return Message.State.FAILED
    return Message.State.SENT


def _release(messages, states, current, left, exc):
    """Something escaped while a batch was delivered: none of its unfinished messages may stay
    "sending" (the sweep would re-queue them only after STUCK_AFTER, with no error and no attempt
    counted, and the same thing could happen again). The message being worked on counts a failed
    attempt, so an interruption that recurs on it cannot hold its batch for ever (or it is marked
    sent, if its e-mail had left); the others go back to pending as they were. When no single
    message was being worked on (a step for the whole batch), each unfinished one counts an attempt."""
    unfinished = [message for message in messages if message.pk not in states]
    if not unfinished:
        return
    logger.error("Outbox batch interrupted (%r); releasing %s unfinished message(s)", exc, len(unfinished))
    blamed = current if current is not None and current.pk not in states else None
    still_sending = Message.objects.filter(state=Message.State.SENDING)
    try:
        with isolated():
            for message in unfinished:
                mine = still_sending.filter(pk=message.pk, claim_token=message.claim_token)
                if blamed is None or (message is blamed and not left):
                    fail(message, stage="interrupted", exc=exc, permanent=False)
                elif message is blamed:
                    mine.update(
                        state=Message.State.SENT,
                        sent_at=timezone.now(),
                        attempts=message.attempts + 1,
                        last_error=error_text("interrupted after the e-mail left", exc),
                    )
                else:
                    mine.update(state=Message.State.PENDING, claim_token="")
    except Exception:
        logger.exception("Could not release the interrupted batch; the sweep re-queues it after %s", STUCK_AFTER)


def _in_app_row(message, rendered):
    if not (rendered.in_app and message.recipient_id):
        return None
    return (message.recipient_id, message.pk, rendered.subject, rendered.body, safe_link(rendered.url))


def _create_in_app(ready, states):
    """The in-app notifications of a batch in one statement; ON CONFLICT: a message sent again after
    a crash or a retry never gets a second one. If the statement fails (a row the database refuses:
    a NUL character on PostgreSQL, a value too long), each row is written on its own and only the
    message whose row is refused fails. Returns the messages still to send."""
    rows = [(entry, row) for entry in ready if (row := _in_app_row(entry[0], entry[1])) is not None]
    if not rows:
        return ready
    try:
        with transaction.atomic():
            _insert_notifications([row for _entry, row in rows])
        return ready
    except Exception as exc:
        if is_interruption(exc):
            raise
        logger.warning("The batch's in-app notifications failed together (%r); writing them one by one", exc)
    refused = set()
    for (message, _rendered, _email), row in rows:
        try:
            with transaction.atomic():
                _insert_notifications([row])
        except Exception as exc:
            if is_interruption(exc):
                raise
            states[message.pk] = fail(message, stage="in-app notification", exc=exc)
            refused.add(message.pk)
    return [entry for entry in ready if entry[0].pk not in refused]


def _insert_notifications(rows):
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    table = connection.ops.quote_name(Notification._meta.db_table)
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} (user_id, message_id, title, body, url, created_at) "  # noqa: S608
            "VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (message_id) DO NOTHING",
            [(*row, now) for row in rows],
        )


def _mark_sent(message, rendered):
    """Mark one message sent, right after its e-mail left. One plain-SQL statement in autocommit,
    because it runs once per message in the sweep's hot loop, where building ORM queries and opening
    a transaction cost more than running the statement."""
    db = connections[DEFAULT_DB_ALIAS]  # looked up once: `connection` is a proxy resolved on every use
    # The database's own format for an aware datetime, as the ORM would write it.
    now = db.ops.adapt_datetimefield_value(timezone.now())
    with db.cursor() as cursor:
        cursor.execute(
            _MARK_SENT_SQL % db.ops.quote_name(Message._meta.db_table),
            [Message.State.SENT, now, rendered.subject, message.pk, message.claim_token],
        )


_MARK_SENT_SQL = (
    "UPDATE %s SET state = %%s, sent_at = %%s, subject = %%s, attempts = attempts + 1, "
    "last_error = '' WHERE id = %%s AND claim_token = %%s"
)


def message_requeue_stuck(*, now=None) -> int:
    """Messages left "sending" by a killed worker go back to pending, each counting an attempt: a
    message that kills the worker every time it is tried (out of memory, a hard time limit) ends
    FAILED after MAX_ATTEMPTS instead of taking its batch down every STUCK_AFTER for ever."""
    now = now or timezone.now()
    stuck = Message.objects.filter(state=Message.State.SENDING, claimed_at__lt=now - STUCK_AFTER)
    error = f"requeued: left 'sending' for over {STUCK_AFTER} by a worker that stopped"
    given_up = stuck.filter(attempts__gte=MAX_ATTEMPTS - 1).update(
        state=Message.State.FAILED, attempts=F("attempts") + 1, last_error=error, claim_token=""
    )
    return given_up + stuck.update(
        state=Message.State.PENDING, attempts=F("attempts") + 1, last_error=error, claim_token=""
    )


@contextmanager
def _commits_without_flush_wait():
    """On PostgreSQL the sweep's commits do not wait for the WAL to reach the disk
    (synchronous_commit=off for this session, for the length of the sweep). A killed worker loses
    nothing by this: its commits are in the server. Only a crash of the database server itself can
    forget the last fraction of a second of "sent" marks, and those messages are then sent again,
    never lost. Without it each message waits for one disk flush."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit TO OFF")
    try:
        yield
    finally:
        with suppress(DatabaseError), connection.cursor() as cursor:
            cursor.execute("RESET synchronous_commit")


def message_due_count(*, now=None) -> int:
    return Message.objects.filter(state=Message.State.PENDING, available_at__lte=now or timezone.now()).count()


def message_sweep(*, now=None, batch_size=SWEEP_BATCH, time_budget=None) -> dict:
    """Send every message that is due, in batches; safe to run in several workers at once (each
    batch is claimed by a conditional UPDATE that only one of them wins). With a time budget (in
    seconds) it claims no new batch after that, and the next sweep goes on where it stopped."""
    started = time.monotonic()
    now = now or timezone.now()
    counts = {"requeued": message_requeue_stuck(now=now), "sent": 0, "cancelled": 0, "retry": 0, "failed": 0}
    mail_connection = get_connection()
    with _commits_without_flush_wait():
        while time_budget is None or time.monotonic() - started < time_budget:
            if not _sweep_batch(now=now, batch_size=batch_size, counts=counts, mail_connection=mail_connection):
                break
    return counts


# Fields a sweep never reads (loading them for hundreds of rows per batch costs more than it seems).
_NOT_NEEDED_TO_SEND = (
    "created_at",
    "sent_at",
    "claimed_at",
    "subject",
    "last_error",
    "recipient__password",
    "recipient__last_login",
    "recipient__date_joined",
)


def _sweep_batch(*, now, batch_size, counts, mail_connection) -> bool:
    """Claim and deliver one batch; False when nothing was due."""
    ids = list(
        Message.objects.filter(state=Message.State.PENDING, available_at__lte=now)
        .order_by("available_at", "pk")
        .values_list("pk", flat=True)[:batch_size]
    )
    if not ids:
        return False
    token = uuid4().hex
    Message.objects.filter(pk__in=ids, state=Message.State.PENDING).update(
        state=Message.State.SENDING, claimed_at=timezone.now(), claim_token=token
    )
    claimed = (
        Message.objects.filter(pk__in=ids, claim_token=token)
        .select_related("recipient")
        .defer(*_NOT_NEEDED_TO_SEND)
        .order_by("pk")
    )
    with batch(), translation.override(settings.LANGUAGE_CODE):
        states = _deliver_claimed(list(claimed), mail_connection=mail_connection)
    for state in states:
        key = {
            Message.State.SENT: "sent",
            Message.State.CANCELLED: "cancelled",
            Message.State.PENDING: "retry",
        }.get(state, "failed")
        counts[key] += 1
    return True
