"""Turn the meetings' outbox messages into e-mail (with an .ics) and an in-app notification, at send time.

A renderer returns None when its message no longer applies: the meeting is gone or cancelled, or it
now starts at another time than the one the message was planned for (the move planned new ones).
The outbox then marks the message cancelled instead of sending it.
"""

from datetime import datetime

from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from notifications.registry import Attachment, Rendered, batch_cache, register, register_prepare
from regions.models import Appointment
from regions.selectors import REGION_SIDE_ROLES

from .ical import calendar_bytes, organiser_address
from .models import AgendaItem, Meeting, MinutesEntry, Participant
from .permissions import can_manage_meetings

# The message kinds this app plans (meetings.services) and renders here: one constant each.
REMINDER = "meetings.reminder"
INVITATION = "meetings.invitation"
CUTOFF = "meetings.cutoff"
MINUTES = "meetings.minutes"
CANCELLATION = "meetings.cancellation"


def _meeting_id(message):
    try:
        return int((message.payload or {})["meeting_id"])
    except (KeyError, ValueError, TypeError):
        return None


def _load(message, *, cancelled=False):
    """The meeting if the message still applies to it, else None (one query per meeting and sweep batch)."""
    pk = _meeting_id(message)
    try:
        planned = datetime.fromisoformat((message.payload or {})["planned_start"])
    except (KeyError, ValueError, TypeError):
        return None
    if pk is None:
        return None
    cache = batch_cache()
    if ("meeting", pk) not in cache:
        _load_meetings(cache, [pk])
    meeting = cache[("meeting", pk)]
    if meeting is None:
        return None
    if meeting.start != planned:
        return None
    if (meeting.status == Meeting.Status.CANCELLED) != cancelled:
        return None
    return meeting


def _load_meetings(cache, ids):
    found = Meeting.objects.select_related("region", "organiser").in_bulk(ids)
    for pk in ids:
        cache[("meeting", pk)] = found.get(pk)


def _load_invited(cache, ids):
    """Who is still invited to each meeting, by person id: not declined, and still holding the seat they
    were invited for (a guest, or an appointment that has not ended and covers the meeting's day)."""
    invited = {pk: set() for pk in ids}
    today = timezone.localdate()
    rows = (
        Participant.objects.filter(meeting_id__in=ids, person__isnull=False)
        .exclude(status=Participant.Status.DECLINED)
        .entitled(today)
        .select_related("appointment", "meeting")
        .only("meeting_id", "person_id", "is_guest", "appointment", "meeting__start")
    )
    for row in rows:
        if row.holds_seat(today=today, meeting_day=timezone.localdate(row.meeting.start)):
            invited[row.meeting_id].add(row.person_id)
    for pk, people in invited.items():
        cache[("invited", pk)] = people


def _still_leads(message, meeting):
    """The cut-off notice is for those who act for the region (leader, secretariat): the person must do so
    today and on the meeting's day."""
    person_id = (message.payload or {}).get("person_id")
    if person_id is None or meeting.region_id is None:
        return False
    today, day = timezone.localdate(), timezone.localdate(meeting.start)
    cache = batch_cache()
    key = ("leaders", meeting.region_id, today, day)
    if key not in cache:  # once per region and meeting day in a sweep batch
        cache[key] = set(
            Appointment.objects.valid_on(today)
            .valid_on(day)
            .filter(region_id=meeting.region_id, role__in=REGION_SIDE_ROLES)
            .values_list("person_id", flat=True)
        )
    return person_id in cache[key]


def _prepare(messages):
    """Load every meeting a sweep batch's messages refer to, and who is still invited to them, in
    two queries for the whole batch instead of two per meeting."""
    cache = batch_cache()
    ids = {pk for pk in map(_meeting_id, messages) if pk is not None}
    missing = [pk for pk in ids if ("meeting", pk) not in cache]
    if not missing:
        return
    _load_meetings(cache, missing)
    if any("person_id" in (message.payload or {}) for message in messages):
        _load_invited(cache, missing)


for _kind in (REMINDER, INVITATION, CUTOFF, MINUTES, CANCELLATION):
    register_prepare(_kind)(_prepare)


def _still_invited(message, meeting):
    payload = message.payload or {}
    if payload.get("organiser"):
        # The organiser's own copy: only while they organise it and are in the coordination unit.
        return (
            message.recipient is not None
            and meeting.organiser_id == message.recipient_id
            and can_manage_meetings(message.recipient)
        )
    person_id = payload.get("person_id")
    if person_id is None:
        return True
    cache = batch_cache()
    if ("invited", meeting.pk) not in cache:
        _load_invited(cache, [meeting.pk])
    return person_id in cache[("invited", meeting.pk)]


def _when(meeting):
    start = timezone.localtime(meeting.start)
    end = timezone.localtime(meeting.end)
    return formats.date_format(start, "DATETIME_FORMAT") + "–" + formats.time_format(end, "TIME_FORMAT")


def _details(meeting):
    """When, where and video link; formatted once per meeting, language and sweep batch."""
    cache = batch_cache()
    key = ("details", meeting.pk, meeting.start, meeting.end, translation.get_language())
    if key not in cache:
        cache[key] = _format_details(meeting)
    return cache[key]


def _format_details(meeting):
    lines = [_("When: %(when)s") % {"when": _when(meeting)}]
    if meeting.location:
        lines.append(_("Where: %(location)s") % {"location": meeting.location})
    if meeting.video_link:
        lines.append(_("Video: %(link)s") % {"link": meeting.video_link})
    return "\n".join(lines)


