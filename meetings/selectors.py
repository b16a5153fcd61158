"""Reads of meetings, already scoped to what the user may see."""

from collections import defaultdict
from datetime import date, datetime, time, timedelta

from django.db.models import BooleanField, Exists, ExpressionWrapper, F, FilteredRelation, OuterRef, Prefetch, Q, Value
from django.http import Http404
from django.utils import timezone

from accounts.permissions import is_adviser
from cases.models import Case
from cases.selectors import case_list_visible_to, public_cases
from core.screening import Access
from regions.models import Appointment, Person
from regions.selectors import scope_target_ids

from .models import (
    OSLO,
    AgendaItem,
    CalendarFeed,
    Meeting,
    MeetingSeries,
    MinutesEntry,
    Participant,
    ReferenceGroupInput,
)
from .permissions import can_follow_region_meetings, meeting_visibility_filter, participations_of


def meeting_list_visible_to(*, user):
    """Every meeting the user may see, with region and series loaded; for an adviser with a county, the
    meetings of that county's regions (host or partner county today) and those of no region."""
    qs = Meeting.objects.select_related("region", "series", "organiser")
    targets = scope_target_ids(user=user) if is_adviser(user) else None
    if targets is not None:
        qs = qs.filter(Q(region__isnull=True) | Q(region_id__in=targets[0]))
    condition = meeting_visibility_filter(user)
    return qs if condition is None else qs.filter(condition)


