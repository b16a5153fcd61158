"""Every write about meetings: series and their generation, moving and cancelling, participants,
agenda items, minutes, reference-group input and calendar feeds.

Reminders are outbox rows (notifications.Message) planned in the same transaction as their cause,
each with a key unique per (meeting, kind, recipient, lead time, planned start), so planning twice
does nothing and a reminder made for a start the meeting no longer has is never sent.
"""

from datetime import UTC, date, datetime, timedelta

from dateutil.relativedelta import relativedelta
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.permissions import is_adviser
from cases import services as case_services
from cases.models import CaseEvent
from core.screening import screening_apply
from notifications.delivery import FALLBACK_LANGUAGE_KEY
from notifications.models import Message
from notifications.services import message_cancel, message_enqueue
from regions.models import Appointment, Person
from regions.selectors import REGION_SIDE_ROLES, region_message_language, role_acted_in

from .hooks import minutes_approved_listeners
from .models import (
    OSLO,
    AgendaItem,
    CalendarFeed,
    Meeting,
    MeetingKind,
    MeetingSeries,
    MinutesEntry,
    Participant,
    ReferenceGroupInput,
    parse_rrule,
)
from .permissions import can_act_for_meeting_region, can_follow_region_meetings, can_manage_meetings
from .renderers import CANCELLATION, CUTOFF, INVITATION, MINUTES, REMINDER

GENERATE_MONTHS = 12
CUTOFF_NOTICE_DAYS = 3  # the cut-off reminder goes to region leaders this many days before the cut-off
MINUTES_DUE_DAYS = 2  # the organiser is reminded to write the minutes this many days after the meeting

# Appointments to the region that are invited to its meetings by default, and the side they sit on.
DEFAULT_INVITED_ROLES = {
    Appointment.Role.COUNTY_COUNCILLOR: Participant.Side.COUNTY,
    Appointment.Role.COUNTY_COUNCIL_REPRESENTATIVE: Participant.Side.COUNTY,
    Appointment.Role.REGION_COUNCIL_LEADER: Participant.Side.POLITICAL,
}
SIDE_FOR_ROLE = {
    **DEFAULT_INVITED_ROLES,
    Appointment.Role.ADMINISTRATIVE_PARTICIPANT: Participant.Side.ADMINISTRATIVE,
    Appointment.Role.REGION_SECRETARIAT: Participant.Side.ADMINISTRATIVE,
    Appointment.Role.REGIONAL_COORDINATOR: Participant.Side.ADMINISTRATIVE,
}


def _require_adviser(actor):
    """The coordination unit's steps (permissions.can_manage_meetings); PermissionDenied for anyone else."""
    if not can_manage_meetings(actor):
        raise PermissionDenied


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


def _bump(meeting, *fields):
    """Save the given fields and raise the calendar SEQUENCE (every change a subscriber should see)."""
    meeting.sequence = F("sequence") + 1
    meeting.save(update_fields=[*fields, "sequence", "updated_at"])
    meeting.refresh_from_db(fields=["sequence", "updated_at"])


# --- Outbox planning --------------------------------------------------------------------------


def message_key(meeting, kind, who, planned_start, lead="") -> str:
    """The message's key: its kind's short name, as keys were written before the kinds were constants."""
    short = kind.removeprefix("meetings.")
    return f"meetings:{meeting.pk}:{short}:{who}:{lead}:{_iso(planned_start)}"


def _pending_messages(meeting):
    return Message.objects.filter(key__startswith=f"meetings:{meeting.pk}:", state=Message.State.PENDING)


def _person_address(person):
    user = person.user if person.user_id and person.user.is_active else None
    return user, (person.email or (user.email if user else ""))


def _enqueue_for_person(meeting, kind, person, *, due_at, lead="", extra=None):
    user, email = _person_address(person)
    if user is None and not email:
        return None
    payload = {"meeting_id": meeting.pk, "planned_start": _iso(meeting.start), "person_id": person.pk}
    if lead != "":
        payload["lead_days"] = lead
    # A region meeting's invitations and reminders follow the region's language form for people
    # without their own choice (nynorsk for a nynorsk region).
    if language := region_message_language(region=meeting.region if meeting.region_id else None):
        payload[FALLBACK_LANGUAGE_KEY] = language
    payload.update(extra or {})
    return message_enqueue(
        key=message_key(meeting, kind, f"p{person.pk}", meeting.start, lead),
        kind=kind,
        recipient=user,
        email=email,
        payload=payload,
        due_at=due_at,
    )


