"""Every write to a case: one function per workflow step.

Each step locks the case row (select_for_update on PostgreSQL; SQLite's IMMEDIATE transactions already
serialise writers), checks the current status (ValidationError) and the actor's right
(PermissionDenied), changes the case, writes a CaseEvent and plans the notifications in the outbox in
the same transaction, so a step and its messages are saved together or not at all.
"""

import copy
import datetime
import logging
from functools import partial

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts.models import User
from core.screening import screening_apply
from core.uploads import upload_content_type, upload_display_name
from notifications.delivery import FALLBACK_LANGUAGE_KEY
from notifications.models import Message
from notifications.services import message_cancel, message_enqueue
from regions.models import Appointment, CouncilArea, Municipality, Region, RegionMembership
from regions.selectors import (
    NYNORSK_LANGUAGE,
    REGION_SIDE_ROLES,
    adviser_user_ids_by_county,
    council_area_ids_staffed_now,
    council_area_list_staffed_by,
    county_ids_of_regions,
    county_scope_for,
    region_ids_led_now,
    region_list_led_by,
    region_q_for_counties,
    role_acted_in,
    user_ids_for_nynorsk_regions,
)

from . import permissions as perms
from .hooks import case_closed_listeners, case_extra_regions
from .models import (
    Anchoring,
    Attachment,
    Case,
    CaseEvent,
    CaseExport,
    ReferenceCounter,
    RegionRequest,
    Routing,
    Topic,
    TopicMapping,
)
from .renderers import DEADLINE_KIND, DIGEST_KIND, EVENT_KIND, EXPORT_KIND
from .selectors import (
    advisers_for_case,
    anchoring_count_expressions,
    anchoring_municipality_list,
    council_areas_for_routing,
    submission_day,
)
from .topics import topic_offered, topics_changed

logger = logging.getLogger(__name__)

S = Case.Status
A = CaseEvent.Action
REMINDER_DAYS = (3, 1)
EDITABLE_FIELDS = ("title", "description", "topic", "urgency", "deadline", "visibility")


# --- helpers ------------------------------------------------------------------------------------


def _now(now):
    return now or timezone.now()


def _lock(case) -> Case:
    """Re-read the case under a row lock so two racing steps see each other's result."""
    return Case.objects.select_for_update().get(pk=case.pk)


def _check(step, actor, case):
    """Refuse a workflow step (cases.workflow): PermissionDenied when it is never the actor's on this
    case, ValidationError when it is theirs but not in the case's current status."""
    if perms.may(step, actor, case):
        return
    if perms.may_ever(step, actor, case):
        raise ValidationError(
            _("This step is not possible while the case is %(status)s.") % {"status": case.get_status_display().lower()}
        )
    raise PermissionDenied(_("You may not take this step on this case."))


def _check_item(predicate, actor, item, waiting_state):
    """_check() for a routing or a request to a region: the probe is a waiting item on a routed case."""
    if predicate(actor, item):
        return
    probe = copy.copy(item)
    probe.state = waiting_state
    probe.case = copy.copy(item.case)
    probe.case.status = S.ROUTED
    if predicate(actor, probe):
        raise ValidationError(_("This can no longer be answered: it is already answered or the case has moved on."))
    raise PermissionDenied(_("You may not take this step on this case."))


def _authorise(allowed: bool):
    if not allowed:
        raise PermissionDenied(_("You may not take this step on this case."))


def _actor_role(case, actor, regions=()) -> str:
    """The role the actor acts in on the case (regions.selectors.role_acted_in): for its origin region or a
    region it was sent to (or `regions`: another region the case belongs to that the act is for), for its
    origin council area or one it was routed to, or as adviser."""
    if actor is None:
        return ""
    region_ids, area_ids = [case.origin_region_id, *regions], [case.origin_council_area_id]
    if case.pk is not None and region_ids_led_now(user=actor) and not case.is_from_region:
        region_ids += list(case.region_requests.values_list("region_id", flat=True))
    if case.pk is not None and council_area_ids_staffed_now(user=actor):
        area_ids += list(case.routings.values_list("council_area_id", flat=True))
    return role_acted_in(user=actor, region_ids=region_ids, council_area_ids=area_ids)


def _event(
    case, *, actor, action, from_status="", to_status="", comment="", internal=False, now, regions=()
) -> CaseEvent:
    event = CaseEvent(
        case=case,
        actor=actor,
        actor_role=_actor_role(case, actor, regions),
        action=action,
        from_status=from_status,
        to_status=to_status or case.status,
        visibility=Case.Visibility.INTERNAL if internal else Case.Visibility.SHARED,
        comment=comment,
        created_at=now,
    )
    event.full_clean()
    event.save()
    return event


def _save(case, fields):
    case.full_clean()
    case.save(update_fields=[*fields, "updated_at"])


def _active(users):
    return [u for u in users if u is not None and u.is_active]


def _adviser_users():
    return list(User.objects.filter(is_active=True, role=User.Role.ADVISER).order_by("pk"))


def _users_by_appointment(*, roles, day, **target):
    ids = (
        Appointment.objects.valid_on(day)
        .filter(role__in=roles, person__user__isnull=False, **target)
        .values("person__user_id")
    )
    return list(User.objects.filter(pk__in=ids, is_active=True).order_by("pk"))


def _region_leaders(region_ids, day):
    """Those who act for the regions on the day: their leaders and secretariats follow the cases."""
    return _users_by_appointment(roles=REGION_SIDE_ROLES, day=day, region_id__in=region_ids)


def _area_staff(area_ids, day):
    return _users_by_appointment(roles=[Appointment.Role.COUNCIL_AREA_STAFF], day=day, council_area_id__in=area_ids)


def _originators(case, day):
    if case.is_from_region:
        return _region_leaders([case.origin_region_id], day)
    return _area_staff([case.origin_council_area_id], day)


