"""The outbox: every notification and reminder is a Message row first, written in the same
transaction as its cause, and sent later by Celery (a task on commit, and a sweep every minute)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.validators import DOCUMENT_MAX_LENGTH, single_line, text_validators


class Message(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        CANCELLED = "cancelled", pgettext_lazy("outbox message state", "Cancelled")

    key = models.CharField(
        _("idempotency key"),
        max_length=255,
        unique=True,
        help_text=_("The same cause always gives the same key, so a message is never planned twice."),
    )
    kind = models.CharField(_("kind"), max_length=64, db_index=True)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="outbox_messages",
        verbose_name=_("recipient"),
    )
    email = models.EmailField(_("e-mail address"), blank=True)
    payload = models.JSONField(_("payload"), default=dict, blank=True)
    due_at = models.DateTimeField(_("due at"), default=timezone.now)
    available_at = models.DateTimeField(_("next attempt at"), default=timezone.now)
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    claim_token = models.CharField(max_length=32, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    subject = models.CharField(_("subject"), max_length=255, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox messages")
        ordering = ["-due_at"]
        # Partial indexes: only the messages still to send are in them, so marking one sent removes
        # it from the index instead of moving it within (one index write less per message sent),
        # and the sweep's search stays as small as what is due, however many have been sent.
        indexes = [
            models.Index(
                fields=["available_at", "id"], name="message_pending_due", condition=models.Q(state="pending")
            ),
            models.Index(fields=["claimed_at"], name="message_sending_claimed", condition=models.Q(state="sending")),
            # /healthz counts the failed messages on every call: an index of those alone keeps it cheap
            # however many have been sent.
            models.Index(fields=["claimed_at"], name="message_failed_claimed", condition=models.Q(state="failed")),
        ]

    def __str__(self):
        return f"{self.kind} → {self.email or self.recipient_id} ({self.get_state_display()})"


class Notification(models.Model):
    """An in-app notification, shown under "Varsler". Created when its outbox message is sent."""

    # No index of its own: the indexes below, each led by the user, serve every lookup by user.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("user"),
        db_index=False,
    )
    message = models.OneToOneField(
        Message, on_delete=models.SET_NULL, null=True, blank=True, related_name="notification"
    )
    title = models.CharField(_("title"), max_length=255, validators=[single_line])
    body = models.TextField(
        _("text"), blank=True, max_length=DOCUMENT_MAX_LENGTH, validators=text_validators(DOCUMENT_MAX_LENGTH)
    )
    url = models.CharField(_("link"), max_length=500, blank=True, validators=[single_line])
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["user", "read_at"]),
            # The list under "Varsler", newest first: read in order, not sorted from every notification
            # the user ever had (20,000 for a leader of ten years: 21 -> 0.1 ms on the national dataset).
            models.Index(fields=["user", "-created_at", "-id"], name="notification_user_newest"),
        ]

    def __str__(self):
        return self.title