def _region_leaders(meeting):
    """Those who act for the meeting's region on its day (leader and secretariat): they propose its agenda."""
    if meeting.region_id is None:
        return Person.objects.none()
    day = timezone.localdate(meeting.start)
    return Person.objects.filter(
        pk__in=Appointment.objects.valid_on(day)
        .filter(role__in=REGION_SIDE_ROLES, region_id=meeting.region_id)
        .values("person_id")
    ).select_related("user")


def _organiser_not_invited(meeting, participants) -> bool:
    """The organiser is an active adviser with an address who is not also invited as a participant."""
    organiser = meeting.organiser if meeting.organiser_id else None
    if organiser is None or not organiser.is_active or not organiser.email or not is_adviser(organiser):
        return False
    return all(participant.person.user_id != organiser.pk for participant in participants)


def meeting_plan_messages(*, meeting, now=None) -> int:
    """Plan every reminder that applies to the meeting's current start (idempotent: keys are unique)."""
    now = now or timezone.now()
    if meeting.status in (Meeting.Status.CANCELLED, Meeting.Status.HELD):
        return 0
    planned = 0
    participants = list(
        Participant.objects.filter(meeting=meeting)
        .exclude(status=Participant.Status.DECLINED)
        .select_related("person", "person__user")
    )
    for participant in participants:
        for lead in meeting.lead_days:
            due = meeting.start - timedelta(days=lead)
            if due > now and _enqueue_for_person(meeting, REMINDER, participant.person, due_at=due, lead=lead):
                planned += 1
        if meeting.status == Meeting.Status.PUBLISHED and _enqueue_for_person(
            meeting, INVITATION, participant.person, due_at=now
        ):
            planned += 1
    if meeting.status == Meeting.Status.PLANNED and now < meeting.cutoff_at:
        due = max(meeting.cutoff_at - timedelta(days=CUTOFF_NOTICE_DAYS), now)
        for person in _region_leaders(meeting):
            if _enqueue_for_person(meeting, CUTOFF, person, due_at=due):
                planned += 1
    if meeting.status == Meeting.Status.PUBLISHED and _organiser_not_invited(meeting, participants):
        # The organising adviser gets the invitation too, as its chair, so it stands in their calendar.
        message_enqueue(
            key=message_key(meeting, INVITATION, f"u{meeting.organiser_id}", meeting.start),
            kind=INVITATION,
            recipient=meeting.organiser,
            payload={"meeting_id": meeting.pk, "planned_start": _iso(meeting.start), "organiser": True},
            due_at=now,
        )
        planned += 1
    if meeting.organiser_id and meeting.organiser.is_active:
        message_enqueue(
            key=message_key(meeting, MINUTES, f"u{meeting.organiser_id}", meeting.start),
            kind=MINUTES,
            recipient=meeting.organiser,
            payload={"meeting_id": meeting.pk, "planned_start": _iso(meeting.start)},
            due_at=max(meeting.end + timedelta(days=MINUTES_DUE_DAYS), now),
        )
        planned += 1
    return planned


# --- Series and scheduling --------------------------------------------------------------------


@transaction.atomic
def series_create(
    *,
    actor,
    title: str,
    rrule: str,
    first_date: date,
    start_time,
    duration_minutes: int = 180,
    kind: str = MeetingKind.REGION_COUNCIL,
    region=None,
    body: str = "",
    location: str = "",
    video_link: str = "",
    exception_dates: list | None = None,
    agenda_cutoff_days: int = 7,
    reminder_lead_days: str = "7,1",
) -> MeetingSeries:
    """Create a meeting series after validating its recurrence rule (generate its meetings separately)."""
    _require_adviser(actor)
    series = MeetingSeries(
        title=title,
        kind=kind,
        region=region,
        body=body,
        rrule=rrule.strip().removeprefix("RRULE:"),
        first_date=first_date,
        start_time=start_time,
        duration_minutes=duration_minutes,
        location=location,
        video_link=video_link,
        exception_dates=[str(d) for d in (exception_dates or [])],
        agenda_cutoff_days=agenda_cutoff_days,
        reminder_lead_days=reminder_lead_days,
        created_by=actor,
    )
    series.full_clean()
    series.save()
    return series


