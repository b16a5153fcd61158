from django.db import models
from django.utils.translation import gettext_lazy as _

from .validators import single_line


class Heartbeat(models.Model):
    """The last time a periodic process (Celery beat) proved it was alive."""

    name = models.CharField(_("name"), max_length=50, unique=True, validators=[single_line])
    beat_at = models.DateTimeField(_("last heartbeat"))

    class Meta:
        verbose_name = _("heartbeat")
        verbose_name_plural = _("heartbeats")

    def __str__(self):
        return f"{self.name} @ {self.beat_at:%Y-%m-%d %H:%M:%S}"
