"""Meeting series, meetings, participants, agendas, minutes, reference-group input and calendar feeds.

Times are stored as aware datetimes; a series' recurrence is evaluated in Europe/Oslo local time so a
09:00 meeting stays 09:00 across daylight-saving changes. Reminders are not stored here: they are
rows in the shared outbox (notifications.Message, kinds "meetings.*").
"""

import secrets
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from dateutil.rrule import DAILY, rrulestr
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.fields import URLField
from core.screening import ScreenedModel
from core.validators import TEXT_MAX_LENGTH, single_line, text_validators
from notifications.models import Message
from regions.models import role_acted_in_label

OSLO = ZoneInfo("Europe/Oslo")

lead_days_validator = RegexValidator(
    r"^\s*\d{1,3}(\s*,\s*\d{1,3})*\s*$",
    _("Write the lead times as whole days separated by commas, for example 7,1."),
)


def parse_lead_days(value: str) -> list[int]:
    """ "7, 1" -> [7, 1] (largest first, no duplicates)."""
    days = {int(part) for part in (value or "").split(",") if part.strip()}
    return sorted(days, reverse=True)


def parse_rrule(rule: str, dtstart: datetime):
    """Parse an RFC 5545 RRULE (with or without the "RRULE:" prefix) for a naive local start.

    Raises ValidationError with a Norwegian message when it does not parse, or repeats more often
    than daily (a meeting series never does)."""
    text = (rule or "").strip()
    if text.upper().startswith("RRULE:"):
        text = text[6:]
    if not text or "DTSTART" in text.upper() or "\n" in text:
        raise ValidationError(_("The recurrence rule is not valid. Example: FREQ=MONTHLY;BYDAY=2TU"), code="rrule")
    try:
        parsed = rrulestr(text, dtstart=dtstart)
    except (ValueError, TypeError, KeyError, IndexError):
        raise ValidationError(
            _("The recurrence rule is not valid. Example: FREQ=MONTHLY;BYDAY=2TU"), code="rrule"
        ) from None
    if getattr(parsed, "_freq", DAILY) > DAILY:
        raise ValidationError(_("A meeting series can repeat at most once a day."), code="rrule")
    if getattr(parsed, "_until", None) is not None and parsed._until.tzinfo is not None:
        raise ValidationError(_("Write UNTIL as a local date without a time zone, e.g. UNTIL=20271231."), code="rrule")
    return parsed


class MeetingKind(models.TextChoices):
    REGION_COUNCIL = "region_council", _("Region council meeting")
    REFERENCE_GROUP = "reference_group", _("Reference group meeting")
    DIALOGUE = "dialogue", _("Dialogue meeting")
    PARTNERSHIP = "partnership", _("Partnership meeting")