def series_occurrences(*, series, start: date, end: date) -> list[datetime]:
    """The series' meeting starts from start to end (dates, inclusive/exclusive), as aware Oslo datetimes.

    The rule runs on naive local wall-clock time and each result gets the Oslo zone afterwards, so a
    09:00 meeting is 09:00 in both winter (UTC+1) and summer (UTC+2)."""
    rule = parse_rrule(series.rrule, datetime.combine(series.first_date, series.start_time))
    skip = {str(d) for d in series.exception_dates or []}
    window_start = datetime.combine(max(start, series.first_date), datetime.min.time())
    window_end = datetime.combine(end, datetime.min.time())
    starts = []
    for local in rule.between(window_start, window_end, inc=True):
        if local >= window_end or local.date().isoformat() in skip:
            continue
        starts.append(local.replace(tzinfo=OSLO))
        if len(starts) > 400:  # a daily rule for a year at most
            break
    return starts


def series_generate(*, series, actor=None, now=None, months: int = GENERATE_MONTHS) -> list[Meeting]:
    """Create the series' missing meetings for the next `months` months; running it again creates none.
    `actor` is the adviser who asks for it; None only for the nightly task (meetings.tasks), which
    acts for no one.

    A meeting that was moved or cancelled keeps its series date, so it is not generated again."""
    if actor is not None:
        _require_adviser(actor)
    now = now or timezone.now()
    today = timezone.localdate(now)
    created = []
    if not series.is_active:
        return created
    for start in series_occurrences(series=series, start=today, end=today + relativedelta(months=months)):
        if start < now:
            continue
        occurrence = start.date()
        if Meeting.objects.filter(series=series, series_occurrence=occurrence).exists():
            continue
        try:
            with transaction.atomic():
                meeting = _meeting_create(
                    series=series,
                    series_occurrence=occurrence,
                    kind=series.kind,
                    region=series.region,
                    body=series.body,
                    title=series.title,
                    start=start,
                    end=start + series.duration,
                    location=series.location,
                    video_link=series.video_link,
                    agenda_cutoff_days=series.agenda_cutoff_days,
                    reminder_lead_days=series.reminder_lead_days,
                    organiser=series.created_by if series.created_by and is_adviser(series.created_by) else None,
                    now=now,
                )
        except IntegrityError:  # another worker generated the same date first
            continue
        created.append(meeting)
    return created


def _invite_defaults(meeting):
    if meeting.region_id is None:
        return
    day = timezone.localdate(meeting.start)
    appointments = (
        Appointment.objects.valid_on(day)
        .filter(region_id=meeting.region_id, role__in=list(DEFAULT_INVITED_ROLES))
        .select_related("person")
        .order_by("pk")
    )
    seen = set()
    rows = []
    for appointment in appointments:
        if appointment.person_id in seen:
            continue
        seen.add(appointment.person_id)
        rows.append(
            Participant(
                meeting=meeting,
                person_id=appointment.person_id,
                appointment=appointment,
                side=DEFAULT_INVITED_ROLES[appointment.role],
            )
        )
    Participant.objects.bulk_create(rows, ignore_conflicts=True)


def _meeting_create(*, now, **fields) -> Meeting:
    meeting = Meeting(**fields)
    meeting.full_clean()
    meeting.save()
    _invite_defaults(meeting)
    meeting_plan_messages(meeting=meeting, now=now)
    return meeting


@transaction.atomic
def meeting_create(
    *,
    actor,
    title: str,
    start: datetime,
    end: datetime,
    kind: str = MeetingKind.REGION_COUNCIL,
    region=None,
    body: str = "",
    location: str = "",
    video_link: str = "",
    agenda_cutoff_days: int = 7,
    reminder_lead_days: str = "7,1",
    now=None,
) -> Meeting:
    """A one-off meeting; the region's councillor, county representatives and leader are invited."""
    _require_adviser(actor)
    return _meeting_create(
        title=title,
        start=start,
        end=end,
        kind=kind,
        region=region,
        body=body,
        location=location,
        video_link=video_link,
        agenda_cutoff_days=agenda_cutoff_days,
        reminder_lead_days=reminder_lead_days,
        organiser=actor,
        now=now or timezone.now(),
    )


def _lock(meeting) -> Meeting:
    return Meeting.objects.select_for_update(of=("self",)).select_related("region").get(pk=meeting.pk)


@transaction.atomic
def meeting_update(*, meeting, actor, title: str, location: str = "", video_link: str = "") -> Meeting:
    """Change what the meeting is called and where it is (raises the calendar SEQUENCE)."""
    _require_adviser(actor)
    locked = _lock(meeting)
    locked.title, locked.location, locked.video_link = title, location, video_link
    locked.full_clean()
    _bump(locked, "title", "location", "video_link")
    return locked


