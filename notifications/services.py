"""Planning and delivering outbox messages.

Guarantees: a message is planned once per key; it is claimed by one worker at a time (a
conditional UPDATE that only one of two racing workers can win, on SQLite and PostgreSQL alike);
its in-app notification is created once, before the e-mail is tried; it is marked sent right after
its e-mail leaves, so a worker killed in between re-sends at most that one e-mail; a message left
"sending" by a killed worker is re-queued by the sweep (counting an attempt).

One message never holds back another. Every step of a delivery is done for each message on its
own, and what goes wrong in it is that message's outcome, recorded with the exception's class and
text in last_error and the attempt counted (faults.py has the rule):
- a transient error (the mail server, the network, an unreachable database) is retried with
  exponential backoff up to MAX_ATTEMPTS, then the message is FAILED;
- a permanent one (a renderer's exception, a header or address the e-mail library refuses, a value
  the database refuses) makes the message FAILED at once;
- a failing preparer costs only its speed: the renderers load what they need alone;
- when the batch's in-app notifications cannot be written in one statement, they are written one
  by one and only the message whose row is refused fails;
- an e-mail that left but cannot be marked sent is marked FAILED (with why), never put back to
  pending, so it is not sent again by itself;
- if anything still escapes while a batch is delivered (Celery's time limit, a shutdown), the
  batch's unfinished messages are released before it propagates: the one being worked on counts an
  attempt (so an interruption that recurs cannot hold a batch for ever), the others go back to
  pending untouched. Only when the database itself is gone do they stay "sending" until re-queued.
A sweep goes on with the rest of its batch and with the next batches. Failed messages are listed in
the outbox admin, where "Send again" puts them back in the queue, and counted in /healthz.
"""

import logging
import time
from contextlib import contextmanager, nullcontext, suppress
from datetime import timedelta
from functools import partial
from urllib.parse import urlsplit
from uuid import uuid4

from celery import current_app
from django.conf import settings
from django.core.mail import get_connection
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connection, connections, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from .faults import error_text, is_interruption, is_transient, isolated
from .mail import KEY_HEADER, KEY_MAX_LENGTH, OutboxEmail, header_text, headers_safe, recipient_address
from .models import Message, Notification
from .registry import Rendered, batch, batch_cache, get_renderer, prepare, register

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
STUCK_AFTER = timedelta(minutes=10)
SWEEP_BATCH = 500
SIMPLE_KIND = "notifications.simple"


def backoff_delay(attempts):
    """Wait after the n-th failed attempt: 1, 2, 4, 8 ... minutes, at most six hours."""
    return timedelta(seconds=min(60 * 2 ** max(attempts - 1, 0), 6 * 3600))


DELIVER_TASK = "notifications.message_deliver_task"  # notifications/tasks.py; sent by name, so no import circle


def _publish_delivery(message_id):
    try:
        current_app.send_task(DELIVER_TASK, args=[message_id])
    except Exception:  # broker down: the row is saved, the sweep sends it later
        logger.warning("Broker unavailable; outbox message %s waits for the next sweep.", message_id)


def message_enqueue(*, key, kind, recipient=None, email="", payload=None, due_at=None) -> Message:
    """Plan a message once per key in the caller's transaction; if it is due now it is handed to
    Celery after commit. A cancelled message with the same key is planned again."""
    now = timezone.now()
    due = due_at or now
    address = email or (recipient.email if recipient is not None else "")
    message, created = Message.objects.get_or_create(
        key=key,
        defaults={
            "kind": kind,
            "recipient": recipient,
            "email": address,
            "payload": payload or {},
            "due_at": due,
            "available_at": due,
        },
    )
    if not created and message.state == Message.State.CANCELLED:
        message.state = Message.State.PENDING
        message.due_at = message.available_at = due
        message.payload = payload or {}
        message.attempts = 0
        message.last_error = ""
        message.save(update_fields=["state", "due_at", "available_at", "payload", "attempts", "last_error"])
        created = True
    if created and due <= now:
        transaction.on_commit(partial(_publish_delivery, message.pk))
    return message


