from django.conf import settings
from django.core.exceptions import ValidationError
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


class HistoryEntry(models.Model):
    """One change of something kept with its history (append-only): who, when, what, the old and the new
    value. A subclass adds what the change belongs to (its foreign key) and its own `kind` choices."""

    # The object a change is about, so that a history shows a reader only the changes they may see.
    object_id = models.PositiveBigIntegerField(_("object id"), null=True, blank=True)
    label = models.CharField(_("what"), max_length=255, blank=True, validators=[single_line])
    old_value = models.CharField(_("old value"), max_length=255, blank=True, validators=[single_line])
    new_value = models.CharField(_("new value"), max_length=255, blank=True, validators=[single_line])
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("changed by")
    )
    at = models.DateTimeField(_("changed at"))

    class Meta:
        abstract = True
        ordering = ["-at", "-pk"]
        verbose_name = _("change")
        verbose_name_plural = _("history of changes")

    def __str__(self):
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        # The history is append-only: an entry, once written, is never changed.
        if self.pk is not None:
            raise ValidationError(_("The history of changes cannot be edited."))
        super().save(*args, **kwargs)

    @classmethod
    def record(cls, *, kind, actor, at, obj=None, label="", old="", new="", **owner):
        """Write one entry (checked, cut to the field lengths); `owner` names what the change belongs to."""
        entry = cls(
            kind=kind,
            object_id=None if obj is None else obj.pk,
            label=str(label)[:255],
            old_value="" if old is None else str(old)[:255],
            new_value="" if new is None else str(new)[:255],
            actor=actor,
            at=at,
            **owner,
        )
        entry.full_clean()
        entry.save()
        return entry