@transaction.atomic
def meeting_move(*, meeting, actor, start: datetime, end: datetime, now=None) -> Meeting:
    """Move one meeting: its pending reminders are cancelled and new ones planned for the new start."""
    _require_adviser(actor)
    now = now or timezone.now()
    locked = _lock(meeting)
    if locked.status in (Meeting.Status.CANCELLED, Meeting.Status.HELD):
        raise ValidationError(_("A cancelled or held meeting cannot be moved."))
    if start == locked.start and end == locked.end:
        return locked
    old_start = locked.start
    locked.start, locked.end = start, end
    locked.full_clean()
    locked.moved_from = locked.moved_from or old_start
    _bump(locked, "start", "end", "moved_from")
    message_cancel(queryset=_pending_messages(locked))
    meeting_plan_messages(meeting=locked, now=now)
    return locked


@transaction.atomic
def meeting_cancel(*, meeting, actor, reason: str = "", now=None) -> Meeting:
    """Cancel one meeting: pending reminders are dropped and every participant gets a cancellation."""
    _require_adviser(actor)
    now = now or timezone.now()
    locked = _lock(meeting)
    if locked.status == Meeting.Status.CANCELLED:
        return locked
    if locked.status == Meeting.Status.HELD:
        raise ValidationError(_("A meeting that has been held cannot be cancelled."))
    was_published = locked.status == Meeting.Status.PUBLISHED
    locked.status = Meeting.Status.CANCELLED
    locked.cancel_reason = reason
    _bump(locked, "status", "cancel_reason")
    message_cancel(queryset=_pending_messages(locked))
    participants = list(Participant.objects.filter(meeting=locked).select_related("person", "person__user"))
    for participant in participants:
        if participant.status != Participant.Status.DECLINED:
            _enqueue_for_person(locked, CANCELLATION, participant.person, due_at=now)
    if was_published and _organiser_not_invited(locked, participants):
        message_enqueue(  # the organiser had the invitation in their calendar: it is cancelled there too
            key=message_key(locked, CANCELLATION, f"u{locked.organiser_id}", locked.start),
            kind=CANCELLATION,
            recipient=locked.organiser,
            payload={"meeting_id": locked.pk, "planned_start": _iso(locked.start), "organiser": True},
            due_at=now,
        )
    return locked


@transaction.atomic
def agenda_publish(*, meeting, actor, now=None) -> Meeting:
    """Publish the agenda: every participant gets an invitation with the agenda and an .ics."""
    _require_adviser(actor)
    now = now or timezone.now()
    locked = _lock(meeting)
    if locked.status != Meeting.Status.PLANNED:
        raise ValidationError(_("Only a planned meeting can have its agenda published."))
    if not AgendaItem.objects.filter(meeting=locked, state=AgendaItem.State.ACCEPTED).exists():
        raise ValidationError(_("The agenda has no items yet."))
    locked.status = Meeting.Status.PUBLISHED
    locked.agenda_published_at = now
    _bump(locked, "status", "agenda_published_at")
    meeting_plan_messages(meeting=locked, now=now)
    return locked


@transaction.atomic
def meeting_mark_held(*, meeting, actor) -> Meeting:
    """Record that the meeting took place (minutes can then be written): its pending reminders are
    dropped, and minutes already written on a case's item reach the case."""
    _require_adviser(actor)
    locked = _lock(meeting)
    if locked.status == Meeting.Status.CANCELLED:
        raise ValidationError(_("A cancelled meeting cannot be marked as held."))
    locked.status = Meeting.Status.HELD
    _bump(locked, "status")
    # A held meeting needs no more reminders, invitations or cut-off notices; the minutes reminder stays.
    message_cancel(queryset=_pending_messages(locked).exclude(kind=MINUTES))
    # Minutes written before the meeting was marked held reach their cases now.
    entries = MinutesEntry.objects.filter(agenda_item__meeting=locked, agenda_item__case__isnull=False)
    for entry in entries.select_related("agenda_item__case").order_by("agenda_item__order", "pk"):
        _outcome_to_case(entry, meeting=locked, actor=actor)
    return locked


# --- Participants -----------------------------------------------------------------------------


def _related_appointment(meeting, person):
    day = timezone.localdate(meeting.start)
    qs = Appointment.objects.valid_on(day).filter(person=person)
    if meeting.region_id is not None:
        qs = qs.filter(region_id=meeting.region_id)
    return qs.order_by("pk").first()


