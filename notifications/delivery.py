"""Delivering one outbox message: the reference path, and the rules every path keeps.

Read this module to know what happens to a message. `message_deliver` sends one message the plain
way (the Celery task run right after the commit that planned it): claim it with a conditional UPDATE
that only one worker can win, render it at send time, create its in-app notification, send its
e-mail, mark it sent. The sweep (notifications/sweep.py) does the same for a batch of hundreds, with
shortcuts that are there only for speed (docs/adr/0002-fast-sweep.md); it uses the per-message rules
below, so both paths end a message the same way, and tests/reliability/test_poisoned_messages.py runs
its poisons through both.

The rules (notifications/faults.py says which error is which):
- a message whose recipient is inactive, or that no longer applies (its renderer returns None), is
  CANCELLED;
- a transient error (the mail server, the network, an unreachable database) is retried with
  exponential backoff up to MAX_ATTEMPTS, then the message is FAILED;
- a permanent one (a renderer's exception, a header or address the e-mail library refuses, a value
  the database refuses) makes the message FAILED at once, with the stage, the exception's class and
  its text in last_error and the attempt counted;
- an e-mail that left but cannot be marked sent is marked FAILED (with why), never put back to
  pending, so it is not sent again by itself;
- an interruption (Celery's time limit, a shutdown) is no message's fault and is never swallowed:
  the message being worked on counts an attempt (or is marked sent if its e-mail had left) before
  it propagates.
"""

import logging
from contextlib import nullcontext
from datetime import timedelta
from urllib.parse import urlsplit
from uuid import uuid4

from django.conf import settings
from django.core.mail import get_connection
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from .faults import error_text, is_interruption, is_transient, isolated
from .mail import KEY_HEADER, KEY_MAX_LENGTH, OutboxEmail, header_text, headers_safe, recipient_address
from .models import Message, Notification
from .registry import batch_cache, get_renderer

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 8


def backoff_delay(attempts):
    """Wait after the n-th failed attempt: 1, 2, 4, 8 ... minutes, at most six hours."""
    return timedelta(seconds=min(60 * 2 ** max(attempts - 1, 0), 6 * 3600))


def _absolute(url):
    if url.startswith(("http://", "https://")) or not url:
        return url
    return settings.SITE_URL + url


def safe_link(url):
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


def finish(message, **fields):
    Message.objects.filter(pk=message.pk, claim_token=message.claim_token).update(**fields)


def fail(message, *, stage, exc, permanent=None):
    """Record a failed attempt: FAILED at once when the error is permanent (or the attempts are used
    up), else back to pending after the backoff. Returns the state the message is left in."""
    permanent = not is_transient(exc) if permanent is None else permanent
    error = error_text(stage, exc)
    attempts = message.attempts + 1
    if permanent or attempts >= MAX_ATTEMPTS:
        logger.error("Outbox message %s failed for good after %s attempt(s): %s", message.pk, attempts, error)
        finish(message, state=Message.State.FAILED, attempts=attempts, last_error=error, claim_token="")
        return Message.State.FAILED
    logger.warning("Outbox message %s failed (attempt %s), retrying: %s", message.pk, attempts, error)
    finish(
        message,
        state=Message.State.PENDING,
        attempts=attempts,
        last_error=error,
        available_at=timezone.now() + backoff_delay(attempts),
        claim_token="",
    )
    return Message.State.PENDING


FALLBACK_LANGUAGE_KEY = "fallback_language"


def _language(message):
    """A message is written in its recipient's own language (bokmål, nynorsk or English); for a
    recipient without one, in the language the sender put in the payload (what the county sends to a
    region whose official language form is nynorsk: regions.selectors.region_message_language), else
    in the portal's (the sweep sets that once per batch)."""
    payload = message.payload if isinstance(message.payload, dict) else {}  # a malformed one fails in render
    fallback = payload.get(FALLBACK_LANGUAGE_KEY, "")
    if not isinstance(fallback, str) or fallback not in {code for code, _name in settings.LANGUAGES}:
        fallback = ""
    language = getattr(message.recipient, "language", "") or fallback or settings.LANGUAGE_CODE
    if translation.get_language() == language:
        return nullcontext()
    return translation.override(language)