def _coordination(case):
    """The assigned adviser, or, when nobody is assigned, the coordination unit of the case's counties:
    the advisers of a county that hosts or partners with one of its regions (or whose council area sent
    it), and those who work nationally (no county, or given the national view)."""
    if case.assigned_to_id and case.assigned_to.is_active:
        return [case.assigned_to]
    counties = county_ids_of_regions(_case_region_ids(case))
    if case.origin_council_area_id:
        counties.add(case.origin_council_area.county_id)
    by_county = adviser_user_ids_by_county()
    return [
        user
        for user in _adviser_users()
        if user.national_view or user.is_superuser or user.pk not in by_county or by_county[user.pk] & counties
    ]


def _case_region_ids(case):
    ids = set(case.region_requests.values_list("region_id", flat=True))
    if case.origin_region_id:
        ids.add(case.origin_region_id)
    return ids


def _notify(event, users):
    """Plan one in-app and e-mail notice of the event per recipient (never the actor). Region people
    without their own language get it in nynorsk when their region's language form is nynorsk."""
    seen = set()
    recipients = []
    for user in _active(users):
        if user.pk in seen or user.pk == event.actor_id:
            continue
        seen.add(user.pk)
        recipients.append(user)
    without_choice = [user.pk for user in recipients if not user.language]
    nynorsk = (
        user_ids_for_nynorsk_regions(user_ids=without_choice, region_ids=_case_region_ids(event.case))
        if without_choice
        else set()
    )
    for user in recipients:
        payload = {"event_id": event.pk, "case_id": event.case_id}
        if user.pk in nynorsk:
            payload[FALLBACK_LANGUAGE_KEY] = NYNORSK_LANGUAGE
        message_enqueue(key=f"cases.event.{event.pk}.{user.pk}", kind=EVENT_KIND, recipient=user, payload=payload)


def _deadline_recipients(case, day):
    if case.status != S.ROUTED:
        return []
    if case.is_from_region:
        areas = case.routings.filter(state__in=[Routing.State.PENDING, Routing.State.ACKNOWLEDGED])
        return _area_staff(list(areas.values_list("council_area_id", flat=True)), day)
    regions = case.region_requests.filter(state=RegionRequest.State.PENDING)
    return _region_leaders(list(regions.values_list("region_id", flat=True)), day)


def deadline_reminders_plan(*, case, now=None) -> int:
    """Cancel the case's pending deadline reminders and plan them again for the current deadline:
    3 days and 1 day before, at 08:00 Oslo time, to whoever still has to answer."""
    now = _now(now)
    message_cancel(queryset=Message.objects.filter(kind=DEADLINE_KIND, key__startswith=f"cases.deadline.{case.pk}."))
    if not case.deadline or case.status != S.ROUTED:
        return 0
    planned = 0
    recipients = _deadline_recipients(case, timezone.localdate(now))
    without_choice = [user.pk for user in recipients if not user.language]
    nynorsk = (
        user_ids_for_nynorsk_regions(
            user_ids=without_choice, region_ids=_case_region_ids(case), on=timezone.localdate(now)
        )
        if without_choice and not case.is_from_region
        else set()
    )
    for days in REMINDER_DAYS:
        day = case.deadline - datetime.timedelta(days=days)
        due = timezone.make_aware(datetime.datetime.combine(day, datetime.time(8, 0)))
        if due <= now:
            continue
        for user in recipients:
            message_enqueue(
                key=f"cases.deadline.{case.pk}.{case.deadline.isoformat()}.{days}.{user.pk}",
                kind=DEADLINE_KIND,
                recipient=user,
                payload={
                    "case_id": case.pk,
                    "deadline": case.deadline.isoformat(),
                    "days": days,
                    **({FALLBACK_LANGUAGE_KEY: NYNORSK_LANGUAGE} if user.pk in nynorsk else {}),
                },
                due_at=due,
            )
            planned += 1
    return planned


def _check_deadline(deadline, now):
    if deadline and deadline < timezone.localdate(now):
        raise ValidationError({"deadline": _("The deadline cannot be in the past.")})


# --- reference numbers --------------------------------------------------------------------------


def _next_reference(year: int) -> str:
    """The next "YYYY-NNNN" for the year; the counter row stays locked until the caller commits."""
    try:
        with transaction.atomic():
            ReferenceCounter.objects.get_or_create(year=year)
    except IntegrityError:  # another submission created the row at the same moment
        pass
    counter = ReferenceCounter.objects.select_for_update().get(year=year)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return f"{year}-{counter.last_number:04d}"


# --- creating and editing -----------------------------------------------------------------------


def _check_topic(topic):
    # Read from the database, not the cache the pages label with: a write decides on what is committed.
    if not topic_offered(topic, fresh=True):
        raise ValidationError({"topic": _("Choose one of the topics offered.")})


@transaction.atomic
def case_create(
    *,
    actor,
    title: str,
    description: str = "",
    topic: str = Case.Topic.OTHER,
    direction: str = Case.Direction.REGION_TO_COUNTY,
    origin_region: Region | None = None,
    origin_council_area: CouncilArea | None = None,
    urgency: str = Case.Urgency.NORMAL,
    deadline: datetime.date | None = None,
    visibility: str = Case.Visibility.INTERNAL,
    priorities=None,
    instruments=None,
    now=None,
) -> Case:
    """A draft case for a region the actor leads (or a council area they work for); advisers for any."""
    now = _now(now)
    _check_deadline(deadline, now)
    _check_topic(topic)
    if direction == Case.Direction.REGION_TO_COUNTY:
        if origin_region is None:
            raise ValidationError({"origin_region": _("Choose the region the case comes from.")})
        origin_council_area = None
        _authorise(perms.is_adviser(actor) or region_list_led_by(user=actor).filter(pk=origin_region.pk).exists())
    else:
        if origin_council_area is None:
            raise ValidationError({"origin_council_area": _("Choose the council area the case comes from.")})
        origin_region = None
        _authorise(
            perms.is_adviser(actor)
            or council_area_list_staffed_by(user=actor).filter(pk=origin_council_area.pk).exists()
        )
    case = Case(
        title=title,
        description=description,
        topic=topic,
        direction=direction,
        origin_region=origin_region,
        origin_council_area=origin_council_area,
        urgency=urgency,
        deadline=deadline,
        visibility=visibility,
        created_by=actor,
    )
    case.full_clean()
    case.save()
    _set_tags(case, priorities, instruments)
    _event(case, actor=actor, action=A.CREATED, to_status=S.DRAFT, now=now)
    return case