@transaction.atomic
def participant_add(*, meeting, actor, person, side: str = "", guest_reason: str = "", now=None) -> Participant:
    """Invite a person. Someone without a current appointment to the meeting's region is refused,
    unless the adviser adds them as a guest and says why."""
    _require_adviser(actor)
    now = now or timezone.now()
    locked = _lock(meeting)
    if locked.status in (Meeting.Status.CANCELLED, Meeting.Status.HELD):
        raise ValidationError(_("Participants cannot be added to a cancelled or held meeting."))
    if Participant.objects.filter(meeting=locked, person=person).exists():
        raise ValidationError(_("%(name)s is already invited.") % {"name": person.name})
    appointment = _related_appointment(locked, person)
    guest_reason = (guest_reason or "").strip()
    if appointment is None and not guest_reason:
        raise ValidationError(
            _("%(name)s has no current appointment in the region. Add them as a guest and state why.")
            % {"name": person.name}
        )
    default_side = (
        SIDE_FOR_ROLE.get(appointment.role, Participant.Side.ADMINISTRATIVE)
        if appointment
        else Participant.Side.POLITICAL
    )
    participant = Participant(
        meeting=locked,
        person=person,
        appointment=appointment,
        side=side or default_side,
        is_guest=appointment is None,
        guest_reason=guest_reason if appointment is None else "",
    )
    participant.full_clean()
    participant.save()
    meeting_plan_messages(meeting=locked, now=now)
    return participant


@transaction.atomic
def participant_set_status(*, participant, actor, status: str) -> Participant:
    """Record an answer or attendance; a decline drops the person's pending reminders."""
    _require_adviser(actor)
    if status not in Participant.Status.values:
        raise ValidationError(_("Unknown participant status."))
    participant.status = status
    participant.full_clean()
    participant.save(update_fields=["status"])
    if status == Participant.Status.DECLINED:
        message_cancel(queryset=_pending_messages(participant.meeting).filter(payload__person_id=participant.person_id))
    return participant


def _covers(appointment, day) -> bool:
    return appointment.valid_from <= day and (appointment.valid_to is None or appointment.valid_to > day)


def _seat_for(person, meeting, day, *, excluding):
    """Another appointment of the person that gives a seat at the meeting on its day, if any."""
    roles = list(SIDE_FOR_ROLE) if meeting.region_id is not None else None
    qs = Appointment.objects.valid_on(day).filter(person=person).exclude(pk=excluding.pk)
    if meeting.region_id is not None:
        qs = qs.filter(region_id=meeting.region_id, role__in=roles)
    return qs.order_by("pk").first()


def participants_follow_appointment(*, appointment, now=None) -> dict:
    """Upcoming meetings follow an appointment that started, changed or ended (called by the registry's
    services in their transaction, through regions.hooks).

    A person whose appointment no longer covers a meeting's day is taken off that meeting (unless
    another current appointment gives them a seat) and their pending reminders, invitations and
    cut-off notices for it are cancelled; a person whose new appointment covers it is invited as the
    region's defaults are, and their messages are planned. Meetings already held or cancelled keep
    their participant lists: history is not rewritten."""
    now = now or timezone.now()
    upcoming = Meeting.objects.filter(
        start__gte=now, status__in=[Meeting.Status.PLANNED, Meeting.Status.PUBLISHED]
    ).select_related("region")
    removed = added = 0
    person = appointment.person
    for participant in Participant.objects.filter(appointment=appointment, meeting__in=upcoming).select_related(
        "meeting"
    ):
        meeting = participant.meeting
        day = timezone.localdate(meeting.start)
        if _covers(appointment, day):
            continue
        other = _seat_for(person, meeting, day, excluding=appointment)
        if other is not None:
            participant.appointment = other
            participant.save(update_fields=["appointment"])
            continue
        participant.delete()
        message_cancel(queryset=_pending_messages(meeting).filter(payload__person_id=person.pk))
        removed += 1
    if appointment.role in REGION_SIDE_ROLES and appointment.region_id:
        for meeting in upcoming.filter(region_id=appointment.region_id):
            if not _covers(appointment, timezone.localdate(meeting.start)):
                message_cancel(queryset=_pending_messages(meeting).filter(kind=CUTOFF, payload__person_id=person.pk))
    if appointment.region_id and appointment.role in DEFAULT_INVITED_ROLES:
        for meeting in upcoming.filter(region_id=appointment.region_id):
            if not _covers(appointment, timezone.localdate(meeting.start)):
                continue
            _participant, created = Participant.objects.get_or_create(
                meeting=meeting,
                person=person,
                defaults={"appointment": appointment, "side": DEFAULT_INVITED_ROLES[appointment.role]},
            )
            added += int(created)
            meeting_plan_messages(meeting=meeting, now=now)
    return {"removed": removed, "added": added}