def render(message, *, mail_connection):
    """Render one claimed message: (rendered, e-mail or None), or the state it ended in instead."""
    try:
        with isolated():
            if message.recipient_id and not message.recipient.is_active:
                finish(message, state=Message.State.CANCELLED, last_error="recipient inactive")
                return Message.State.CANCELLED
            renderer = get_renderer(message.kind)
            if renderer is None:
                # Retried, not failed at once: during a deploy an old worker may meet a new kind.
                unknown = f"no renderer registered for kind {message.kind!r}"
                return fail(message, stage="render", exc=unknown, permanent=False)
            with _language(message):
                rendered = renderer(message)
                if rendered is None:
                    finish(message, state=Message.State.CANCELLED, claim_token="", last_error="no longer applies")
                    return Message.State.CANCELLED
                rendered = headers_safe(rendered)
                email = _build_email(message, rendered, mail_connection) if message.email else None
    except Exception as exc:  # this message's fault or a passing one; never the batch's
        if is_interruption(exc):
            raise
        logger.exception("Rendering outbox message %s failed", message.pk)
        return fail(message, stage="render", exc=exc)
    return rendered, email


def send(message, email):
    """Hand the e-mail to the mail server; None when it left, else the state the failure leaves."""
    try:
        email.send()
    except Exception as exc:
        if is_interruption(exc):
            raise
        return fail(message, stage="send", exc=exc)
    return None


def message_deliver(*, message_id, now=None) -> str | None:
    """Send one message if it is still pending and due; returns the state it ends in, or None if
    another worker has it or it is done."""
    token = uuid4().hex
    now = now or timezone.now()
    claimed = Message.objects.filter(pk=message_id, state=Message.State.PENDING, available_at__lte=now).update(
        state=Message.State.SENDING, claimed_at=timezone.now(), claim_token=token
    )
    if not claimed:
        return None
    message = Message.objects.select_related("recipient").get(pk=message_id)
    left = False  # whether its e-mail has left
    try:
        outcome = render(message, mail_connection=get_connection())
        if not isinstance(outcome, tuple):
            return outcome
        rendered, email = outcome
        refused = _create_in_app(message, rendered)
        if refused is not None:
            return refused
        if email is not None:
            failed = send(message, email)
            if failed is not None:
                return failed
        left = True
        return record_sent(message, rendered)
    except BaseException as exc:
        _interrupted(message, left, exc)
        raise


def _create_in_app(message, rendered):
    """The message's in-app notification, once (a message sent again never gets a second one); None,
    or the state the message ends in when the database refuses the row."""
    if not (rendered.in_app and message.recipient_id):
        return None
    try:
        with transaction.atomic():
            Notification.objects.get_or_create(
                message=message,
                defaults={
                    "user_id": message.recipient_id,
                    "title": rendered.subject,
                    "body": rendered.body,
                    "url": safe_link(rendered.url),
                },
            )
    except Exception as exc:
        if is_interruption(exc):
            raise
        return fail(message, stage="in-app notification", exc=exc)
    return None


def _mark_sent(message, rendered):
    finish(
        message,
        state=Message.State.SENT,
        sent_at=timezone.now(),
        subject=rendered.subject,
        attempts=F("attempts") + 1,
        last_error="",
    )


def record_sent(message, rendered, *, mark=_mark_sent):
    """Mark the message sent (with `mark`: the sweep passes its one-statement version). If the
    database refuses that, the e-mail has left all the same: the message is marked FAILED with why,
    never put back to pending (it would be sent a second time)."""
    try:
        with isolated():
            mark(message, rendered)
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


def _interrupted(message, left, exc):
    """Something no message is to blame for stopped the delivery: the message counts an attempt (so
    an interruption that recurs cannot hold it for ever), or is marked sent if its e-mail had left."""
    logger.error("Delivering outbox message %s was interrupted (%r)", message.pk, exc)
    try:
        with isolated():
            if left:
                Message.objects.filter(pk=message.pk, claim_token=message.claim_token).update(
                    state=Message.State.SENT,
                    sent_at=timezone.now(),
                    attempts=message.attempts + 1,
                    last_error=error_text("interrupted after the e-mail left", exc),
                )
            else:
                fail(message, stage="interrupted", exc=exc, permanent=False)
    except Exception:
        logger.exception("Could not release message %s; the sweep re-queues it later", message.pk)