def _tag_ids(case):
    return {name: set(getattr(case, name).values_list("pk", flat=True)) for name in ("priorities", "instruments")}


@transaction.atomic
def case_create_and_send(*, actor, attachment=None, submit: bool = True, now=None, **fields) -> Case:
    """One form for a new case: the draft, its attachment and, unless it is saved as a draft, its
    submission to the coordination unit, all in one transaction. A refused attachment or step leaves
    nothing behind (no case, no row, no stored file)."""
    now = _now(now)
    case = case_create(actor=actor, now=now, **fields)
    stored = None
    try:
        if attachment:
            stored = attachment_add(case=case, actor=actor, uploaded_file=attachment, now=now)
        if submit:
            case = case_submit(case=case, actor=actor, now=now)
    except BaseException:
        if stored is not None and stored.file.name:
            stored.file.delete(save=False)
        raise
    return case


def _set_tags(case, priorities, instruments):
    if priorities is not None:
        case.priorities.set(priorities)
    if instruments is not None:
        case.instruments.set(instruments)


@transaction.atomic
def case_update(*, case, actor, priorities=None, instruments=None, now=None, **fields) -> Case:
    """Change the editable fields; a changed deadline re-plans its reminders."""
    now = _now(now)
    case = _lock(case)
    _check("edit", actor, case)
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"Not editable: {sorted(unknown)}")
    old_deadline = case.deadline
    if "topic" in fields and fields["topic"] != case.topic:
        _check_topic(fields["topic"])
    if "deadline" in fields and fields["deadline"] != old_deadline:
        _check_deadline(fields["deadline"], now)
    changed = [name for name, value in fields.items() if getattr(case, name) != value]
    for name in changed:
        setattr(case, name, fields[name])
    _save(case, changed)
    tags_before = _tag_ids(case)
    _set_tags(case, priorities, instruments)
    tags_changed = [name for name, ids in _tag_ids(case).items() if ids != tags_before[name]]
    if changed or tags_changed:
        # The names of what changed; the page and the e-mail show their labels (CaseEvent.comment_display).
        comment = ", ".join(changed + tags_changed)
        _event(case, actor=actor, action=A.UPDATED, from_status=case.status, comment=comment, now=now)
    if case.deadline != old_deadline:
        deadline_reminders_plan(case=case, now=now)
    return case


# --- region → county ----------------------------------------------------------------------------


@transaction.atomic
def case_submit(*, case, actor, now=None) -> Case:
    """Send a draft (or a returned case) to the coordination unit; the first submission gets a reference."""
    now = _now(now)
    case = _lock(case)
    _check("submit", actor, case)
    before = case.status
    if not case.reference:
        case.reference = _next_reference(timezone.localtime(now).year)
        case.submitted_at = now
    case.status = S.SUBMITTED
    _save(case, ["reference", "submitted_at", "status"])
    case_anchoring_recount(cases=Case.objects.filter(pk=case.pk))
    event = _event(case, actor=actor, action=A.SUBMITTED, from_status=before, now=now)
    _notify(event, _coordination(case))
    return case


@transaction.atomic
def case_receive(*, case, actor, now=None) -> Case:
    """The coordination unit confirms it has the case."""
    now = _now(now)
    case = _lock(case)
    _check("receive", actor, case)
    case.status = S.RECEIVED
    case.received_at = now
    _save(case, ["status", "received_at"])
    event = _event(case, actor=actor, action=A.RECEIVED, from_status=S.SUBMITTED, now=now)
    _notify(event, _originators(case, timezone.localdate(now)))
    return case


@transaction.atomic
def case_assign(*, case, actor, assignee, now=None) -> Case:
    """Make an adviser responsible for the case (None: nobody)."""
    now = _now(now)
    case = _lock(case)
    _check("assign", actor, case)
    if assignee is not None and not perms.is_adviser(assignee):
        raise ValidationError({"assignee": _("Only an adviser of the coordination unit can be assigned.")})
    if (
        assignee is not None
        and not advisers_for_case(case=case, on=timezone.localdate(now)).filter(pk=assignee.pk).exists()
    ):
        raise ValidationError({"assignee": _("Only an adviser of the case's county can be assigned.")})
    case.assigned_to = assignee
    _save(case, ["assigned_to"])
    event = _event(
        case,
        actor=actor,
        action=A.ASSIGNED,
        from_status=case.status,
        comment=str(assignee or "-"),
        internal=True,
        now=now,
    )
    if assignee is not None:
        _notify(event, [assignee])
    return case


@transaction.atomic
def case_flag(*, case, actor, problem: str, now=None) -> Case:
    """Record why a case cannot be routed yet; it stays in the inbox, flagged, until routed."""
    now = _now(now)
    case = _lock(case)
    _check("flag", actor, case)
    problem = (problem or "").strip()
    if not problem:
        raise ValidationError({"problem": _("Say why the case cannot be routed.")})
    case.routing_problem = problem
    _save(case, ["routing_problem"])
    _event(case, actor=actor, action=A.FLAGGED, from_status=case.status, comment=problem, internal=True, now=now)
    return case