# --- Agenda -----------------------------------------------------------------------------------


def _agenda_item_create(
    *,
    meeting,
    actor,
    title,
    lane,
    case,
    description,
    reason,
    now,
    presenter_side=None,
    council_area=None,
    minutes_allotted=None,
) -> AgendaItem:
    now = now or timezone.now()
    locked = _lock(meeting)
    adviser = is_adviser(actor)
    if not can_act_for_meeting_region(actor, locked, now=now):
        raise PermissionDenied
    if locked.status not in (Meeting.Status.PLANNED, Meeting.Status.PUBLISHED):
        raise ValidationError(_("Items can only be added to a meeting that has not yet been held or cancelled."))
    if lane not in AgendaItem.Lane.values:
        raise ValidationError({"lane": _("Choose planned process or urgent case.")})
    reason = (reason or "").strip()
    if now >= locked.cutoff_at:
        if not adviser:
            raise ValidationError(_("The agenda cut-off has passed. Contact the coordination unit about urgent cases."))
        if lane != AgendaItem.Lane.URGENT:
            raise ValidationError({"lane": _("After the agenda cut-off only urgent cases can be added.")})
        if not reason:
            raise ValidationError({"reason": _("An urgent case added after the cut-off must state why.")})
    order = (AgendaItem.objects.filter(meeting=locked).aggregate(top=Max("order"))["top"] or 0) + 10
    item = AgendaItem(
        meeting=locked,
        order=order,
        lane=lane,
        state=AgendaItem.State.ACCEPTED if adviser else AgendaItem.State.PROPOSED,
        title=title,
        description=description or "",
        case=case,
        late_reason=reason,
        proposed_by=actor,
        proposed_by_role=role_acted_in(user=actor, region_ids=[locked.region_id]) if actor else "",
        created_at=now,
        council_area=council_area,
        minutes_allotted=minutes_allotted,
    )
    if presenter_side:
        item.presenter_side = presenter_side
    elif not adviser or (case is not None and case.is_from_region):
        # A region's own case is presented by the region, whoever puts it on the agenda.
        item.presenter_side = AgendaItem.PresenterSide.REGION
    item.full_clean()
    item.save()
    if case is not None:
        # One door: from the case page or the agenda builder, the case's trail records it.
        case_services.case_agenda_recorded(case=case, actor=actor, meeting=locked, now=now)
    return item


@transaction.atomic
def case_agenda_add(*, case, actor, meeting, lane: str, reason: str = "", now=None) -> AgendaItem:
    """Put a case on an upcoming meeting of its region, from the case page: whoever may schedule the
    case (cases.permissions: an adviser or the region's leader, while the case is open)."""
    case_services.case_check_schedulable(case=case, actor=actor)
    if meeting.region_id != case.origin_region_id:
        raise ValidationError({"meeting": _("Choose a meeting of the case's region.")})
    return agenda_item_add(
        meeting=meeting,
        actor=actor,
        title=case.title,  # the agenda shows the case's reference beside it
        lane=lane,
        case=case,
        description=case.description,
        reason=reason,
        now=now,
    )


@transaction.atomic
def agenda_item_add(*, meeting, actor, title, lane, case=None, description="", reason="", now=None) -> AgendaItem:
    """Put an item (optionally a case) on the agenda. Advisers add it directly; a region leader proposes
    it for their region's meeting before the cut-off. After the cut-off only urgent items with a reason."""
    return _agenda_item_create(
        meeting=meeting,
        actor=actor,
        title=title,
        lane=lane,
        case=case,
        description=description,
        reason=reason,
        now=now,
    )


@transaction.atomic
def agenda_item_add_detailed(
    *,
    meeting,
    actor,
    title,
    lane,
    case=None,
    description="",
    reason="",
    presenter_side="",
    council_area=None,
    minutes_allotted=None,
    now=None,
) -> AgendaItem:
    """agenda_item_add() with the agenda builder's extra fields."""
    return _agenda_item_create(
        meeting=meeting,
        actor=actor,
        title=title,
        lane=lane,
        case=case,
        description=description,
        reason=reason,
        now=now,
        presenter_side=presenter_side,
        council_area=council_area,
        minutes_allotted=minutes_allotted,
    )


