"""Planning outbox messages, and what users and admins do with them.

A message is planned once per key, in the caller's transaction, with a kind whose renderer writes its
text when it is sent; sending is notifications/delivery.py (one message, the plain path, read it first)
and notifications/sweep.py (every due message, in batches, fast). Failed messages are listed in the
outbox admin, where "Send again" puts them back in the queue, and counted in /healthz.
"""

import logging
from functools import partial

from celery import current_app
from django.db import transaction
from django.utils import timezone

from .models import Message, Notification

logger = logging.getLogger(__name__)

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


def notification_mark_read(*, actor, notification_ids=None) -> int:
    """Mark the actor's own notifications read (all of them when no ids are given); another person's
    notifications are never touched."""
    qs = Notification.objects.filter(user=actor, read_at__isnull=True)
    if notification_ids is not None:
        qs = qs.filter(pk__in=notification_ids)
    return qs.update(read_at=timezone.now())