@transaction.atomic
def case_route(*, case, actor, council_areas, comment: str = "", now=None) -> list[Routing]:
    """Route the case to one or more council areas. Routing twice to the same area is refused, also
    when two advisers do it at the same moment (the case row is locked)."""
    now = _now(now)
    case = _lock(case)
    _check("route", actor, case)
    areas = list(council_areas or [])
    if not areas:
        raise ValidationError(
            {
                "council_areas": _(
                    "Choose at least one council area, or flag the case with the reason it cannot be routed."
                )
            }
        )
    today = timezone.localdate(now)
    current = set(CouncilArea.objects.valid_on(today).filter(pk__in=[a.pk for a in areas]).values_list("pk", flat=True))
    for area in areas:
        if area.pk not in current:
            raise ValidationError({"council_areas": _("%(area)s no longer exists.") % {"area": area}})
    # One door in: a case goes to the executive of the counties it concerns, not to another county's.
    allowed = council_areas_for_routing(case=case, on=today).filter(pk__in=current).values_list("pk", flat=True)
    allowed = set(allowed)
    for area in areas:
        if area.pk not in allowed:
            raise ValidationError(
                {"council_areas": _("%(area)s is not a council area of the case's county.") % {"area": area}}
            )
    already = set(case.routings.exclude(state=Routing.State.CANCELLED).values_list("council_area_id", flat=True))
    for area in areas:
        if area.pk in already:
            raise ValidationError({"council_areas": _("The case is already routed to %(area)s.") % {"area": area}})
    routings = []
    for area in areas:
        routing = Routing(case=case, council_area=area, routed_by=actor, routed_at=now)
        routing.full_clean()
        routing.save()
        routings.append(routing)
    before = case.status
    if case.received_at is None:
        case.received_at = now
    case.status = S.ROUTED
    case.routing_problem = ""
    _save(case, ["status", "received_at", "routing_problem"])
    names = ", ".join(str(a) for a in areas)
    event = _event(
        case,
        actor=actor,
        action=A.ROUTED,
        from_status=before,
        comment=(names + ("\n" + comment if comment else "")),
        now=now,
    )
    _notify(event, _area_staff([a.pk for a in areas], today) + _originators(case, today))
    deadline_reminders_plan(case=case, now=now)
    return routings


@transaction.atomic
def routing_acknowledge(*, routing, actor, now=None) -> Routing:
    """The council area confirms it has the case."""
    now = _now(now)
    _lock(routing.case)
    routing = Routing.objects.select_related("case", "council_area").get(pk=routing.pk)
    _check_item(perms.can_acknowledge_routing, actor, routing, Routing.State.PENDING)
    routing.state = Routing.State.ACKNOWLEDGED
    routing.acknowledged_at = now
    routing.full_clean()
    routing.save(update_fields=["state", "acknowledged_at"])
    event = _event(
        routing.case,
        actor=actor,
        action=A.ACKNOWLEDGED,
        from_status=routing.case.status,
        comment=str(routing.council_area),
        internal=True,
        now=now,
    )
    _notify(event, _coordination(routing.case))
    return routing


@transaction.atomic
def routing_answer(*, routing, actor, answer: str, on_behalf: bool = False, now=None) -> Routing:
    """The council area's answer; when every routing is answered the case becomes answered. An adviser
    registers it only explicitly on the area's behalf, and the trail says so."""
    now = _now(now)
    case = _lock(routing.case)
    routing = Routing.objects.select_related("case", "council_area").get(pk=routing.pk)
    _check_item(perms.can_answer_routing, actor, routing, Routing.State.PENDING)
    note = _on_behalf(
        on_behalf,
        not perms.staffs_area_of(actor, routing),
        _("Registered by the coordination unit on behalf of %(area)s.") % {"area": routing.council_area},
    )
    answer = (answer or "").strip()
    if not answer:
        raise ValidationError({"answer": _("Write the answer.")})
    routing.state = Routing.State.ANSWERED
    routing.answer = answer
    routing.answered_at = now
    routing.answered_by = actor
    routing.acknowledged_at = routing.acknowledged_at or now
    routing.full_clean()
    routing.save(update_fields=["state", "answer", "answered_at", "answered_by", "acknowledged_at"])
    event = _event(
        case,
        actor=actor,
        action=A.ROUTING_ANSWERED,
        from_status=S.ROUTED,
        comment="\n".join(part for part in (str(routing.council_area), note) if part),
        internal=True,
        now=now,
    )
    recipients = _coordination(case)
    if not case.routings.filter(state__in=[Routing.State.PENDING, Routing.State.ACKNOWLEDGED]).exists():
        case.status = S.ANSWERED
        _save(case, ["status"])
        event = _event(case, actor=actor, action=A.ANSWERED, from_status=S.ROUTED, internal=True, now=now)
        deadline_reminders_plan(case=case, now=now)
    _notify(event, recipients)
    return routing


@transaction.atomic
def case_send_answer(*, case, actor, answer: str, now=None) -> Case:
    """One door out: the coordination unit sends the collected answer back to the sender."""
    now = _now(now)
    case = _lock(case)
    _check("send-answer", actor, case)
    answer = (answer or "").strip()
    if not answer:
        raise ValidationError({"answer": _("Write the answer to send.")})
    case.final_answer = answer
    case.status = S.ANSWER_SENT
    case.answer_sent_at = now
    _save(case, ["final_answer", "status", "answer_sent_at"])
    event = _event(case, actor=actor, action=A.ANSWER_SENT, from_status=S.ANSWERED, now=now)
    _notify(event, _originators(case, timezone.localdate(now)))
    return case


@transaction.atomic
def case_close(*, case, actor, comment: str = "", now=None) -> Case:
    """Close a case whose answer has been sent."""
    now = _now(now)
    case = _lock(case)
    _check("close", actor, case)
    case.status = S.CLOSED
    case.closed_at = now
    _save(case, ["status", "closed_at"])
    event = _event(case, actor=actor, action=A.CLOSED, from_status=S.ANSWER_SENT, comment=comment, now=now)
    _notify(event, _originators(case, timezone.localdate(now)) + _coordination(case))
    case_closed_listeners.notify(case=case, now=now)  # the archive hand-off, in this transaction
    return case


def _on_behalf(on_behalf: bool, needed: bool, note: str) -> str:
    """An adviser doing someone else's step must say so (on_behalf=True); the trail then records it."""
    if not needed:
        return ""
    if not on_behalf:
        raise ValidationError(_("Confirm that you do this on behalf of the other party."))
    return note