@transaction.atomic
def agenda_item_set_state(*, item, actor, state: str) -> AgendaItem:
    """Accept a leader's proposal onto the agenda, or decline it."""
    _require_adviser(actor)
    if state not in AgendaItem.State.values:
        raise ValidationError(_("Unknown agenda item state."))
    item.state = state
    item.save(update_fields=["state"])
    return item


@transaction.atomic
def agenda_item_move(*, item, actor, direction: str) -> AgendaItem:
    """Move an item one place up or down within its lane."""
    _require_adviser(actor)
    siblings = list(
        AgendaItem.objects.select_for_update()
        .filter(meeting_id=item.meeting_id, lane=item.lane)
        .order_by("order", "pk")
    )
    index = next(i for i, s in enumerate(siblings) if s.pk == item.pk)
    target = index - 1 if direction == "up" else index + 1
    if 0 <= target < len(siblings):
        siblings[index], siblings[target] = siblings[target], siblings[index]
    for position, sibling in enumerate(siblings, start=1):
        if sibling.order != position * 10:
            sibling.order = position * 10
            sibling.save(update_fields=["order"])
    item.refresh_from_db(fields=["order"])
    return item


def _outcome_to_case(entry, *, meeting, actor, now=None):
    """What a held meeting recorded on a case's agenda item reaches the case's timeline (issue 16,
    item 4), in the caller's transaction: a decision, or minutes with text. Saving the same minutes
    again adds nothing (cases.services.case_meeting_step_record)."""
    item = entry.agenda_item
    if item.case_id is None or meeting.status != Meeting.Status.HELD:
        return None
    if entry.outcome != MinutesEntry.Outcome.DECISION and not entry.text.strip():
        return None
    return case_services.case_meeting_step_record(
        case=item.case,
        actor=actor,
        action=CaseEvent.Action.MEETING_OUTCOME,
        key=f"meetings.minutes.{item.pk}",
        detail={"meeting": meeting.pk, "meeting_label": str(meeting), "agenda_item": item.pk, "outcome": entry.outcome},
        text=entry.text.strip(),
        now=now,
    )


@transaction.atomic
def minutes_save(*, item, actor, outcome: str, text: str, now=None) -> MinutesEntry:
    """Write or change the minutes for one agenda item; in a held meeting, an outcome on a case's
    item is recorded on the case's timeline in the same transaction."""
    _require_adviser(actor)
    meeting = Meeting.objects.get(pk=item.meeting_id)  # its status now, not as the item was read
    if meeting.status == Meeting.Status.CANCELLED:
        raise ValidationError(_("A cancelled meeting has no minutes."))
    entry, _created = MinutesEntry.objects.get_or_create(agenda_item=item, defaults={"outcome": outcome})
    entry.outcome, entry.text, entry.updated_by = outcome, text, actor
    entry.full_clean()
    entry.save()
    _outcome_to_case(entry, meeting=meeting, actor=actor, now=now)
    return entry


CASE_MOVES = ("answer", "answer_close", "close")


@transaction.atomic
def minutes_case_move(*, item, actor, move: str, now=None):
    """Move the case on with a held meeting's decision on its agenda item, through the case's own
    steps (cases.workflow): "answer" sends the decision as the answer to the sender (the case must
    have all its answers in), "answer_close" does that and closes the case, "close" closes a case whose
    answer is sent, with the decision in the closing note. A step the case's status does not allow is
    refused with its message and changes nothing. The coordination unit only."""
    _require_adviser(actor)
    if move not in CASE_MOVES:
        raise ValidationError(_("Choose what to do with the case."))
    item = AgendaItem.objects.select_related("meeting", "case").get(pk=item.pk)
    if item.case is None:
        raise ValidationError(_("This agenda item has no case."))
    if item.meeting.status != Meeting.Status.HELD:
        raise ValidationError(_("The case can be moved on once the meeting is held."))
    entry = MinutesEntry.objects.filter(agenda_item=item).first()
    if entry is None or entry.outcome != MinutesEntry.Outcome.DECISION or not entry.text.strip():
        raise ValidationError(_("Record the decision in the minutes first: the outcome decision, with its text."))
    decision = entry.text.strip()
    case = item.case
    if move in ("answer", "answer_close"):
        case = case_services.case_send_answer(case=case, actor=actor, answer=decision, now=now)
    if move in ("answer_close", "close"):
        note = _("Closed with the decision of %(meeting)s.") % {"meeting": item.meeting}
        if move == "close":
            note = f"{note}\n{decision}"
        case = case_services.case_close(case=case, actor=actor, comment=note, now=now)
    return case