class MeetingSeries(models.Model):
    """Fixed meeting times known in advance: an RRULE evaluated in Oslo local time."""

    title = models.CharField(_("title"), max_length=200, validators=[single_line])
    kind = models.CharField(_("kind"), max_length=32, choices=MeetingKind.choices, default=MeetingKind.REGION_COUNCIL)
    region = models.ForeignKey(
        "regions.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meeting_series",
        verbose_name=_("region"),
    )
    body = models.CharField(
        _("other body"),
        max_length=200,
        blank=True,
        help_text=_("For meetings that do not belong to one region."),
        validators=[single_line],
    )
    rrule = models.CharField(
        _("recurrence rule (RFC 5545)"),
        max_length=500,
        help_text=_("For example FREQ=MONTHLY;BYDAY=2TU (the second Tuesday of every month)."),
        validators=[single_line],
    )
    first_date = models.DateField(_("first date"))
    start_time = models.TimeField(_("start time (Oslo)"))
    duration_minutes = models.PositiveIntegerField(
        _("duration (minutes)"), default=180, validators=[MinValueValidator(5), MaxValueValidator(24 * 60)]
    )
    location = models.CharField(_("location"), max_length=255, blank=True, validators=[single_line])
    video_link = URLField(_("video link"), blank=True, validators=[single_line])
    exception_dates = models.JSONField(
        _("exceptions"), default=list, blank=True, help_text=_("Dates (YYYY-MM-DD) with no meeting.")
    )
    agenda_cutoff_days = models.PositiveSmallIntegerField(
        _("agenda cut-off (days before)"), default=7, validators=[MaxValueValidator(90)]
    )
    reminder_lead_days = models.CharField(
        _("reminder lead times (days)"), max_length=50, default="7,1", validators=[lead_days_validator, single_line]
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("meeting series")
        verbose_name_plural = _("meeting series")
        ordering = ["title"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("meetings:series-detail", kwargs={"pk": self.pk})

    def clean(self):
        if self.first_date and self.start_time:
            try:
                parse_rrule(self.rrule, datetime.combine(self.first_date, self.start_time))
            except ValidationError as error:
                raise ValidationError({"rrule": error.messages}) from None
        if not isinstance(self.exception_dates, list):
            raise ValidationError({"exception_dates": _("Exceptions must be a list of dates.")})
        for value in self.exception_dates:
            try:
                datetime.strptime(str(value), "%Y-%m-%d")
            except ValueError:
                raise ValidationError(
                    {"exception_dates": _("%(value)s is not a date (YYYY-MM-DD).") % {"value": value}}
                ) from None
        if self.region_id is None and not self.body:
            raise ValidationError(_("Choose a region or name the body the meetings belong to."))

    @property
    def duration(self):
        return timedelta(minutes=self.duration_minutes)


class _EarliestStart(models.Func):
    """MIN(start) of the rows asked for, written so that PostgreSQL reads it from the (end, start) index:
    a plain MIN would be turned into a walk along the start index from the first meeting ever held."""

    function = "MIN"
    output_field = models.DateTimeField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, template="%(function)s(%(expressions)s) FILTER (WHERE TRUE)")


class MeetingQuerySet(models.QuerySet):
    def ending_from(self, moment):
        """Meetings that end at or after the moment (under way or still to come), in a form the database
        can find from the moment onwards instead of reading every meeting since the first. A meeting
        that ends after the moment starts no earlier than the earliest start among those, so saying so
        changes nothing but the plan: on 50,000 meetings, 8 ms to 0.6."""
        earliest = Meeting.objects.filter(end__gte=moment).order_by().values(first=_EarliestStart("start"))
        return self.filter(end__gte=moment, start__gte=models.Subquery(earliest))

    def upcoming(self, now=None):
        return self.ending_from(now or timezone.now()).order_by("start")


class Meeting(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        PUBLISHED = "published", _("Agenda published")
        HELD = "held", _("Held")
        CANCELLED = "cancelled", _("Cancelled")

    series = models.ForeignKey(
        MeetingSeries,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="meetings",
        verbose_name=_("series"),
    )
    series_occurrence = models.DateField(
        _("occurrence in the series"),
        null=True,
        blank=True,
        help_text=_("The series date this meeting was generated for; kept when the meeting is moved."),
    )
    kind = models.CharField(_("kind"), max_length=32, choices=MeetingKind.choices, default=MeetingKind.REGION_COUNCIL)
    region = models.ForeignKey(
        "regions.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meetings",
        verbose_name=_("region"),
    )
    body = models.CharField(_("other body"), max_length=200, blank=True, validators=[single_line])
    title = models.CharField(_("title"), max_length=200, validators=[single_line])
    start = models.DateTimeField(_("start"), db_index=True)
    end = models.DateTimeField(_("end"))
    location = models.CharField(_("location"), max_length=255, blank=True, validators=[single_line])
    video_link = URLField(_("video link"), blank=True, validators=[single_line])
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PLANNED)
    moved_from = models.DateTimeField(_("moved from"), null=True, blank=True)
    agenda_cutoff_days = models.PositiveSmallIntegerField(
        _("agenda cut-off (days before)"), default=7, validators=[MaxValueValidator(90)]
    )
    reminder_lead_days = models.CharField(
        _("reminder lead times (days)"), max_length=50, default="7,1", validators=[lead_days_validator, single_line]
    )
    organiser = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="organised_meetings",
        verbose_name=_("organiser"),
        help_text=_("The adviser who writes the minutes; gets the minutes reminder."),
    )
    sequence = models.PositiveIntegerField(_("calendar sequence"), default=0)
    agenda_published_at = models.DateTimeField(_("agenda published at"), null=True, blank=True)
    # Minutes are public once approved (offentleglova), unless an entry is exempt.
    minutes_approved_at = models.DateTimeField(_("minutes approved at"), null=True, blank=True)
    cancel_reason = models.TextField(
        _("reason for cancelling"), blank=True, max_length=TEXT_MAX_LENGTH, validators=text_validators(TEXT_MAX_LENGTH)
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=F("start")),
                name="meeting_end_after_start",
                violation_error_message=_("The meeting must end after it starts."),
            ),
            models.UniqueConstraint(
                fields=["series", "series_occurrence"],
                condition=Q(series__isnull=False, series_occurrence__isnull=False),
                name="meeting_unique_series_occurrence",
                violation_error_message=_("The series already has a meeting on this date."),
            ),
        ]
        indexes = [
            models.Index(fields=["region", "start"]),
            # What is under way or still to come (MeetingQuerySet.ending_from), from the index alone.
            models.Index(fields=["end", "start"], name="meeting_end_start"),
        ]

    def __str__(self):
        return f"{self.title} {timezone.localtime(self.start):%d.%m.%Y %H:%M}"

    def get_absolute_url(self):
        return reverse("meetings:meeting-detail", kwargs={"pk": self.pk})

    def clean(self):
        if self.start and self.end and self.end <= self.start:
            raise ValidationError({"end": _("The meeting must end after it starts.")})
        if self.region_id is None and not self.body:
            raise ValidationError(_("Choose a region or name the body the meeting belongs to."))

    @property
    def cutoff_at(self):
        """The agenda cut-off: this many days before the start; later items must be urgent with a reason."""
        return self.start - timedelta(days=self.agenda_cutoff_days)

    @property
    def is_cancelled(self):
        return self.status == self.Status.CANCELLED

    @property
    def uid(self):
        return f"meeting-{self.pk}@regionportalen"

    @property
    def organiser_name(self):
        return self.region.name if self.region_id else self.body

    @property
    def lead_days(self):
        return parse_lead_days(self.reminder_lead_days)