def message_cancel(*, keys=None, queryset=None) -> int:
    """Cancel pending messages (by key or a queryset); sent ones are left as they are."""
    qs = queryset if queryset is not None else Message.objects.filter(key__in=keys or [])
    return qs.filter(state=Message.State.PENDING).update(state=Message.State.CANCELLED)


def message_send_again(*, messages, actor) -> list[Message]:
    """Put failed messages back in the queue (an admin's "Send again"): pending and due now, attempts
    from zero, so the normal sweep renders and sends each afresh; the last error stays on the message
    until it is sent. Messages in any other state are left as they are. Returns those put back."""
    failed = [message for message in messages if message.state == Message.State.FAILED]
    now = timezone.now()
    with transaction.atomic():
        Message.objects.filter(pk__in=[m.pk for m in failed], state=Message.State.FAILED).update(
            state=Message.State.PENDING, attempts=0, available_at=now, claim_token=""
        )
    for message in failed:
        logger.info("Outbox message %s sent again by %s; its last error: %s", message.pk, actor, message.last_error)
        message.state, message.attempts, message.available_at = Message.State.PENDING, 0, now
    return failed


def notify(*, user, key, subject, body="", url="", due_at=None) -> Message:
    """A plain notification (in-app and e-mail) whose text is fixed when it is planned."""
    return message_enqueue(
        key=key,
        kind=SIMPLE_KIND,
        recipient=user,
        payload={"subject": str(subject), "body": str(body), "url": str(url)},
        due_at=due_at,
    )


@register(SIMPLE_KIND)
def _render_simple(message):
    payload = message.payload
    return Rendered(subject=payload.get("subject", ""), body=payload.get("body", ""), url=payload.get("url", ""))


def _absolute(url):
    if url.startswith(("http://", "https://")) or not url:
        return url
    return settings.SITE_URL + url


def _safe_link(url):
    """Only links into the portal become clickable in the list (never javascript: or another site)."""
    host = urlsplit(settings.SITE_URL).hostname
    return url if url and url_has_allowed_host_and_scheme(url, allowed_hosts={host}) else ""


def _texts():
    """The fixed sentences of every e-mail, translated once per sweep batch."""
    cache = batch_cache()
    key = ("notifications.texts", translation.get_language())
    if key not in cache:
        cache[key] = (
            _("Open in Regionportalen: %(url)s"),
            "-- \n" + _("This is an automatic message from Regionportalen. Do not reply to it."),
            "-- \n" + _("This message was sent by Regionportalen. A reply goes to %(address)s."),
        )
    return cache[key]


def _reply_to(rendered):
    """The renderer's reply address, else the coordination unit's mailbox; "" when there is none."""
    address = rendered.reply_to or settings.REPLY_TO_EMAIL
    return recipient_address(address) if address else ""


def _build_email(message, rendered, mail_connection):
    """The e-mail of a rendered message. Its headers come from single-line text (headers_safe has
    already made the Subject and the file names so); a malformed address raises ValidationError."""
    open_link, no_reply, reply_footer = _texts()
    reply_to = _reply_to(rendered)
    body = rendered.body.strip()
    lines = [body] if body else []
    if rendered.url:
        lines.append(open_link % {"url": _absolute(rendered.url)})
    lines.append(reply_footer % {"address": reply_to} if reply_to else no_reply)
    email = OutboxEmail(
        subject=rendered.subject,
        body="\n\n".join(lines),
        to=[recipient_address(message.email)],
        reply_to=[reply_to] if reply_to else None,
        connection=mail_connection,
        headers={KEY_HEADER: header_text(message.key, KEY_MAX_LENGTH)},
    )
    if rendered.html:
        email.attach_alternative(rendered.html, "text/html")
    for attachment in rendered.attachments:
        email.attach(attachment.filename, attachment.content, attachment.mimetype)
    return email


def _finish(message, **fields):
    Message.objects.filter(pk=message.pk, claim_token=message.claim_token).update(**fields)