@transaction.atomic
def case_withdraw(*, case, actor, reason: str = "", on_behalf: bool = False, now=None) -> Case:
    """The sender withdraws the case (an adviser may, on the sender's behalf, with a reason); open
    routings and requests are cancelled."""
    now = _now(now)
    case = _lock(case)
    _check("withdraw", actor, case)
    sender = case.origin_region or case.origin_council_area
    note = _on_behalf(
        on_behalf,
        perms.withdraws_on_behalf(actor, case),
        _("Withdrawn by the coordination unit on behalf of %(sender)s.") % {"sender": sender},
    )
    reason = (reason or "").strip()
    if note and not reason:
        raise ValidationError({"text": _("Say why the case is withdrawn on the sender's behalf.")})
    reason = "\n".join(part for part in (note, reason) if part)
    before = case.status
    today = timezone.localdate(now)
    waiting_areas = list(
        case.routings.filter(state__in=[Routing.State.PENDING, Routing.State.ACKNOWLEDGED]).values_list(
            "council_area_id", flat=True
        )
    )
    waiting_regions = list(
        case.region_requests.filter(state=RegionRequest.State.PENDING).values_list("region_id", flat=True)
    )
    case.routings.filter(state__in=[Routing.State.PENDING, Routing.State.ACKNOWLEDGED]).update(
        state=Routing.State.CANCELLED
    )
    case.region_requests.filter(state=RegionRequest.State.PENDING).update(state=RegionRequest.State.CANCELLED)
    case.status = S.WITHDRAWN
    case.closed_at = now
    _save(case, ["status", "closed_at"])
    event = _event(case, actor=actor, action=A.WITHDRAWN, from_status=before, comment=reason, now=now)
    deadline_reminders_plan(case=case, now=now)
    if before != S.DRAFT:
        _notify(
            event,
            _coordination(case)
            + _area_staff(waiting_areas, today)
            + _region_leaders(waiting_regions, today)
            + _originators(case, today),
        )
    return case


@transaction.atomic
def case_return(*, case, actor, reason: str, now=None) -> Case:
    """Send the case back to the sender for more information; they edit and submit again."""
    now = _now(now)
    case = _lock(case)
    _check("return", actor, case)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say what more information is needed.")})
    before = case.status
    case.status = S.RETURNED
    _save(case, ["status"])
    event = _event(case, actor=actor, action=A.RETURNED, from_status=before, comment=reason, now=now)
    _notify(event, _originators(case, timezone.localdate(now)))
    return case


# --- county → regions ---------------------------------------------------------------------------


def _every_region_for(actor, case, today):
    """ "Every region" for a send: the regions of the adviser's county (host or partner county today, so a
    region shared with another county is included); for the national view, the regions of the sending
    council area's county, else every current region."""
    scope = county_scope_for(user=actor)
    if scope is None and case.origin_council_area_id:
        scope = [case.origin_council_area.county_id]
    regions = Region.objects.valid_on(today)
    return regions if scope is None else regions.filter(region_q_for_counties(sorted(scope), on=today))


@transaction.atomic
def case_regions_send(*, case, actor, regions=None, comment: str = "", now=None) -> list[RegionRequest]:
    """The coordination unit sends a council area's case to the chosen regions (None: every current region)."""
    now = _now(now)
    case = _lock(case)
    _check("send-to-regions", actor, case)
    today = timezone.localdate(now)
    chosen = list(regions) if regions is not None else list(_every_region_for(actor, case, today))
    if not chosen:
        raise ValidationError({"regions": _("Choose at least one region.")})
    already = set(case.region_requests.values_list("region_id", flat=True))
    requests = []
    for region in chosen:
        if region.pk in already:
            continue
        request_ = RegionRequest(case=case, region=region, sent_by=actor, sent_at=now)
        request_.full_clean()
        request_.save()
        requests.append(request_)
    if not requests:
        raise ValidationError({"regions": _("The case is already sent to these regions.")})
    before = case.status
    case.received_at = case.received_at or now
    case.status = S.ROUTED
    _save(case, ["status", "received_at"])
    names = ", ".join(r.region.name for r in requests)
    event = _event(
        case,
        actor=actor,
        action=A.SENT_TO_REGIONS,
        from_status=before,
        comment=names + ("\n" + comment if comment else ""),
        now=now,
    )
    _notify(event, _region_leaders([r.region_id for r in requests], today) + _originators(case, today))
    deadline_reminders_plan(case=case, now=now)
    return requests


@transaction.atomic
def region_request_answer(*, region_request, actor, answer: str, on_behalf: bool = False, now=None) -> RegionRequest:
    """A region's answer to a county → regions case; when all regions have answered the case is answered.
    An adviser registers it only explicitly on the region's behalf, and the trail says so."""
    now = _now(now)
    case = _lock(region_request.case)
    region_request = RegionRequest.objects.select_related("case", "region").get(pk=region_request.pk)
    _check_item(perms.can_answer_region_request, actor, region_request, RegionRequest.State.PENDING)
    note = _on_behalf(
        on_behalf,
        not perms.leads_region_asked(actor, region_request),
        _("Registered by the coordination unit on behalf of %(region)s.") % {"region": region_request.region.name},
    )
    answer = (answer or "").strip()
    if not answer:
        raise ValidationError({"answer": _("Write the answer.")})
    region_request.state = RegionRequest.State.ANSWERED
    region_request.answer = answer
    region_request.answered_at = now
    region_request.answered_by = actor
    region_request.full_clean()
    region_request.save(update_fields=["state", "answer", "answered_at", "answered_by"])
    comment = "\n".join(part for part in (region_request.region.name, note) if part)
    event = _event(case, actor=actor, action=A.REGION_ANSWERED, from_status=S.ROUTED, comment=comment, now=now)
    if not case.region_requests.filter(state=RegionRequest.State.PENDING).exists():
        case.status = S.ANSWERED
        _save(case, ["status"])
        event = _event(case, actor=actor, action=A.ANSWERED, from_status=S.ROUTED, now=now)
        deadline_reminders_plan(case=case, now=now)
    _notify(event, _coordination(case) + _originators(case, timezone.localdate(now)))
    return region_request


# --- attachments, anchoring, mapping, agenda ----------------------------------------------------