def meeting_get_for_user(*, user, pk) -> Meeting:
    """The meeting if the user may see it; Http404 for a missing and a forbidden one alike."""
    try:
        return meeting_list_visible_to(user=user).get(pk=pk)
    except (Meeting.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def _get_or_404(queryset, **lookup):
    try:
        return queryset.get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def _of_visible_meeting(user):
    return meeting_list_visible_to(user=user).values("pk")


def agenda_item_get_for_user(*, user, pk) -> AgendaItem:
    """An agenda item of a meeting the user may see; Http404 for a missing and a hidden one alike."""
    return _get_or_404(AgendaItem.objects.select_related("meeting"), pk=pk, meeting__in=_of_visible_meeting(user))


def participant_get_for_user(*, user, pk) -> Participant:
    """A participant of a meeting the user may see; Http404 otherwise."""
    return _get_or_404(Participant.objects.select_related("meeting"), pk=pk, meeting__in=_of_visible_meeting(user))


def series_get_for_user(*, user, pk) -> MeetingSeries:
    """A series with a meeting the user may see (advisers: every series); Http404 otherwise."""
    return _get_or_404(series_list_visible_to(user=user), pk=pk)


def feed_get_for_user(*, user, pk) -> CalendarFeed:
    """The user's own active subscription link; Http404 for anyone else's, a revoked or a missing one."""
    return _get_or_404(CalendarFeed.objects.all(), pk=pk, owner=user, revoked_at__isnull=True)


def agenda_case_list_for_builder(*, user, meeting):
    """Cases the user may see that can go on this meeting's agenda (not yet on it), newest first."""
    cases = case_list_visible_to(user=user)
    if meeting.region_id:
        cases = cases.filter(origin_region_id=meeting.region_id)
    on_agenda = AgendaItem.objects.filter(meeting=meeting, case__isnull=False).values("case_id")
    return cases.exclude(pk__in=on_agenda).exclude(status__in=[Case.Status.DRAFT, *Case.FINAL_STATUSES]).order_by("-pk")


def agenda_case_get_for_user(*, user, meeting, pk) -> Case:
    """A case the agenda builder offers for the meeting; Http404 for any other (hidden ones included)."""
    return _get_or_404(agenda_case_list_for_builder(user=user, meeting=meeting), pk=pk)


def meeting_list_upcoming_for(*, user, now=None, region=None, kind=None, councillor=None, limit=None):
    """Meetings that have not ended, soonest first, optionally filtered by region, kind and councillor."""
    qs = meeting_list_visible_to(user=user).upcoming(now)
    if region is not None:
        qs = qs.filter(region=region)
    if kind:
        qs = qs.filter(kind=kind)
    if councillor is not None:
        qs = qs.filter(pk__in=Participant.objects.filter(person=councillor).values("meeting_id"))
    return qs[:limit] if limit else qs


def agenda_of_case(*, user, case, upcoming: bool, now=None) -> tuple[list, list]:
    """The case's agenda items with their meetings, by meeting start (every one, as case.agenda_items
    gives them), and when asked, the upcoming meetings of the case's region the user may see, cancelled
    ones left out (meeting_list_upcoming_for): both from one query on the meetings."""
    fields = [field.attname for field in AgendaItem._meta.concrete_fields]
    # What a held meeting recorded on the case's item (issue 16, item 4), for those who may see the
    # meeting, read in the same query.
    condition = meeting_visibility_filter(user)
    may_read = Value(True) if condition is None else ExpressionWrapper(condition, output_field=BooleanField())
    qs = Meeting.objects.select_related("region", "series", "organiser").annotate(
        case_item=FilteredRelation("agenda_items", condition=Q(agenda_items__case=case)),
        **{f"on_agenda_{name}": F(f"case_item__{name}") for name in fields},
        on_agenda_outcome=F("case_item__minutes__outcome"),
        on_agenda_minutes=F("case_item__minutes__text"),
        may_read_minutes=may_read,
    )
    # The meetings wanted as one list of ids (a UNION of the two parts, each on its own index), looked
    # up by key: an OR of two subqueries, or across the join, made the database read every meeting.
    wanted = AgendaItem.objects.filter(case=case).order_by().values("meeting_id")
    if upcoming and case.origin_region_id:
        visible = meeting_list_upcoming_for(user=user, now=now, region=case.origin_region_id).exclude(
            status=Meeting.Status.CANCELLED
        )
        wanted = wanted.union(visible.order_by().values("pk"))
        qs = qs.annotate(is_upcoming=Exists(visible.filter(pk=OuterRef("pk"))))
    wanted = Q(pk__in=wanted)
    items, meetings = [], {}
    for row in qs.filter(wanted).order_by("start", "pk", "on_agenda_id"):
        meeting = meetings.setdefault(row.pk, row)  # a meeting with the case twice on it comes twice
        values = [getattr(row, f"on_agenda_{name}") for name in fields]
        if row.on_agenda_id is not None:
            item = AgendaItem.from_db(meeting._state.db, fields, values)
            AgendaItem.meeting.field.set_cached_value(item, meeting)
            item.recorded = None
            if row.status == Meeting.Status.HELD and row.may_read_minutes and row.on_agenda_outcome:
                item.recorded = {
                    "outcome": MinutesEntry(outcome=row.on_agenda_outcome).get_outcome_display(),
                    "decision": row.on_agenda_outcome == MinutesEntry.Outcome.DECISION,
                    "text": row.on_agenda_minutes,
                }
            items.append(item)
    upcoming_meetings = [meeting for meeting in meetings.values() if getattr(meeting, "is_upcoming", False)]
    return items, upcoming_meetings


HAS_REFERENCE_INPUT = "has_reference_group_input"


def case_reference_input_annotation() -> dict:
    """cases.hooks.case_annotations: whether the case has any reference-group input, read with the case,
    so the case page asks for the input only when there is some."""
    return {HAS_REFERENCE_INPUT: Exists(ReferenceGroupInput.objects.filter(case=OuterRef("pk")))}


def reference_inputs_of_case(*, user, case) -> list:
    """The reference group's input on the case from the meetings the user may see, oldest meeting first,
    with the meeting and who wrote it: one query (none when the case's read said there is none)."""
    if getattr(case, HAS_REFERENCE_INPUT, True) is False:
        return []
    qs = ReferenceGroupInput.objects.filter(case=case).select_related("meeting", "created_by")
    condition = meeting_visibility_filter(user)
    if condition is not None:
        qs = qs.filter(meeting__in=Meeting.objects.filter(condition).values("pk"))
    return list(qs.order_by("meeting__start", "created_at", "pk"))


MEETING_STEPS = ("meeting_outcome", "reference_group_input")


def case_events_withheld(*, user, events) -> set:
    """cases.hooks.timeline_guards: the case's timeline steps recorded from a meeting whose text the
    user may not read, because they may not see that meeting (as the case page's meetings panel
    shows the minutes only with may_read_minutes): at most one query, none for an adviser."""
    meeting_of = {event.pk: (event.detail or {}).get("meeting") for event in events if event.action in MEETING_STEPS}
    if not meeting_of:
        return set()
    condition = meeting_visibility_filter(user)
    if condition is None:
        return set()
    wanted = {pk for pk in meeting_of.values() if pk}
    visible = set(Meeting.objects.filter(condition, pk__in=wanted).values_list("pk", flat=True)) if wanted else set()
    return {event_pk for event_pk, meeting_pk in meeting_of.items() if meeting_pk not in visible}


def meeting_list_in_month(*, user, year, month, region=None, kind=None, councillor=None):
    """Meetings starting in the month (Oslo time)."""
    first = datetime.combine(date(year, month, 1), time.min, tzinfo=OSLO)
    following = (first + timedelta(days=32)).replace(day=1)
    qs = meeting_list_visible_to(user=user).filter(start__gte=first, start__lt=following).order_by("start")
    if region is not None:
        qs = qs.filter(region=region)
    if kind:
        qs = qs.filter(kind=kind)
    if councillor is not None:
        qs = qs.filter(pk__in=Participant.objects.filter(person=councillor).values("meeting_id"))
    return qs


def meeting_list_for_person_user(*, user, now=None):
    """The meetings the user is invited to (as a registry person, through a current appointment or as a
    guest), for "my meetings" and the personal feed."""
    # EXISTS per meeting rather than IN (every invitation of ten years): the upcoming meetings are
    # found on their own index and each is checked for the user's invitation.
    invited = participations_of(user).exclude(status=Participant.Status.DECLINED).filter(meeting_id=OuterRef("pk"))
    qs = Meeting.objects.select_related("region", "organiser").filter(Exists(invited))
    if now is not None:
        qs = qs.upcoming(now)
    return qs.order_by("start")


def meeting_get_detail(*, meeting):
    """Agenda items (with case and minutes) and participants of a meeting, for its page."""
    items = list(
        AgendaItem.objects.filter(meeting=meeting)
        .select_related("case", "council_area", "minutes", "proposed_by")
        .order_by("order", "pk")
    )
    participants = list(
        Participant.objects.filter(meeting=meeting)
        .select_related("person", "appointment")
        .order_by("side", "person__name")
    )
    return items, participants


def agenda_lanes(items, *, include_proposals=True):
    """Split items into the two lanes (planned processes first: strategic cases come early)."""
    lanes = {AgendaItem.Lane.PLANNED: [], AgendaItem.Lane.URGENT: []}
    for item in items:
        if item.state == AgendaItem.State.REJECTED:
            continue
        if item.state == AgendaItem.State.PROPOSED and not include_proposals:
            continue
        lanes[item.lane].append(item)
    return lanes


def series_list_visible_to(*, user):
    qs = MeetingSeries.objects.select_related("region")
    if is_adviser(user):
        return qs
    condition = meeting_visibility_filter(user)
    return qs.filter(pk__in=Meeting.objects.filter(condition).values("series_id"))


def councillor_list(*, on=None):
    """People with a county-councillor appointment to a region on the day."""
    day = on or timezone.localdate()
    return Person.objects.filter(
        pk__in=Appointment.objects.valid_on(day).filter(role=Appointment.Role.COUNTY_COUNCILLOR).values("person_id")
    ).order_by("name")


def councillor_schedule(*, now=None, until=None):
    """Each current councillor with their upcoming meetings; overlapping meetings are marked as clashes."""
    now = now or timezone.now()
    until = until or now + timedelta(days=366)
    councillors = list(councillor_list(on=timezone.localdate(now)))
    rows = (
        Participant.objects.filter(person__in=councillors, meeting__end__gte=now, meeting__start__lt=until)
        .entitled(timezone.localdate(now))
        .exclude(meeting__status=Meeting.Status.CANCELLED)
        .exclude(status=Participant.Status.DECLINED)
        .select_related("meeting", "meeting__region")
        .order_by("meeting__start")
    )
    by_person = defaultdict(list)
    for row in rows:
        by_person[row.person_id].append(row.meeting)
    schedule = []
    for person in councillors:
        meetings = by_person.get(person.pk, [])
        clashes = set()
        for i, first in enumerate(meetings):
            for second in meetings[i + 1 :]:
                if second.start >= first.end:
                    break
                clashes.update({first.pk, second.pk})
        schedule.append({"person": person, "meetings": [{"meeting": m, "clash": m.pk in clashes} for m in meetings]})
    return schedule


def feed_get_by_token(*, token) -> CalendarFeed:
    """The active feed with this token; Http404 for a wrong or revoked one.

    The lookup is by the unique token index (an equality match in the database), and the stored value is
    compared again with secrets.compare_digest so the check itself runs in constant time."""
    import secrets

    if not token or len(token) > 64:
        raise Http404
    feed = (
        CalendarFeed.objects.select_related("owner", "region")
        .filter(token=token, revoked_at__isnull=True, owner__is_active=True)
        .first()
    )
    if feed is None or not secrets.compare_digest(feed.token.encode(), token.encode()):
        raise Http404
    if feed.region_id and not can_follow_region_meetings(feed.owner, feed.region):
        raise Http404  # the owner's right to the region ended with their appointment
    return feed


def feed_meetings(*, feed, now=None):
    """The meetings a feed shows: from 90 days back, visible to the owner today."""
    now = now or timezone.now()
    since = now - timedelta(days=90)
    if feed.region_id:
        qs = meeting_list_visible_to(user=feed.owner).filter(region=feed.region)
    else:
        qs = meeting_list_for_person_user(user=feed.owner)
    return qs.ending_from(since).select_related("region").order_by("start")


def feed_list_for(*, user):
    return CalendarFeed.objects.filter(owner=user, revoked_at__isnull=True).select_related("region")


def participant_prefetch():
    return Prefetch("participants", queryset=Participant.objects.select_related("person"))


# --- what the public may see (offentleglova) -------------------------------------------------------
# Everything public-facing reads meetings through these and nothing else. The meeting calendar is
# public; an agenda item once the agenda is published and it is on the agenda, following its case
# (a case the public may not see keeps its item out) unless an adviser set the item itself; the
# minutes of a public item once the minutes are approved, unless the entry is exempt.

PUBLISHED_AGENDA_STATUSES = (Meeting.Status.PUBLISHED, Meeting.Status.HELD)


def public_meetings():
    """The meetings the public may see (the calendar), with their region read in the same query."""
    return Meeting.objects.select_related("region")


def _public_agenda_item_q() -> Q:
    follows_case = Q(access=Access.DEFAULT) & (Q(case__isnull=True) | Q(case__in=public_cases().values("pk")))
    return Q(state=AgendaItem.State.ACCEPTED, meeting__status__in=PUBLISHED_AGENDA_STATUSES) & (
        Q(access=Access.PUBLIC) | follows_case
    )


def public_agenda_items():
    """The agenda items the public may see, with their meeting read in the same query."""
    return AgendaItem.objects.filter(_public_agenda_item_q()).select_related("meeting")


def public_minutes():
    """The minutes entries the public may see: of a public agenda item, approved, not exempt."""
    return (
        MinutesEntry.objects.filter(
            agenda_item__in=AgendaItem.objects.filter(_public_agenda_item_q()).values("pk"),
            agenda_item__meeting__minutes_approved_at__isnull=False,
        )
        .exclude(access=Access.EXEMPT)
        .select_related("agenda_item__meeting")
    )