@transaction.atomic
def reference_input_add(*, meeting, actor, case, text: str, agenda_item=None) -> ReferenceGroupInput:
    """Attach the reference group's input to the case the decision body handles; the case's timeline
    records it in the same transaction."""
    _require_adviser(actor)
    if meeting.kind != MeetingKind.REFERENCE_GROUP:
        raise ValidationError(_("Only a reference group meeting gives reference-group input."))
    entry = ReferenceGroupInput(meeting=meeting, case=case, text=text, agenda_item=agenda_item, created_by=actor)
    entry.full_clean()
    entry.save()
    # The case's timeline shows the advice beside the decisions (seed 002: it advises, it does not decide).
    case_services.case_meeting_step_record(
        case=case,
        actor=actor,
        action=CaseEvent.Action.REFERENCE_GROUP_INPUT,
        key=f"meetings.reference.{entry.pk}",
        detail={"meeting": meeting.pk, "meeting_label": str(meeting)},
        text=entry.text.strip(),
    )
    return entry


# --- Calendar feeds ---------------------------------------------------------------------------


@transaction.atomic
def feed_get_or_create(*, actor, region=None) -> CalendarFeed:
    """The actor's own active subscription link (for one region they may follow, or their meetings)."""
    if region is not None and not can_follow_region_meetings(actor, region):
        raise PermissionDenied
    feed = CalendarFeed.objects.filter(owner=actor, region=region, revoked_at__isnull=True).first()
    return feed or CalendarFeed.objects.create(owner=actor, region=region)


@transaction.atomic
def feed_revoke(*, feed, actor, now=None) -> CalendarFeed:
    """Revoke a link (it answers 404 from now on) and issue a new one in its place."""
    if feed.owner_id != actor.pk and not is_adviser(actor):
        raise PermissionDenied
    CalendarFeed.objects.filter(pk=feed.pk).update(revoked_at=now or timezone.now())
    return CalendarFeed.objects.create(owner=feed.owner, region=feed.region)


# --- screening and approval of the minutes (offentleglova) ----------------------------------------


@transaction.atomic
def agenda_item_screening_set(
    *,
    item,
    actor,
    access: str,
    legal_basis: str = "",
    legal_basis_text: str = "",
    title_screened: bool = False,
    screened_title: str = "",
    now=None,
) -> AgendaItem:
    """Set what the public may see of an agenda item (not set: it follows its case, or is public once
    the agenda is published): the coordination unit only."""
    _require_adviser(actor)
    item = AgendaItem.objects.select_for_update().get(pk=item.pk)
    screening_apply(
        item,
        now=now or timezone.now(),
        access=access,
        legal_basis=legal_basis,
        legal_basis_text=legal_basis_text,
        title_screened=title_screened,
        screened_title=screened_title,
    )
    return item


@transaction.atomic
def minutes_screening_set(
    *,
    item,
    actor,
    access: str,
    legal_basis: str = "",
    legal_basis_text: str = "",
    title_screened: bool = False,
    screened_title: str = "",
    now=None,
) -> MinutesEntry:
    """Set what the public may see of an agenda item's minutes (not set: public once the minutes are
    approved, if the item is): the coordination unit only, once the minutes are written."""
    _require_adviser(actor)
    entry = MinutesEntry.objects.select_for_update().filter(agenda_item=item).first()
    if entry is None:
        raise ValidationError(_("Write the minutes for this item first."))
    screening_apply(
        entry,
        now=now or timezone.now(),
        access=access,
        legal_basis=legal_basis,
        legal_basis_text=legal_basis_text,
        title_screened=title_screened,
        screened_title=screened_title,
    )
    return entry


@transaction.atomic
def minutes_approve(*, meeting, actor, now=None) -> Meeting:
    """Record that the minutes of a held meeting are approved: from then on they are public, except
    the entries that are exempt (meetings.selectors.public_minutes)."""
    _require_adviser(actor)
    locked = _lock(meeting)
    if locked.status != Meeting.Status.HELD:
        raise ValidationError(_("Only the minutes of a held meeting can be approved."))
    if locked.minutes_approved_at is not None:
        raise ValidationError(_("The minutes are already approved."))
    if not MinutesEntry.objects.filter(agenda_item__meeting=locked).exists():
        raise ValidationError(_("The meeting has no minutes yet."))
    locked.minutes_approved_at = now or timezone.now()
    locked.save(update_fields=["minutes_approved_at", "updated_at"])
    minutes_approved_listeners.notify(meeting=locked, now=locked.minutes_approved_at)  # the archive hand-off
    return locked