@transaction.atomic
def attachment_add(*, case, actor, uploaded_file, now=None) -> Attachment:
    """Store a checked upload (core.uploads: name, type, content, size) under a random name outside the
    web root; a refused file leaves neither a row nor a file behind."""
    now = _now(now)
    case = _lock(case)
    _check("attach", actor, case)
    if not uploaded_file:
        raise ValidationError({"file": _("Choose a file.")})
    attachment = Attachment(
        case=case,
        file=uploaded_file,
        original_name=upload_display_name(uploaded_file.name),
        content_type=upload_content_type(uploaded_file.name),
        size=uploaded_file.size,
        uploaded_by=actor,
        uploaded_at=now,
    )
    attachment.full_clean()  # the file field's validator is the upload check
    try:
        attachment.save()  # stores the file under a random name, then inserts the row
        _event(
            case,
            actor=actor,
            action=A.ATTACHMENT_ADDED,
            from_status=case.status,
            comment=attachment.original_name,
            now=now,
        )
    except BaseException:
        if attachment.file.name and attachment.file._committed:
            attachment.file.delete(save=False)
        raise
    return attachment


def case_anchoring_recount(*, cases=None) -> int:
    """Write each submitted case's anchoring strength as of its submission day (the region's members
    that day and those whose municipal council supports the case) into the case, in one UPDATE; the
    tracking page groups these instead of counting per case. Called by the services that change what
    it counts, by regions.hooks when memberships change, and nightly for what changed outside them
    (bulk loads, the admin's raw edits). Returns the number of cases written."""
    cases = Case.objects.all() if cases is None else cases
    members, supporting = anchoring_count_expressions(RegionMembership, Anchoring, day=submission_day)
    written = cases.filter(submitted_at__isnull=False).update(
        members_on_submission=members, councils_supporting=supporting
    )
    cases.filter(submitted_at__isnull=True).exclude(members_on_submission=None).update(
        members_on_submission=None, councils_supporting=None
    )
    return written


def cases_follow_memberships(*, region_ids, now=None) -> None:
    """regions.hooks listener: a membership of these regions changed, so their cases' counts may."""
    case_anchoring_recount(cases=Case.objects.filter(origin_region_id__in=list(region_ids)))


def anchoring_day(case) -> datetime.date:
    """Membership is counted as of the submission date (today for a draft)."""
    if case.submitted_at:
        return timezone.localdate(case.submitted_at)
    return timezone.localdate()


def _check_anchoring(actor, case) -> set:
    """_check("anchor") for a step another region the case belongs to may take too: the regions whose
    municipalities the actor records for (cases.permissions.anchoring_region_ids); ValidationError when the
    step is theirs but not in the case's status, PermissionDenied when it is never theirs."""
    regions = perms.anchoring_region_ids(actor, case)
    if regions:
        return regions
    if perms.may_ever("anchor", actor, case) or perms.member_region_ids_for_anchoring(actor, case, any_status=True):
        raise ValidationError(
            _("This step is not possible while the case is %(status)s.") % {"status": case.get_status_display().lower()}
        )
    raise PermissionDenied(_("You may not take this step on this case."))


def _region_names(region_ids) -> str:
    return ", ".join(Region.objects.filter(pk__in=sorted(region_ids)).order_by("name").values_list("name", flat=True))


def _anchoring_refusal(case, municipality, regions) -> str:
    """Why the actor may not record the municipality's anchoring: it is another region's (each region records
    its own), or not a member of the actor's regions on the day that counts."""
    every = {case.origin_region_id, *case_extra_regions.region_ids(case)}
    others = every - set(regions)
    if others and anchoring_municipality_list(case=case, region_ids=others).filter(pk=municipality.pk).exists():
        return _(
            "%(municipality)s is a municipality of %(regions)s: each region records the anchoring of its own "
            "municipalities."
        ) % {"municipality": municipality.name, "regions": _region_names(others)}
    if set(regions) == {case.origin_region_id}:
        return _("%(municipality)s is not a member of the region on %(day)s.") % {
            "municipality": municipality,
            "day": anchoring_day(case).strftime("%d.%m.%Y"),
        }
    return _("%(municipality)s is not a member municipality of %(regions)s.") % {
        "municipality": municipality.name,
        "regions": _region_names(regions),
    }


@transaction.atomic
def anchoring_record(
    *,
    case,
    actor,
    municipality: Municipality,
    body: str = Anchoring.Body.COUNCIL,
    stance: str = Anchoring.Stance.NOT_TREATED,
    decision_date: datetime.date | None = None,
    reference: str = "",
    link: str = "",
    deadline: datetime.date | None = None,
    now=None,
) -> Anchoring:
    """Record (or update) how a member municipality's body treated the region's position. The origin
    region's municipalities are those that are members on the case's submission date (they count for the
    strength); another region the case belongs to (cases.hooks.case_extra_regions) records its own
    municipalities of today, and never another region's (cases.permissions.anchoring_region_ids)."""
    now = _now(now)
    case = _lock(case)
    regions = _check_anchoring(actor, case)
    if not anchoring_municipality_list(case=case, region_ids=regions).filter(pk=municipality.pk).exists():
        raise ValidationError({"municipality": _anchoring_refusal(case, municipality, regions)})
    if decision_date and decision_date > timezone.localdate(now):
        raise ValidationError(
            {
                "decision_date": _(
                    "The decision date cannot be in the future. For a meeting still to come, "
                    "record it as not treated with a deadline for treatment."
                )
            }
        )
    anchoring = Anchoring.objects.filter(case=case, municipality=municipality, body=body).first()
    if anchoring is None:
        anchoring = Anchoring(case=case, municipality=municipality, body=body)
    anchoring.stance = stance
    anchoring.decision_date = decision_date
    anchoring.reference = reference
    anchoring.link = link
    anchoring.deadline = deadline
    anchoring.recorded_by = actor
    anchoring.recorded_at = now
    anchoring.full_clean()
    anchoring.save()
    case_anchoring_recount(cases=Case.objects.filter(pk=case.pk))
    _event(
        case,
        actor=actor,
        action=A.ANCHORING_RECORDED,
        from_status=case.status,
        comment=f"{municipality.name}: {anchoring.get_body_display()} – {anchoring.get_stance_display()}",
        now=now,
        regions=sorted(regions),
    )
    return anchoring