def _fail(message, *, stage, exc, permanent=None):
    """Record a failed attempt: FAILED at once when the error is permanent (or the attempts are used
    up), else back to pending after the backoff. Returns the state the message is left in."""
    permanent = not is_transient(exc) if permanent is None else permanent
    error = error_text(stage, exc)
    attempts = message.attempts + 1
    if permanent or attempts >= MAX_ATTEMPTS:
        logger.error("Outbox message %s failed for good after %s attempt(s): %s", message.pk, attempts, error)
        _finish(message, state=Message.State.FAILED, attempts=attempts, last_error=error, claim_token="")
        return Message.State.FAILED
    logger.warning("Outbox message %s failed (attempt %s), retrying: %s", message.pk, attempts, error)
    _finish(
        message,
        state=Message.State.PENDING,
        attempts=attempts,
        last_error=error,
        available_at=timezone.now() + backoff_delay(attempts),
        claim_token="",
    )
    return Message.State.PENDING


def _language(message):
    """A message is written in its recipient's own language (bokmål, nynorsk or English), else in the
    portal's (the sweep sets that once per batch)."""
    language = getattr(message.recipient, "language", "") or settings.LANGUAGE_CODE
    if translation.get_language() == language:
        return nullcontext()
    return translation.override(language)


def _render(message, *, mail_connection):
    """Render one claimed message: (rendered, e-mail or None), or the state it ended in instead."""
    try:
        with isolated():
            if message.recipient_id and not message.recipient.is_active:
                _finish(message, state=Message.State.CANCELLED, last_error="recipient inactive")
                return Message.State.CANCELLED
            renderer = get_renderer(message.kind)
            if renderer is None:
                # Retried, not failed at once: during a deploy an old worker may meet a new kind.
                unknown = f"no renderer registered for kind {message.kind!r}"
                return _fail(message, stage="render", exc=unknown, permanent=False)
            with _language(message):
                rendered = renderer(message)
                if rendered is None:
                    _finish(message, state=Message.State.CANCELLED, claim_token="", last_error="no longer applies")
                    return Message.State.CANCELLED
                rendered = headers_safe(rendered)
                email = _build_email(message, rendered, mail_connection) if message.email else None
    except Exception as exc:  # this message's fault or a passing one; never the batch's
        if is_interruption(exc):
            raise
        logger.exception("Rendering outbox message %s failed", message.pk)
        return _fail(message, stage="render", exc=exc)
    return rendered, email


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
            outcome = _render(message, mail_connection=mail_connection)
            if isinstance(outcome, tuple):
                ready.append((message, *outcome))
            else:
                states[message.pk] = outcome
        current = None
        ready = _create_in_app(ready, states)
        for message, rendered, email in ready:
            current, left = message, False
            if email is not None:
                failed = _send(message, email)
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


def _send(message, email):
    """Hand the e-mail to the mail server; None when it left, else the state the failure leaves."""
    try:
        email.send()
    except Exception as exc:
        if is_interruption(exc):
            raise
        return _fail(message, stage="send", exc=exc)
    return None


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
            _finish(
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
                    _fail(message, stage="interrupted", exc=exc, permanent=False)
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
    return (message.recipient_id, message.pk, rendered.subject, rendered.body, _safe_link(rendered.url))


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
            states[message.pk] = _fail(message, stage="in-app notification", exc=exc)
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


def message_deliver(*, message_id) -> str | None:
    """Send one message if it is still pending and due; None if another worker has it or it is done."""
    token = uuid4().hex
    now = timezone.now()
    claimed = Message.objects.filter(pk=message_id, state=Message.State.PENDING, available_at__lte=now).update(
        state=Message.State.SENDING, claimed_at=now, claim_token=token
    )
    if not claimed:
        return None
    message = Message.objects.select_related("recipient").get(pk=message_id)
    with batch():
        return _deliver_claimed([message], mail_connection=get_connection())[0]


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


def notification_mark_read(*, user, notification_ids=None) -> int:
    """Mark the user's notifications read (all of them when no ids are given)."""
    qs = Notification.objects.filter(user=user, read_at__isnull=True)
    if notification_ids is not None:
        qs = qs.filter(pk__in=notification_ids)
    return qs.update(read_at=timezone.now())
