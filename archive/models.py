"""The archive queue: every arkivmelding the portal hands to the county's archive is an
ArchiveMessage row first, planned in the same transaction as its cause (a case closed, an agreement
adopted, minutes approved), and
delivered later by Celery (a task on commit, and a sweep every minute), like the outbox
(docs/adr/0001): a unique key per cause and part, a claim only one worker wins, retries with
backoff, and the receipt or the error recorded on the row."""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.validators import TEXT_MAX_LENGTH, single_line, text_validators


class ArchiveMessage(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", _("Waiting")
        SENDING = "sending", _("Being delivered")
        SENT = "sent", _("Archived")
        FAILED = "failed", _("Failed")

    class Cause(models.TextChoices):
        CASE_CLOSED = "case_closed", _("Case closed")
        AGREEMENT_ADOPTED = "agreement_adopted", _("Agreement adopted")
        MINUTES_APPROVED = "minutes_approved", _("Minutes approved")

    key = models.CharField(
        _("idempotency key"),
        max_length=255,
        unique=True,
        validators=[single_line],
        help_text=_("The same cause and part always give the same key, so a message is never planned twice."),
    )
    cause = models.CharField(_("cause"), max_length=32, choices=Cause.choices)
    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="archive_messages",
        verbose_name=_("case"),
    )
    agreement = models.ForeignKey(
        "partnerships.Agreement",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="archive_messages",
        verbose_name=_("agreement"),
    )
    meeting = models.ForeignKey(
        "meetings.Meeting",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="archive_messages",
        verbose_name=_("meeting"),
    )
    # The external key of the saksmappe the message belongs to ("case-12", "agreement-3"): the
    # messages of one mappe are delivered in `sequence` order.
    folder_key = models.CharField(_("folder key"), max_length=64, validators=[single_line])
    # The messages of one cause are delivered in this order: the first creates the folder (mappe),
    # the others add a registration each to it (the XSD allows one mappe and one registrering per
    # message).
    sequence = models.PositiveSmallIntegerField(_("order"))
    part = models.CharField(_("part"), max_length=64, validators=[single_line])
    title = models.CharField(_("title"), max_length=255, validators=[single_line])
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    available_at = models.DateTimeField(_("next attempt at"), default=timezone.now)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    claim_token = models.CharField(max_length=32, blank=True)
    sent_at = models.DateTimeField(_("archived at"), null=True, blank=True)
    target = models.CharField(_("delivered to"), max_length=500, blank=True, validators=[single_line])
    receipt = models.TextField(
        _("receipt"), blank=True, max_length=TEXT_MAX_LENGTH, validators=text_validators(TEXT_MAX_LENGTH)
    )
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("planned at"), default=timezone.now)

    class Meta:
        verbose_name = _("archive message")
        verbose_name_plural = _("archive messages")
        ordering = ["-created_at", "sequence", "pk"]
        indexes = [
            # The sweep's search: only what is still to deliver.
            models.Index(fields=["available_at", "id"], name="archive_pending_due", condition=Q(state="pending")),
            models.Index(fields=["claimed_at"], name="archive_sending_claimed", condition=Q(state="sending")),
            # The adviser's list: newest first, filtered by state.
            models.Index(fields=["state", "-created_at"], name="archive_state_created"),
            models.Index(fields=["-created_at"], name="archive_created_desc"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["folder_key", "sequence"], name="archive_message_once_per_folder_place"),
        ]

    def __str__(self):
        return f"{self.key} ({self.get_state_display()})"

    @property
    def package_name(self) -> str:
        """The folder (or file) name of the package: the key, with only safe characters."""
        return "".join(c if c.isalnum() or c in "-_" else "-" for c in self.key)