@transaction.atomic
def anchoring_remove(*, anchoring, actor, now=None) -> None:
    """Remove a recorded anchoring: an adviser any of the case's, a region's leader only their own
    region's municipalities' (those they may record: anchoring_record)."""
    now = _now(now)
    case = _lock(anchoring.case)
    regions = _check_anchoring(actor, case)
    anchoring = Anchoring.objects.select_related("municipality").filter(pk=anchoring.pk, case=case).first()
    if anchoring is None:
        raise ValidationError(_("The anchoring is already removed."))
    own = anchoring_municipality_list(case=case, region_ids=regions).filter(pk=anchoring.municipality_id).exists()
    if not (perms.is_adviser(actor) or own):
        raise ValidationError(_anchoring_refusal(case, anchoring.municipality, regions))
    label = f"{anchoring.municipality.name}: {anchoring.get_body_display()}"
    anchoring.delete()
    case_anchoring_recount(cases=Case.objects.filter(pk=case.pk))
    _event(
        case,
        actor=actor,
        action=A.ANCHORING_REMOVED,
        from_status=case.status,
        comment=label,
        now=now,
        regions=sorted(regions),
    )


@transaction.atomic
def topic_mapping_set(*, actor, topic: str, council_area: CouncilArea | None) -> TopicMapping | None:
    """Set (or clear) the council area the inbox suggests for a topic."""
    _authorise(perms.can_manage_topic_mapping(actor))
    if topic not in Case.Topic.values and not Topic.objects.filter(code=topic).exists():
        raise ValidationError({"topic": _("Unknown topic.")})
    if council_area is None:
        TopicMapping.objects.filter(topic=topic).delete()
        return None
    mapping, _created = TopicMapping.objects.update_or_create(topic=topic, defaults={"council_area": council_area})
    return mapping


def case_check_schedulable(*, case, actor) -> None:
    """Whether the actor may put the case on a meeting's agenda now: PermissionDenied if their role
    never may, ValidationError if the case's status does not allow it (a closed or withdrawn case)."""
    _check("schedule", actor, case)


@transaction.atomic
def case_agenda_recorded(*, case, actor, meeting, now=None) -> CaseEvent:
    """The case side of putting it on a meeting's agenda (meetings.services puts it there, whichever
    page it is done from): the case's trail records it and the region and the coordination unit are
    told, in the same transaction as the agenda item."""
    now = _now(now)
    case = _lock(case)
    event = _event(case, actor=actor, action=A.AGENDA_ADDED, from_status=case.status, comment=str(meeting), now=now)
    _notify(event, _originators(case, timezone.localdate(now)) + _coordination(case))
    return event


def _same_step(old: dict, new: dict) -> bool:
    """The same step, whatever its labels say now (a meeting renamed after it was held)."""

    def facts(detail):
        return {name: value for name, value in (detail or {}).items() if not name.endswith("_label")}

    return facts(old) == facts(new)


@transaction.atomic
def case_meeting_step_record(
    *, case, actor, action: str, key: str, detail: dict, text: str = "", now=None
) -> CaseEvent | None:
    """The case side of what a meeting did with it (meetings.services: an outcome in the minutes, the
    reference group's input), in the same transaction: one timeline step per change. `key` names
    what is recorded (e.g. one agenda item's minutes); recording it again unchanged (the same detail
    and text as its latest step) adds nothing, and returns None. The coordination unit only."""
    _authorise(perms.is_adviser(actor))
    if action not in (A.MEETING_OUTCOME, A.REFERENCE_GROUP_INPUT):
        raise ValueError(f"Not a meeting step: {action}")
    now = _now(now)
    case = _lock(case)
    detail = {**detail, "key": key}
    latest = None
    for event in case.events.filter(action=action).order_by("-created_at", "-pk"):
        if (event.detail or {}).get("key") == key:
            latest = event
            break
    if latest is not None and _same_step(latest.detail, detail) and latest.comment == text:
        return None
    event = CaseEvent(
        case=case,
        actor=actor,
        actor_role=_actor_role(case, actor),
        action=action,
        from_status=case.status,
        to_status=case.status,
        visibility=Case.Visibility.SHARED,
        comment=text,
        detail=detail,
        created_at=now,
    )
    event.full_clean()
    event.save()
    return event


def digest_send(*, now=None) -> int:
    """Plan the advisers' daily digest: one message per adviser and day, whose counts of new, waiting
    and overdue cases are taken when it is sent (cases.renderers.render_digest)."""
    today = timezone.localdate(_now(now))
    planned = 0
    with transaction.atomic():
        for user in _adviser_users():
            message_enqueue(
                key=f"cases.digest.{today.isoformat()}.{user.pk}",
                kind=DIGEST_KIND,
                recipient=user,
                payload={"day": today.isoformat()},
            )
            planned += 1
    return planned


# --- exports ----------------------------------------------------------------------------------------

EXPORT_BUILD_TASK = "cases.case_export_build_task"  # cases/tasks.py; sent by name (tasks import services)


def _publish_export(export_id):
    from celery import current_app

    try:
        current_app.send_task(EXPORT_BUILD_TASK, args=[export_id])
    except Exception:  # broker down: the row is saved, the export sweep builds it later
        logger.warning("Broker unavailable; case export %s waits for the export sweep.", export_id)


def case_export_request(*, actor, query: str, now=None) -> CaseExport:
    """Plan an Excel export of the case list as `actor` filters it (`query`: the list's query string),
    built by a Celery job after commit; the job notifies the actor with a link only they can open."""
    export = CaseExport(owner=actor, query=query, created_at=_now(now))
    export.full_clean(exclude=["file"])
    with transaction.atomic():
        export.save()
        transaction.on_commit(partial(_publish_export, export.pk))
    return export


EXPORT_WAITS = datetime.timedelta(minutes=2)
# A build claims its export for longer than the build task may run (cases.tasks: 960 s), so neither the
# sweep nor a redelivered task starts a second build of an export that is being made; a claim older
# than this is a worker that died.
EXPORT_BUILD_CLAIM = datetime.timedelta(minutes=17)


def _unclaimed(now):
    return Q(started_at__isnull=True) | Q(started_at__lt=now - EXPORT_BUILD_CLAIM)


