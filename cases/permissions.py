"""Who may see and do what with a case.

Visibility: advisers see every case. A region council leader (or the region's secretariat: "leads"
below means "acts for", regions.selectors.REGION_SIDE_ROLES) sees the cases of the regions they lead
now (drafts included), county → regions cases sent to those regions, and other regions' cases only when
shared; another region's internal case does not exist for them (404). Council-area staff see cases routed
to their areas and the cases their areas originate.

Anchoring: the origin region's leader and the advisers record it as before; a case may also belong to
other regions (cases.hooks.case_extra_regions: a theme group's member regions), whose leaders record the
anchoring of their own region's municipalities, and only of a case they may see (shared: another
region's internal case stays a 404 to them, so it is never theirs to anchor).

Each can_<verb>_case(user, case) answers "may this user take this step now": role and current status
together, so the page offers exactly the steps that a POST would accept.
"""

from django.db.models import Q

from accounts.permissions import is_adviser
from regions.selectors import council_area_ids_staffed_now, region_ids_led_now, scope_target_ids

from . import workflow
from .hooks import case_extra_regions
from .models import Case, RegionRequest, Routing

S = Case.Status


def county_case_filter(user) -> Q | None:
    """For an adviser with a county (regions.selectors.county_scope_for): the cases of their county's regions
    (from, or sent to, a region the county hosts or partners with today) and of its council areas; None for
    the national view. Like visible_case_filter, each part is a subquery on its own table (no join, so no
    case twice), on the ids of the scope's regions and areas read once per request; a cancelled request
    or routing still makes the case the county's (the coordination unit follows it up)."""
    targets = scope_target_ids(user=user)
    if targets is None:
        return None
    regions, areas = targets
    return (
        Q(origin_region_id__in=regions)
        | Q(pk__in=RegionRequest.objects.filter(region_id__in=regions).values("case_id"))
        | Q(origin_council_area_id__in=areas)
        | Q(pk__in=Routing.objects.filter(council_area_id__in=areas).values("case_id"))
    )


def visible_case_filter(user) -> Q | None:
    """The Q selecting the cases the user may see; None means every case."""
    if is_adviser(user):
        return county_case_filter(user)
    if not (user.is_authenticated and user.is_active):
        return Q(pk__in=[])
    led = sorted(region_ids_led_now(user=user))
    areas = sorted(council_area_ids_staffed_now(user=user))
    # Each part on one table with its own index, no join: the database combines them (a BitmapOr on
    # PostgreSQL) instead of joining every case to its requests and routings; and a request or
    # routing counts by its own state, not by whether the case has any cancelled one.
    q = Q(pk__in=[])
    if led:
        q |= Q(origin_region_id__in=led)
        q |= Q(
            direction=Case.Direction.COUNTY_TO_REGIONS,
            pk__in=RegionRequest.objects.filter(region_id__in=led)
            .exclude(state=RegionRequest.State.CANCELLED)
            .values("case_id"),
        )
        q |= Q(visibility=Case.Visibility.SHARED) & ~Q(status=S.DRAFT)
    if areas:
        q |= Q(
            pk__in=Routing.objects.filter(council_area_id__in=areas)
            .exclude(state=Routing.State.CANCELLED)
            .values("case_id")
        )
        q |= Q(origin_council_area_id__in=areas)
    return q


def leads_region_of(user, case) -> bool:
    """The user leads the case's origin region now."""
    return bool(case.origin_region_id) and case.origin_region_id in region_ids_led_now(user=user)


def staffs_origin_area_of(user, case) -> bool:
    return bool(case.origin_council_area_id) and case.origin_council_area_id in council_area_ids_staffed_now(user=user)


def is_originator(user, case) -> bool:
    """The user acts for the sender: the origin region's leader or the origin council area's staff."""
    if case.is_from_region:
        return leads_region_of(user, case)
    return staffs_origin_area_of(user, case)


def roles_on(user, case) -> set:
    """The user's relations to the case that the workflow table (cases.workflow) names."""
    roles = set()
    if is_adviser(user):
        roles.add(workflow.ADVISER)
    if acts_for_sender(user, case):
        roles.add(workflow.SENDER)
    if is_originator(user, case):
        roles.add(workflow.ORIGINATOR)
    if leads_region_of(user, case):
        roles.add(workflow.REGION_LEADER)
    return roles


def may(step: str, user, case) -> bool:
    """The user may take the workflow step on the case now (cases.workflow.STEPS)."""
    return workflow.allows(step, roles_on(user, case), case)


def may_ever(step: str, user, case) -> bool:
    """The step is the user's to take on this case in some status: a refusal now is about the status."""
    return workflow.allows_in_some_status(step, roles_on(user, case), case)


def can_view_case(user, case) -> bool:
    """The user may see the case (the same rule as selectors.case_list_visible_to)."""
    q = visible_case_filter(user)
    if q is None:
        return True
    return Case.objects.filter(q, pk=case.pk).exists()


def can_create_case(user) -> bool:
    """Advisers, region leaders with a current appointment and council-area staff create drafts."""
    if is_adviser(user):
        return True
    return bool(region_ids_led_now(user=user) or council_area_ids_staffed_now(user=user))


def acts_for_sender(user, case) -> bool:
    """The user does the sender's own work on the case: the origin region's leader or the origin
    council area's staff, or the adviser who wrote the draft themselves."""
    return is_originator(user, case) or (is_adviser(user) and case.created_by_id == user.pk)


