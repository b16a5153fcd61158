"""Theme groups (temagrupper): cooperation on a theme across chosen regions of a county. A group has
member regions (joined and left dates, so membership has a history), one lead region among the current
members, optionally a case topic, the cases that belong to it (a case keeps its own origin region; the
group makes it belong to several regions at once), the meetings where the theme is discussed, and an
append-only history of every change (who added or removed which member, case or meeting, and when)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.models import HistoryEntry
from core.validators import TEXT_MAX_LENGTH, single_line, text_validators


class ThemeGroup(models.Model):
    """Cooperation on one theme across regions of one county."""

    county = models.ForeignKey(
        "regions.County", on_delete=models.PROTECT, related_name="theme_groups", verbose_name=_("county")
    )
    name = models.CharField(_("name"), max_length=200, validators=[single_line])
    description = models.TextField(
        _("description"), blank=True, max_length=TEXT_MAX_LENGTH, validators=text_validators(TEXT_MAX_LENGTH)
    )
    lead_region = models.ForeignKey(
        "regions.Region",
        on_delete=models.PROTECT,
        related_name="led_theme_groups",
        verbose_name=_("lead region"),
    )
    topic = models.ForeignKey(
        "cases.Topic",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="theme_groups",
        verbose_name=_("topic"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("theme group")
        verbose_name_plural = _("theme groups")
        constraints = [models.UniqueConstraint(fields=["county", "name"], name="themes_group_name_per_county")]
        indexes = [models.Index(fields=["county", "name"], name="themes_group_county_idx")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("themes:group-detail", kwargs={"pk": self.pk})


class ThemeMember(models.Model):
    """A region's membership of a theme group, from the day it joined until the day it left."""

    group = models.ForeignKey(ThemeGroup, on_delete=models.CASCADE, related_name="members", verbose_name=_("group"))
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="theme_memberships", verbose_name=_("region")
    )
    joined_on = models.DateField(_("joined on"))
    left_on = models.DateField(_("left on"), null=True, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("added by")
    )

    class Meta:
        ordering = ["group", "region__name", "pk"]
        verbose_name = _("member region")
        verbose_name_plural = _("member regions")
        constraints = [
            models.UniqueConstraint(
                fields=["group", "region"],
                condition=Q(left_on__isnull=True),
                name="themes_member_once",
                violation_error_message=_("The region is already a member of the group."),
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=models.F("joined_on")),
                name="themes_member_left_after_joined",
            ),
        ]
        indexes = [models.Index(fields=["region", "left_on"], name="themes_member_region_idx")]

    def __str__(self):
        return f"{self.region} – {self.group}"

    @property
    def active(self) -> bool:
        return self.left_on is None


class ThemeLink(models.Model):
    """What a case or a meeting link shares: who added it and when, and who removed it and when.
    Removing keeps the row (the history shows what belonged to the group, and when); a link is there
    once at a time (each subclass's "once" constraint, while not removed)."""

    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("added by")
    )
    added_at = models.DateTimeField(_("added at"))
    removed_at = models.DateTimeField(_("removed at"), null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("removed by"),
    )

    class Meta:
        abstract = True


class ThemeCase(ThemeLink):
    """A case that belongs to the group (and so to each of its member regions)."""

    group = models.ForeignKey(ThemeGroup, on_delete=models.CASCADE, related_name="theme_cases", verbose_name=_("group"))
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="theme_links", verbose_name=_("case"))

    class Meta:
        ordering = ["group", "-added_at", "-pk"]
        verbose_name = _("case of the group")
        verbose_name_plural = _("cases of the group")
        constraints = [
            models.UniqueConstraint(
                fields=["group", "case"],
                condition=Q(removed_at__isnull=True),
                name="themes_case_once",
                violation_error_message=_("The case already belongs to the group."),
            )
        ]
        indexes = [models.Index(fields=["case"], name="themes_case_case_idx")]

    def __str__(self):
        return f"{self.case} – {self.group}"


class ThemeMeeting(ThemeLink):
    """A meeting where the group's theme is discussed."""

    group = models.ForeignKey(
        ThemeGroup, on_delete=models.CASCADE, related_name="theme_meetings", verbose_name=_("group")
    )
    meeting = models.ForeignKey(
        "meetings.Meeting", on_delete=models.CASCADE, related_name="theme_links", verbose_name=_("meeting")
    )

    class Meta:
        ordering = ["group", "pk"]
        verbose_name = _("meeting of the group")
        verbose_name_plural = _("meetings of the group")
        constraints = [
            models.UniqueConstraint(
                fields=["group", "meeting"],
                condition=Q(removed_at__isnull=True),
                name="themes_meeting_once",
                violation_error_message=_("The meeting is already linked to the group."),
            )
        ]
        indexes = [models.Index(fields=["meeting"], name="themes_meeting_meeting_idx")]

    def __str__(self):
        return f"{self.meeting} – {self.group}"


class ThemeEntry(HistoryEntry):
    """One change of a theme group (append-only): who, when, what, the old and the new value."""

    class Kind(models.TextChoices):
        GROUP = "group", _("Group")
        MEMBER_ADDED = "member_added", _("Member added")
        MEMBER_REMOVED = "member_removed", _("Member removed")
        LEAD = "lead", _("Lead region")
        CASE_ADDED = "case_added", _("Case added")
        CASE_REMOVED = "case_removed", _("Case removed")
        MEETING_ADDED = "meeting_added", _("Meeting linked")
        MEETING_REMOVED = "meeting_removed", _("Meeting unlinked")

    group = models.ForeignKey(ThemeGroup, on_delete=models.CASCADE, related_name="entries", verbose_name=_("group"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)

    class Meta(HistoryEntry.Meta):
        indexes = [models.Index(fields=["group", "-at"], name="themes_entry_group_at_idx")]