def case_export_sweep(*, now=None) -> int:
    """Build the exports still pending a while after they were asked for: their task was lost (the
    broker was down when it was asked) or the worker building them stopped. Run by beat every minute,
    so a Redis outage only delays an export. Returns how many were built."""
    now = _now(now)
    waiting = CaseExport.objects.filter(
        _unclaimed(now), state=CaseExport.State.PENDING, created_at__lte=now - EXPORT_WAITS
    )
    return sum(case_export_build(export_id=pk, now=now) is not None for pk in waiting.values_list("pk", flat=True))


def case_export_build(*, export_id, now=None) -> CaseExport | None:
    """Build a planned export: the cases its owner may see *now* through the stored filters, written
    to private storage, and the owner notified through the outbox. A second run (Celery delivers at
    least once) finds it no longer pending and does nothing."""
    import tempfile

    from django.core.files import File
    from django.http import QueryDict

    from .exports import write_xlsx
    from .filters import case_filter_for, filtered_cases

    export = CaseExport.objects.select_related("owner").filter(pk=export_id).first()
    if export is None or export.state != CaseExport.State.PENDING:
        return None
    started = _now(now)
    pending = CaseExport.objects.filter(_unclaimed(started), pk=export.pk, state=CaseExport.State.PENDING)
    if not pending.update(started_at=started):  # committed at once: others see the claim
        return None
    cases = filtered_cases(case_filter_for(user=export.owner, data=QueryDict(export.query)))
    with tempfile.TemporaryFile() as file:
        rows = write_xlsx(cases, file)
        file.seek(0)
        with transaction.atomic():
            locked = CaseExport.objects.select_for_update().filter(pk=export.pk, state=CaseExport.State.PENDING)
            if not locked.exists():
                return None
            # The portal's own output, not an upload: no upload checks (its size may pass their limit).
            export.file.save("saker.xlsx", File(file), save=False)
            export.rows = rows
            export.state = CaseExport.State.READY
            export.finished_at = _now(now)
            export.save(update_fields=["file", "rows", "state", "finished_at"])
            message_enqueue(
                key=f"cases.export.{export.pk}",
                kind=EXPORT_KIND,
                recipient=export.owner,
                payload={"export_id": export.pk},
            )
    return export


# --- screening (offentleglova) -------------------------------------------------------------------


@transaction.atomic
def case_screening_set(
    *,
    case,
    actor,
    access: str,
    legal_basis: str = "",
    legal_basis_text: str = "",
    title_screened: bool = False,
    screened_title: str = "",
    now=None,
) -> Case:
    """Set what the public may see of the case (cases.selectors.public_cases reads it): an adviser
    only; an exemption names its legal basis."""
    _authorise(perms.can_screen_case(actor, case))
    case = _lock(case)
    screening_apply(
        case,
        now=_now(now),
        access=access,
        legal_basis=legal_basis,
        legal_basis_text=legal_basis_text,
        title_screened=title_screened,
        screened_title=screened_title,
    )
    return case


@transaction.atomic
def attachment_screening_set(
    *,
    attachment,
    actor,
    access: str,
    legal_basis: str = "",
    legal_basis_text: str = "",
    title_screened: bool = False,
    screened_title: str = "",
    now=None,
) -> Attachment:
    """Set what the public may see of one attachment (not set: it follows its case): an adviser only."""
    _authorise(perms.can_screen_case(actor, attachment.case))
    attachment = Attachment.objects.select_for_update().get(pk=attachment.pk)
    screening_apply(
        attachment,
        now=_now(now),
        access=access,
        legal_basis=legal_basis,
        legal_basis_text=legal_basis_text,
        title_screened=title_screened,
        screened_title=screened_title,
    )
    return attachment


# --- topics (data advisers edit) --------------------------------------------------------------------


def _topic_name_taken(name: str, *, other_than=None) -> bool:
    """Whether another topic has the name (in any of its languages; the built-in ones by their labels)."""
    folded = name.casefold()
    builtin = {str(label).casefold() for label in Case.Topic.labels} | {
        row.name.casefold() for row in Topic.objects.filter(code__in=Case.Topic.values)
    }
    own = Topic.objects.exclude(code__in=Case.Topic.values).filter(Q(name__iexact=name) | Q(name_nn__iexact=name))
    if other_than is not None:
        own = own.exclude(pk=other_than.pk)
    return folded in builtin or own.exists()


def _topic_code(name: str) -> str:
    base = (slugify(name) or "tema")[:28].strip("-") or "tema"
    code, number = base, 2
    while Topic.objects.filter(code=code).exists() or code in Case.Topic.values:
        code, number = f"{base}-{number}", number + 1
    return code


@transaction.atomic
def topic_create(*, actor, name: str, name_nn: str = "", order: int = 100) -> Topic:
    """A new case topic, offered for new cases at once (its code is made from the name and never changes)."""
    _authorise(perms.can_manage_topic_mapping(actor))
    name, name_nn = name.strip(), name_nn.strip()
    if not name:
        raise ValidationError({"name": _("Give the topic a name.")})
    if _topic_name_taken(name):
        raise ValidationError({"name": _("A topic with this name already exists.")})
    topic = Topic(code=_topic_code(name), name=name, name_nn=name_nn, order=order)
    topic.full_clean()
    topic.save()
    topics_changed()
    return topic


@transaction.atomic
def topic_update(*, actor, topic: Topic, active: bool, order: int, name: str = "", name_nn: str = "") -> Topic:
    """Rename an adviser's own topic, reorder any topic, or stop offering it for new cases (the cases
    that have it keep it). A built-in topic keeps its translated name."""
    _authorise(perms.can_manage_topic_mapping(actor))
    topic = Topic.objects.select_for_update().get(pk=topic.pk)
    if not topic.builtin:
        name, name_nn = name.strip(), name_nn.strip()
        if not name:
            raise ValidationError({"name": _("Give the topic a name.")})
        if _topic_name_taken(name, other_than=topic):
            raise ValidationError({"name": _("A topic with this name already exists.")})
        topic.name, topic.name_nn = name, name_nn
    if not active and Topic.objects.filter(active=True).exclude(pk=topic.pk).count() == 0:
        raise ValidationError({"active": _("At least one topic must be offered for new cases.")})
    topic.active, topic.order = active, order
    topic.full_clean()
    topic.save(update_fields=["name", "name_nn", "active", "order"])
    topics_changed()
    return topic