def can_edit_case(user, case) -> bool:
    """The sender edits their draft or a case returned to them; once it is with the coordination unit,
    advisers edit it while it is open. An adviser does not edit a region's draft (it is the region's
    work until it is submitted)."""
    return may("edit", user, case)


def can_submit_case(user, case) -> bool:
    return may("submit", user, case)


def can_receive_case(user, case) -> bool:
    return may("receive", user, case)


def can_assign_case(user, case) -> bool:
    return may("assign", user, case)


def can_flag_case(user, case) -> bool:
    return may("flag", user, case)


def can_route_case(user, case) -> bool:
    return may("route", user, case)


def can_send_to_regions_case(user, case) -> bool:
    return may("send-to-regions", user, case)


def can_return_case(user, case) -> bool:
    return may("return", user, case)


def can_send_answer_case(user, case) -> bool:
    return may("send-answer", user, case)


def can_close_case(user, case) -> bool:
    return may("close", user, case)


def can_withdraw_case(user, case) -> bool:
    """The sender withdraws; an adviser may too, for a submitted case, as an explicit choice recorded
    as done on the sender's behalf (see withdraws_on_behalf)."""
    return may("withdraw", user, case)


def withdraws_on_behalf(user, case) -> bool:
    """An adviser withdrawing a case someone else sent: allowed, but only as an explicit, logged choice."""
    return not acts_for_sender(user, case)


def can_add_attachment_case(user, case) -> bool:
    return may("attach", user, case)


def can_record_anchoring_case(user, case) -> bool:
    """Anchoring belongs to a region's case: its leader or an adviser records it while it is not final, and
    so does the leader of another region the case belongs to, for that region's municipalities."""
    return may("anchor", user, case) or bool(member_region_ids_for_anchoring(user, case))


def member_region_ids_for_anchoring(user, case, *, any_status=False, extra_region_ids=None) -> set:
    """The regions the case belongs to besides its origin (cases.hooks.case_extra_regions, or
    `extra_region_ids` where the caller has read them) that the user acts for now, if the case is theirs to
    anchor (workflow's member region leader; in some status with any_status). The case must be one they
    see: for a leader of another region a case from a region is visible only when shared and submitted
    (visible_case_filter), so an internal case is never anchored by another region. No query for a user
    who leads no region but the origin."""
    if not case.origin_region_id or case.visibility != Case.Visibility.SHARED or case.status == S.DRAFT:
        return set()
    allowed = workflow.allows_in_some_status if any_status else workflow.allows
    if not allowed("anchor", {workflow.MEMBER_REGION_LEADER}, case):
        return set()
    led = set(region_ids_led_now(user=user)) - {case.origin_region_id}
    if not led:
        return set()
    extra = case_extra_regions.region_ids(case) if extra_region_ids is None else set(extra_region_ids)
    return led & set(extra)


def anchoring_region_ids(user, case, *, extra_region_ids=None) -> set:
    """The regions whose member municipalities the user may record (and remove) anchoring for on the case
    now: an adviser the origin region and every other region the case belongs to; the origin region's
    leader their region, as before; a member region's leader their own member region only (never another
    region's municipalities). Empty when the step is not theirs now."""
    regions = set()
    if may("anchor", user, case):
        if is_adviser(user):
            extra = case_extra_regions.region_ids(case) if extra_region_ids is None else extra_region_ids
            regions |= {case.origin_region_id, *extra}
        elif leads_region_of(user, case):
            regions.add(case.origin_region_id)
    regions |= member_region_ids_for_anchoring(user, case, extra_region_ids=extra_region_ids)
    regions.discard(None)
    return regions


def can_schedule_case(user, case) -> bool:
    """Put the case on a meeting of its region: advisers, or the region's leader."""
    return bool(case.origin_region_id) and may("schedule", user, case)


def can_acknowledge_routing(user, routing) -> bool:
    if routing.state != Routing.State.PENDING or routing.case.status != S.ROUTED:
        return False
    return is_adviser(user) or routing.council_area_id in council_area_ids_staffed_now(user=user)


def staffs_area_of(user, routing) -> bool:
    return routing.council_area_id in council_area_ids_staffed_now(user=user)


def leads_region_asked(user, request_) -> bool:
    return request_.region_id in region_ids_led_now(user=user)


def can_answer_routing(user, routing) -> bool:
    """The council area's staff answer; an adviser may register the answer on the area's behalf, as an
    explicit, logged choice."""
    if not routing.is_waiting or routing.case.status != S.ROUTED:
        return False
    return is_adviser(user) or staffs_area_of(user, routing)


def can_answer_region_request(user, request_) -> bool:
    """The region's leader answers; an adviser may register the answer on the region's behalf, as an
    explicit, logged choice."""
    if request_.state != RegionRequest.State.PENDING or request_.case.status != S.ROUTED:
        return False
    return is_adviser(user) or leads_region_asked(user, request_)


def can_manage_topic_mapping(user) -> bool:
    return is_adviser(user)


def can_view_inbox(user) -> bool:
    return is_adviser(user)


def can_screen_case(user, case) -> bool:
    """Advisers (the coordination unit, which keeps the journal) decide what the public may see of a
    case and its attachments; everyone who sees the case sees the decision."""
    return is_adviser(user)
