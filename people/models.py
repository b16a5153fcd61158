import hashlib

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _


def token_hash(token: str) -> str:
    """What is stored of an invitation's token: its SHA-256, to find the invitation by its link."""
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_token(nonce: str) -> str:
    """The token in the link: an HMAC of the invitation's random nonce with SECRET_KEY. The outbox keeps
    only the invitation's id and the renderer writes the link at send time, so neither the database
    nor the outbox alone holds a token that opens an account."""
    return salted_hmac("people.invitation", nonce, algorithm="sha256").hexdigest()


class Invitation(models.Model):
    """An invitation to set a password and sign in. The token itself is only in the e-mail; the row
    keeps its hash. It ends when used, when it expires, when a new one is sent (revoked) or when the
    person is deactivated (revoked)."""

    class State(models.TextChoices):
        OPEN = "open", _("Sent, waiting")
        USED = "used", _("Used")
        EXPIRED = "expired", _("Expired")
        REVOKED = "revoked", _("Replaced or withdrawn")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("person")
    )
    nonce = models.CharField(max_length=64, editable=False)
    token_hash = models.CharField(_("token (hashed)"), max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("sent"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sent by"),
    )
    expires_at = models.DateTimeField(_("expires"))
    used_at = models.DateTimeField(_("used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("replaced or withdrawn"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at", "-pk"]
        constraints = [
            # At most one invitation a person can still use: sending a new one ends the old one.
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(used_at__isnull=True, revoked_at__isnull=True),
                name="invitation_one_open_per_user",
            ),
            models.CheckConstraint(condition=Q(expires_at__gt=models.F("created_at")), name="invitation_expires_later"),
        ]

    def __str__(self):
        return f"{self.user} – {self.created_at:%Y-%m-%d %H:%M}"

    def state_on(self, now) -> str:
        if self.used_at:
            return self.State.USED
        if self.revoked_at:
            return self.State.REVOKED
        if self.expires_at <= now:
            return self.State.EXPIRED
        return self.State.OPEN