_ICS_CACHE = {}


def _ics(meeting, message, method):
    """The .ics attachment. A REQUEST/CANCEL names the attendee; a reminder (PUBLISH) is the same for
    everyone, so it is built once per meeting version and reused across a sweep (small bounded cache)."""
    if method != "PUBLISH":
        content = calendar_bytes([meeting], method=method, attendee_email=message.email)
    else:
        key = (meeting.pk, meeting.sequence, meeting.updated_at, meeting.start)
        content = _ICS_CACHE.get(key)
        if content is None:
            if len(_ICS_CACHE) > 256:
                _ICS_CACHE.clear()
            content = _ICS_CACHE[key] = calendar_bytes([meeting], method=method)
    return Attachment(f"mote-{meeting.pk}.ics", content, "text/calendar")


def _agenda_text(meeting):
    items = AgendaItem.objects.filter(meeting=meeting, state=AgendaItem.State.ACCEPTED).order_by("lane", "order")
    lines = []
    for lane_value, lane_label in AgendaItem.Lane.choices:
        lane_items = [item for item in items if item.lane == lane_value]
        if lane_items:
            lines.append(str(lane_label) + ":")
            lines.extend(f"  {n}. {item.title}" for n, item in enumerate(lane_items, start=1))
    return "\n".join(lines)


@register(REMINDER)
def render_reminder(message):
    meeting = _load(message)
    if meeting is None or not _still_invited(message, meeting):
        return None
    days = (message.payload or {}).get("lead_days", 1)
    # The same for everyone invited: built once per meeting version, lead time, language and sweep batch.
    cache = batch_cache()
    key = ("reminder", meeting.pk, meeting.start, meeting.end, meeting.sequence, days, translation.get_language())
    if key not in cache:
        cache[key] = _reminder(meeting, days, message)
    return cache[key]


def _reminder(meeting, days, message):
    subject = _("Reminder: %(title)s in %(days)s days") % {"title": meeting.title, "days": days}
    if days == 1:
        subject = _("Reminder: %(title)s tomorrow") % {"title": meeting.title}
    body = _details(meeting)
    return Rendered(
        subject=subject,
        body=body,
        url=meeting.get_absolute_url(),
        attachments=[_ics(meeting, message, "PUBLISH")],
        reply_to=organiser_address(meeting)[1],
    )


@register(INVITATION)
def render_invitation(message):
    meeting = _load(message)
    if meeting is None or meeting.status != Meeting.Status.PUBLISHED or not _still_invited(message, meeting):
        return None
    subject = _("Invitation and agenda: %(title)s") % {"title": meeting.title}
    body = _details(meeting)
    if meeting.moved_from:
        body = _("The meeting has been moved.") + "\n" + body
    agenda = _agenda_text(meeting)
    if agenda:
        body += "\n\n" + _("Agenda") + "\n" + agenda
    return Rendered(
        subject=subject,
        body=body,
        url=meeting.get_absolute_url(),
        attachments=[_ics(meeting, message, "REQUEST")],
        reply_to=organiser_address(meeting)[1],
    )


@register(CUTOFF)
def render_cutoff(message):
    meeting = _load(message)
    if meeting is None or meeting.status != Meeting.Status.PLANNED or not _still_leads(message, meeting):
        return None
    cutoff = formats.date_format(timezone.localtime(meeting.cutoff_at), "DATETIME_FORMAT")
    subject = _("Agenda cut-off %(cutoff)s: %(title)s") % {"cutoff": cutoff, "title": meeting.title}
    body = (
        _("Propose agenda items for the meeting before %(cutoff)s. After that only urgent cases with a reason.")
        % {"cutoff": cutoff}
        + "\n\n"
        + _details(meeting)
    )
    return Rendered(subject=subject, body=body, url=meeting.get_absolute_url(), reply_to=organiser_address(meeting)[1])


@register(MINUTES)
def render_minutes_due(message):
    meeting = _load(message)
    if meeting is None or message.recipient is None or not can_manage_meetings(message.recipient):
        return None  # the organiser is no longer in the coordination unit
    items = AgendaItem.objects.filter(meeting=meeting, state=AgendaItem.State.ACCEPTED)
    written = MinutesEntry.objects.filter(agenda_item__in=items).exclude(text="").count()
    if items.exists() and written >= items.count():
        return None
    subject = _("Minutes due: %(title)s") % {"title": meeting.title}
    body = _("The minutes of the meeting have not been written yet.") + "\n\n" + _details(meeting)
    return Rendered(subject=subject, body=body, url=meeting.get_absolute_url())


@register(CANCELLATION)
def render_cancellation(message):
    meeting = _load(message, cancelled=True)
    if meeting is None or not _still_invited(message, meeting):
        return None
    subject = _("Cancelled: %(title)s") % {"title": meeting.title}
    body = _("The meeting has been cancelled.") + "\n\n" + _details(meeting)
    if meeting.cancel_reason:
        body += "\n\n" + _("Reason: %(reason)s") % {"reason": meeting.cancel_reason}
    return Rendered(
        subject=subject,
        body=body,
        url=meeting.get_absolute_url(),
        attachments=[_ics(meeting, message, "CANCEL")],
        reply_to=organiser_address(meeting)[1],
    )