class ParticipantQuerySet(models.QuerySet):
    def entitled(self, on):
        """Participants who still hold the seat they were invited for on the day: guests invited by
        name, and those whose appointment has not ended by then. Rights follow the *current*
        appointment: once it ends, the invitation no longer opens the meeting or brings reminders."""
        return self.filter(
            Q(appointment__isnull=True, is_guest=True)
            | Q(appointment__isnull=False, appointment__valid_to__isnull=True)
            | Q(appointment__valid_to__gt=on)
        )


class Participant(models.Model):
    class Side(models.TextChoices):
        POLITICAL = "political", _("Political")
        ADMINISTRATIVE = "administrative", _("Administrative")
        COUNTY = "county", _("County representative")

    class Status(models.TextChoices):
        INVITED = "invited", _("Invited")
        ACCEPTED = "accepted", pgettext_lazy("meeting participant status", "Accepted")
        DECLINED = "declined", _("Declined")
        ATTENDED = "attended", _("Attended")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="participants")
    person = models.ForeignKey(
        "regions.Person", on_delete=models.PROTECT, related_name="meeting_participations", verbose_name=_("person")
    )
    appointment = models.ForeignKey(
        "regions.Appointment",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="meeting_participations",
        verbose_name=_("appointment"),
    )
    side = models.CharField(_("side"), max_length=16, choices=Side.choices, default=Side.POLITICAL)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.INVITED)
    is_guest = models.BooleanField(_("guest"), default=False)
    guest_reason = models.TextField(
        _("why a guest is invited"), blank=True, max_length=TEXT_MAX_LENGTH, validators=text_validators(TEXT_MAX_LENGTH)
    )

    objects = ParticipantQuerySet.as_manager()

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["side", "person__name"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "person"], name="participant_unique_person"),
            models.CheckConstraint(
                condition=Q(is_guest=False) | ~Q(guest_reason=""),
                name="participant_guest_has_reason",
                violation_error_message=_("State why the guest is invited."),
            ),
        ]

    def __str__(self):
        return f"{self.person} ({self.get_side_display()})"

    def holds_seat(self, *, today, meeting_day) -> bool:
        """Still invited on the day a message about the meeting is sent: a guest, or an appointment that
        has not ended by today and still covers the meeting's day."""
        if self.appointment_id is None:
            return self.is_guest
        appointment = self.appointment
        ends = appointment.valid_to
        return appointment.valid_from <= meeting_day and (ends is None or ends > max(today, meeting_day))


class AgendaItem(ScreenedModel):
    class Lane(models.TextChoices):
        PLANNED = "planned", _("Planned process")
        URGENT = "urgent", _("Urgent case")

    class PresenterSide(models.TextChoices):
        REGION = "region", pgettext_lazy("agenda item presenter side", "Region")
        COUNTY = "county", pgettext_lazy("agenda item presenter side", "County")
        JOINT = "joint", pgettext_lazy("agenda item presenter side", "Joint")

    class State(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        ACCEPTED = "accepted", _("On the agenda")
        REJECTED = "rejected", _("Not taken up")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    order = models.PositiveIntegerField(_("order"), default=0)
    lane = models.CharField(_("lane"), max_length=16, choices=Lane.choices, default=Lane.PLANNED)
    state = models.CharField(
        pgettext_lazy("agenda item", "state"), max_length=16, choices=State.choices, default=State.ACCEPTED
    )
    title = models.CharField(_("title"), max_length=255, validators=[single_line])
    description = models.TextField(
        _("description"), blank=True, max_length=TEXT_MAX_LENGTH, validators=text_validators(TEXT_MAX_LENGTH)
    )
    case = models.ForeignKey(
        "cases.Case",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="agenda_items",
        verbose_name=_("case"),
    )
    presenter_side = models.CharField(
        _("presented by"), max_length=16, choices=PresenterSide.choices, default=PresenterSide.COUNTY
    )
    council_area = models.ForeignKey(
        "regions.CouncilArea",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="agenda_items",
        verbose_name=_("council area"),
    )
    minutes_allotted = models.PositiveSmallIntegerField(
        _("minutes allotted"), null=True, blank=True, validators=[MaxValueValidator(600)]
    )
    late_reason = models.TextField(
        _("why after the cut-off"), blank=True, max_length=TEXT_MAX_LENGTH, validators=text_validators(TEXT_MAX_LENGTH)
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("proposed by"),
    )
    # The role the person acted in then (regions.selectors.role_acted_in), kept when the appointment ends.
    proposed_by_role = models.CharField(_("acted as"), max_length=32, blank=True, validators=[single_line])
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["meeting", "order", "pk"]
        constraints = ScreenedModel.Meta.constraints

    def __str__(self):
        return self.title

    @property
    def proposed_by_role_display(self):
        """The recorded role in the reader's language."""
        return role_acted_in_label(self.proposed_by_role)

    @property
    def is_late(self):
        return self.created_at >= self.meeting.cutoff_at


class MinutesEntry(ScreenedModel):
    """The minutes for one agenda item."""

    class Outcome(models.TextChoices):
        DECISION = "decision", _("Decision")
        DISCUSSED = "discussed", _("Discussed")
        INFORMATION = "information", _("For information")

    agenda_item = models.OneToOneField(AgendaItem, on_delete=models.CASCADE, related_name="minutes")
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices, default=Outcome.DISCUSSED)
    text = models.TextField(
        _("minutes"), blank=True, max_length=TEXT_MAX_LENGTH, validators=text_validators(TEXT_MAX_LENGTH)
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("minutes entry")
        verbose_name_plural = _("minutes")
        constraints = ScreenedModel.Meta.constraints

    def __str__(self):
        return f"{self.agenda_item}: {self.get_outcome_display()}"


class ReferenceGroupInput(models.Model):
    """The reference group is not a decision body: its input is attached to the case the decision body handles."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="reference_inputs", verbose_name=_("meeting")
    )
    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="reference_group_inputs", verbose_name=_("case")
    )
    agenda_item = models.ForeignKey(
        AgendaItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="reference_inputs"
    )
    text = models.TextField(_("input"), max_length=TEXT_MAX_LENGTH, validators=text_validators(TEXT_MAX_LENGTH))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("reference-group input")
        verbose_name_plural = _("reference-group input")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.meeting} → {self.case}"


def _new_token():
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """A secret, revocable subscription link: the user's own meetings, or one region's meetings."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feeds", verbose_name=_("owner")
    )
    region = models.ForeignKey(
        "regions.Region",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="calendar_feeds",
        verbose_name=_("region"),
    )
    token = models.CharField(max_length=64, unique=True, default=_new_token, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.owner} – {self.region or _('my meetings')}"

    def get_absolute_url(self):
        return reverse("meetings:feed", kwargs={"token": self.token})


class MeetingMessage(Message):
    """The reminder log: the outbox rows of kind "meetings.*" (read-only in the admin)."""

    class Meta:
        proxy = True
        verbose_name = _("meeting reminder")
        verbose_name_plural = _("reminder log")
