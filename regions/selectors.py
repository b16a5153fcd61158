"""Reads of the registry, always "as of" a date (default: today in Europe/Oslo)."""

import csv
import datetime
import functools
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Value,
    When,
    prefetch_related_objects,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from core.aggregates import IdList, ids_from
from core.fragments import kept_value
from core.memo import request_memo, request_memo_peek, request_memo_seed
from notifications.selectors import UNREAD_MEMO_KEY, unread_notifications_of

from .hooks import region_annotations
from .maps import NON_MEMBER, build_map, outline_number_for, pattern_id, region_colour
from .models import (
    TERM_SLOTS,
    Appointment,
    CouncilArea,
    County,
    ElectionTerm,
    Malform,
    Municipality,
    Person,
    Region,
    RegionCounty,
    RegionMembership,
    RegionName,
    RegionOrganisationModel,
    TermException,
    term_slot_label,
    term_slot_of,
)


def _today():
    return timezone.localdate()


# The one rule for acting for a region: a person acts for a region (submits and follows its cases,
# proposes agenda items, comments on its special part) while they hold a current appointment for it as
# its council leader or as its secretariat. Every "led" below (region_list_led_by, region_ids_led_now,
# region_list_led_now) means "acts for" in this sense; the rights end with the appointment.
REGION_SIDE_ROLES = [Appointment.Role.REGION_COUNCIL_LEADER, Appointment.Role.REGION_SECRETARIAT]


def region_list_led_by(*, user, on=None):
    """The regions the user acts for on the date, through a current leader or secretariat appointment."""
    if not user.is_authenticated or not user.is_active:
        return Region.objects.none()
    day = on or _today()
    appointments = Appointment.objects.valid_on(day).filter(role__in=REGION_SIDE_ROLES, person__user=user)
    return Region.objects.filter(pk__in=appointments.values("region_id")).order_by("name")


POSTS_MEMO_KEY = "regions.current_posts"


def _current_posts(user):
    """(regions led, council areas staffed) today, each by name, from one query on the user's current
    appointments; kept for the rest of the request (core.memo)."""

    def load():
        appointments = (
            Appointment.objects.valid_on(_today())
            .filter(
                role__in=[*REGION_SIDE_ROLES, Appointment.Role.COUNCIL_AREA_STAFF],
                person__user=user,
            )
            .select_related("region", "council_area")
        )
        regions, areas = {}, {}
        for appointment in appointments:
            if appointment.role in REGION_SIDE_ROLES and appointment.region_id:
                regions[appointment.region_id] = appointment.region
            elif appointment.role == Appointment.Role.COUNCIL_AREA_STAFF and appointment.council_area_id:
                areas[appointment.council_area_id] = appointment.council_area
        by_name = lambda item: (item.name, item.pk)  # noqa: E731 (the order of region_list_led_by)
        return sorted(regions.values(), key=by_name), sorted(areas.values(), key=by_name)

    if not user.is_authenticated or not user.is_active:
        return [], []
    return request_memo(user, POSTS_MEMO_KEY, load)


def _may_have_county_scope(user) -> bool:
    """Whether county_scope_for can give the user a county (the roles and flags it looks at)."""
    roles = get_user_model().Role
    return not (user.is_superuser or user.national_view) and user.role in (roles.ADVISER, roles.COUNCIL_AREA_STAFF)


def _scope_target_columns(user_id, day) -> dict:
    """Subqueries giving the ids of the regions and council areas of the user's county scope (as
    county_scope_for and scope_target_ids read them), for the user's posts query."""
    current = Appointment.objects.valid_on(day).filter(person__user_id=user_id)
    counties = County.objects.filter(
        Q(pk__in=current.filter(role=Appointment.Role.COORDINATION_ADVISER).values("county_id"))
        | Q(pk__in=current.filter(role=Appointment.Role.COUNCIL_AREA_STAFF).values("council_area__county_id"))
    ).values("pk")

    def id_list(queryset):
        grouped = queryset.order_by().annotate(one=Value(1)).values("one").annotate(ids=IdList("pk"))
        return Subquery(grouped.values("ids")[:1])

    return {
        "scope_regions": id_list(Region.objects.filter(region_q_for_counties(counties, on=day))),
        "scope_areas": id_list(CouncilArea.objects.filter(county_id__in=counties)),
    }


# The posts query is the same for every user but for their id: compiled once per process, day and kind
# of user (Django takes longer to compile its dozen subqueries than the database to run them), then run
# with the user's id in place of the stand-in.
_POSTS_SQL: dict = {}
_STAND_IN_USER_ID = -7_000_001


def _posts_queryset(user_id, day, scoped):
    def ids_of(role, column):
        roles = role if isinstance(role, list) else [role]
        current = Appointment.objects.valid_on(day).filter(role__in=roles, person__user=OuterRef("pk"))
        return Subquery(current.order_by().values("person__user").annotate(ids=IdList(column)).values("ids")[:1])

    unread = unread_notifications_of(OuterRef("pk")).order_by().values("user").annotate(n=Count("pk")).values("n")
    targets = _scope_target_columns(user_id, day) if scoped else {}
    return (
        get_user_model()
        .objects.filter(pk=user_id)
        .annotate(
            led=ids_of(REGION_SIDE_ROLES, "region_id"),
            staffed=ids_of(Appointment.Role.COUNCIL_AREA_STAFF, "council_area_id"),
            advised=ids_of(Appointment.Role.COORDINATION_ADVISER, "county_id"),
            staffed_counties=ids_of(Appointment.Role.COUNCIL_AREA_STAFF, "council_area__county_id"),
            unread=Coalesce(Subquery(unread[:1]), 0),
            person_pk=Subquery(Person.objects.filter(user_id=OuterRef("pk")).values("pk")[:1]),
            **targets,
        )
        .order_by()
        .values_list("led", "staffed", "advised", "staffed_counties", "unread", "person_pk", *targets)
    )


def _posts_row(user_id, day, scoped):
    """(led, staffed, advised, staffed counties, unread, person id[, scope regions, scope areas]) or None."""
    key = (connection.alias, connection.vendor, day, scoped)
    compiled = _POSTS_SQL.get(key)
    if compiled is None:
        if len(_POSTS_SQL) > 16:  # days gone by
            _POSTS_SQL.clear()
        compiled = _POSTS_SQL[key] = _posts_queryset(_STAND_IN_USER_ID, day, scoped).query.sql_with_params()
    sql, params = compiled
    with connection.cursor() as cursor:
        cursor.execute(sql, [user_id if value == _STAND_IN_USER_ID else value for value in params])
        return cursor.fetchone()


def _posts_row_kept(user_id, day, scoped):
    """The posts row, kept in the shared cache between one person's requests under the data's generation
    (core/fragments.py: any change of an appointment, a person or a notification moves it on) and the
    day. Read afresh inside a transaction, which may have changed them before the generation moves."""
    if connection.in_atomic_block:
        return _posts_row(user_id, day, scoped)
    return kept_value("posts", (user_id, day, scoped), lambda: _posts_row(user_id, day, scoped))


def _current_post_ids(user):
    """(ids of the regions the user leads today, ids of the council areas they work for today), read in
    one query together with their unread-notification count (which the page header shows), or taken
    from the posts already read; kept for the request."""
    if not user.is_authenticated or not user.is_active:
        return set(), set()
    posts = request_memo_peek(user, POSTS_MEMO_KEY)
    if posts is not None:
        return {region.pk for region in posts[0]}, {area.pk for area in posts[1]}

    def load():
        day = _today()
        # For whoever may work within a county, the scope's regions and council areas in the same query
        # (scope_target_ids), so that a page filtering by them spends no query of its own on it.
        scoped = _may_have_county_scope(user)
        row = _posts_row_kept(user.pk, day, scoped)
        led, staffed, advised, staffed_counties, unread_count, person, *target_ids = row or (None,) * 4 + (0, None)
        request_memo_seed(user, UNREAD_MEMO_KEY, unread_count)
        request_memo_seed(user, PERSON_MEMO_KEY, person or 0)  # 0: read, and no person
        scope = ids_from(advised) | ids_from(staffed_counties)
        request_memo_seed(user, SCOPE_MEMO_KEY, scope)
        if scoped and scope and target_ids:
            request_memo_seed(user, SCOPE_TARGETS_MEMO_KEY, tuple(sorted(ids_from(ids)) for ids in target_ids))
        return ids_from(led), ids_from(staffed)

    return request_memo(user, "regions.current_post_ids", load)


SCOPE_MEMO_KEY = "regions.county_scope"
PERSON_MEMO_KEY = "regions.person_id"


def person_id_of(*, user):
    """The id of the user's registry person (None without one), read with the user's posts and kept
    for the request: a literal id lets the database use what it knows of that person's rows."""
    if not user.is_authenticated:
        return None
    _current_post_ids(user)
    known = request_memo_peek(user, PERSON_MEMO_KEY)
    if known is not None:
        return known or None
    return request_memo(
        user, PERSON_MEMO_KEY + ".loaded", lambda: Person.objects.filter(user=user).values_list("pk", flat=True).first()
    )


def county_scope_for(*, user):
    """The ids of the counties whose regions an adviser or council-area staff member works with (a frozenset),
    or None for the national view: administrators, people given national_view, everyone else (the
    registry itself is public), and an adviser with no county appointment. An adviser's county comes from
    their current coordination-adviser appointment for a county, staff's from their council areas'
    counties. Read with the user's posts in one query (_current_post_ids) and kept for the request."""
    if not user.is_authenticated or not user.is_active or user.is_superuser or user.national_view:
        return None
    roles = get_user_model().Role
    if user.role not in (roles.ADVISER, roles.COUNCIL_AREA_STAFF):
        return None

    def load():
        _current_post_ids(user)  # seeds the scope when it reads the posts
        scope = request_memo_peek(user, SCOPE_MEMO_KEY)
        if scope is not None:
            return scope
        current = Appointment.objects.valid_on(_today()).filter(person__user=user)
        advised = current.filter(role=Appointment.Role.COORDINATION_ADVISER).values("county_id")
        staffed = current.filter(role=Appointment.Role.COUNCIL_AREA_STAFF).values("council_area__county_id")
        return set(County.objects.filter(Q(pk__in=advised) | Q(pk__in=staffed)).values_list("pk", flat=True))

    scope = request_memo(user, SCOPE_MEMO_KEY + ".resolved", load)
    return frozenset(scope) if scope else None


def region_list_in_scope(*, user, on=None):
    """The regions that exist on the date and that the user's county scope covers (host or partner county,
    so a region shared by two counties is seen by both); every region for the national view."""
    day = on or _today()
    regions = Region.objects.valid_on(day)
    scope = county_scope_for(user=user)
    if scope is not None:
        regions = regions.filter(region_q_for_counties(sorted(scope), on=day))
    return regions.order_by("name")


def council_area_list_in_scope(*, user, on=None):
    """The council areas that exist on the date in the user's county scope (county_scope_for); every
    current one for the national view."""
    areas = CouncilArea.objects.valid_on(on or _today())
    scope = county_scope_for(user=user)
    return areas if scope is None else areas.filter(county_id__in=sorted(scope))


def region_list_led_now(*, user):
    """The regions the user acts for today (a list, by name): region_list_led_by for today, loaded once per
    request together with council_area_list_staffed_now."""
    return _current_posts(user)[0]


def region_ids_led_now(*, user):
    """The ids of the regions the user acts for today (leader or secretariat: REGION_SIDE_ROLES)."""
    return _current_post_ids(user)[0]


def council_area_list_staffed_now(*, user):
    """The council areas the user works for today (a list, by name), loaded once per request."""
    return _current_posts(user)[1]


def council_area_ids_staffed_now(*, user):
    """The ids of the council areas the user works for today."""
    return _current_post_ids(user)[1]


def role_acted_in(*, user, region_ids=(), council_area_ids=()) -> str:
    """The role the user acts in for an act concerning the regions or council areas, recorded with the
    act: their current appointment's role for one of the regions (leader before secretariat), else
    council-area staff for one of the areas, else adviser or administrator, else "". One query at most,
    and only for a region-side act."""
    if not user.is_authenticated:
        return ""
    region_ids = {pk for pk in region_ids if pk} & set(region_ids_led_now(user=user))
    if region_ids:
        roles = set(
            Appointment.objects.valid_on(_today())
            .filter(role__in=REGION_SIDE_ROLES, person__user=user, region_id__in=sorted(region_ids))
            .values_list("role", flat=True)
        )
        for role in REGION_SIDE_ROLES:
            if role in roles:
                return role
    if {pk for pk in council_area_ids if pk} & set(council_area_ids_staffed_now(user=user)):
        return Appointment.Role.COUNCIL_AREA_STAFF
    roles = get_user_model().Role
    if user.role == roles.ADVISER:
        return roles.ADVISER
    if user.is_superuser or user.role == roles.ADMIN:
        return roles.ADMIN
    return ""


def council_area_list_staffed_by(*, user, on=None):
    """The council areas the user works for on the date, through a current council-area-staff appointment."""
    if not user.is_authenticated or not user.is_active:
        return CouncilArea.objects.none()
    day = on or _today()
    appointments = Appointment.objects.valid_on(day).filter(role=Appointment.Role.COUNCIL_AREA_STAFF, person__user=user)
    return CouncilArea.objects.filter(pk__in=appointments.values("council_area_id")).order_by("name")


# --- the registry as of a date ------------------------------------------------------------------


def county_list_on(*, on=None):
    """The counties that exist on the date, by number."""
    day = on or _today()
    return County.objects.valid_on(day).order_by("number")


SCOPE_TARGETS_MEMO_KEY = "regions.scope_targets"


def scope_target_ids(*, user) -> tuple[list, list] | None:
    """For a user with a county scope (county_scope_for): the ids of the regions the scope covers today
    and of its counties' council areas (every period), as two sorted lists read in one query and kept
    for the request; None for the national view. Lists of ids, not subqueries, so that a filter on
    a large table (cases) is planned on its own index with the number of ids known."""
    scope = county_scope_for(user=user)
    if scope is None:
        return None

    def load():
        counties = sorted(scope)
        regions = Region.objects.filter(region_q_for_counties(counties, on=_today())).annotate(
            kind=Value("region", output_field=CharField())
        )
        areas = CouncilArea.objects.filter(county_id__in=counties).annotate(
            kind=Value("area", output_field=CharField())
        )
        rows = regions.order_by().values_list("kind", "pk").union(areas.order_by().values_list("kind", "pk"), all=True)
        found = {"region": [], "area": []}
        for kind, pk in rows:
            found[kind].append(pk)
        return sorted(found["region"]), sorted(found["area"])

    return request_memo(user, SCOPE_TARGETS_MEMO_KEY, load)


def county_ids_of_regions(region_ids, *, on=None) -> set:
    """The counties hosting or partnering with any of the regions on the date (the undated host and
    partner counties for a region with no dated link): whose advisers a region's case concerns."""
    day = on or _today()
    region_ids = list(region_ids)
    dated = set(RegionCounty.objects.valid_on(day).filter(region_id__in=region_ids).values_list("county_id", flat=True))
    undated = Region.objects.filter(pk__in=region_ids).exclude(county_links__isnull=False)
    dated |= set(undated.values_list("host_county_id", flat=True))
    dated |= set(Region.partner_counties.through.objects.filter(region__in=undated).values_list("county_id", flat=True))
    return dated - {None}


def adviser_user_ids_by_county(*, on=None) -> dict:
    """{user id: set of county ids} for the advisers with a current coordination-adviser appointment
    for a county; an adviser not in it works nationally (county_scope_for)."""
    day = on or _today()
    rows = Appointment.objects.valid_on(day).filter(
        role=Appointment.Role.COORDINATION_ADVISER, county__isnull=False, person__user__isnull=False
    )
    counties = {}
    for user_id, county_id in rows.values_list("person__user_id", "county_id"):
        counties.setdefault(user_id, set()).add(county_id)
    return counties


def region_q_for_counties(county_ids, *, on) -> Q:
    """A filter for Region querysets: the regions hosted by or partnering with one of the counties on
    the date. A region's dated county links (RegionCounty) decide; a region with none falls back on
    its undated host_county and partner_counties."""
    links = RegionCounty.objects.filter(region_id=OuterRef("pk"))
    dated = Exists(links.valid_on(on).filter(county_id__in=county_ids))
    partners = Region.partner_counties.through.objects.filter(region_id=OuterRef("pk"), county_id__in=county_ids)
    return dated | (~Exists(links) & (Q(host_county_id__in=county_ids) | Exists(partners)))


def county_links_prefetch():
    """Prefetch for Region querysets that read region_counties_on for many regions without a query per row."""
    return Prefetch("county_links", queryset=RegionCounty.objects.select_related("county").order_by("role", "pk"))


def region_counties_on(*, region, on=None) -> list:
    """The region's counties on the date, host county first (then partners by number). Uses the region's
    prefetched county_links when present (county_links_prefetch); without any dated link, the undated
    host_county and partner_counties."""
    day = on or _today()
    links = list(region.county_links.all())
    if not links:
        partners = sorted(
            (c for c in region.partner_counties.all() if c.pk != region.host_county_id), key=lambda c: c.number
        )
        return [region.host_county, *partners]
    current = [link for link in links if holds_on(link, day)]
    hosts = [link.county for link in current if link.role == RegionCounty.Role.HOST]
    partners = sorted(
        {link.county.pk: link.county for link in current if link.role == RegionCounty.Role.PARTNER}.values(),
        key=lambda c: c.number,
    )
    return [*hosts, *(c for c in partners if c not in hosts)]


def region_host_county_on(*, region, on=None):
    """The region's host county on the date (None when it has none then, e.g. a Viken region after 2024
    with no successor host recorded)."""
    day = on or _today()
    links = list(region.county_links.all())
    if not links:
        return region.host_county
    return next((link.county for link in links if link.role == RegionCounty.Role.HOST and holds_on(link, day)), None)


def region_county_history(*, region) -> list:
    """Every county link of the region, oldest first (the host and partner counties over time)."""
    return list(region.county_links.select_related("county").order_by("valid_from", "role", "county__number"))


def county_choices_on(*, on=None) -> list:
    """county_list_on as a list, each county marked has_partner_regions (one query, for the overview's
    county choice and its default)."""
    day = on or _today()
    dated = RegionCounty.objects.valid_on(day).filter(county_id=OuterRef("pk"))
    undated = Region.partner_counties.through.objects.filter(county_id=OuterRef("pk")).exclude(
        region__county_links__isnull=False
    )
    return list(county_list_on(on=day).annotate(has_partner_regions=Exists(dated) | Exists(undated)))


def county_get_default(*, on=None, counties=None):
    """The county the overview opens with: Viken while it existed, else the first county with regions
    (counties: county_choices_on for the date, when already read)."""
    counties = county_choices_on(on=on) if counties is None else counties
    with_regions = [county for county in counties if county.has_partner_regions]
    viken = [county for county in with_regions if county.number == "30"]
    return next(iter(viken or with_regions or counties), None)


def region_list_for_county(*, county, on=None):
    """The regions that exist on the date and partner with the county on that date (host or partner county)."""
    day = on or _today()
    return (
        Region.objects.valid_on(day)
        .filter(region_q_for_counties([county.pk], on=day))
        .select_related("host_county")
        .order_by("name")
    )


def membership_list_for_region(*, region, on=None):
    """The memberships of the region that hold on the date, with municipality and county."""
    day = on or _today()
    return (
        RegionMembership.objects.valid_on(day)
        .filter(region=region)
        .select_related("municipality__county")
        .order_by("municipality__number")
    )


def municipality_list_in_region(*, region, on=None):
    """The member municipalities of the region on the date."""
    day = on or _today()
    return (
        Municipality.objects.filter(pk__in=membership_list_for_region(region=region, on=day).values("municipality_id"))
        .select_related("county")
        .order_by("number")
    )


def region_list_for_municipality(*, municipality, on=None):
    """The regions the municipality belongs to on the date (a municipality can be in two)."""
    day = on or _today()
    memberships = RegionMembership.objects.valid_on(day).filter(municipality=municipality)
    return Region.objects.filter(pk__in=memberships.values("region_id")).order_by("name")


def municipality_list_for_county(*, county, on=None):
    """The municipalities of the county on the date."""
    day = on or _today()
    return Municipality.objects.valid_on(day).filter(county=county).select_related("county").order_by("number")


def membership_history_for_region(*, region):
    """Every membership of the region, oldest first: the history of joins and departures."""
    return (
        RegionMembership.objects.filter(region=region)
        .select_related("municipality__county", "region")
        .order_by("valid_from", "municipality__number")
    )


def membership_history_for_municipality(*, municipality):
    """Every membership of the municipality, oldest first."""
    return (
        RegionMembership.objects.filter(municipality=municipality)
        .select_related("region", "municipality")
        .order_by("valid_from")
    )


REPRESENTATIVE_ROLES = [
    Appointment.Role.COUNTY_COUNCIL_REPRESENTATIVE,
    Appointment.Role.COUNTY_COUNCILLOR,
    Appointment.Role.ADMINISTRATIVE_PARTICIPANT,
]


def appointment_list_representing(*, region, on=None):
    """Who represents the county in the region on the date: the county council representatives
    (position first), the county councillor and the administrative participants."""
    day = on or _today()
    order = Case(
        *(When(role=role, then=Value(i)) for i, role in enumerate(REPRESENTATIVE_ROLES)),
        output_field=IntegerField(),
    )
    return (
        Appointment.objects.valid_on(day)
        .filter(region=region, role__in=REPRESENTATIVE_ROLES)
        .select_related("person")
        .annotate(role_order=order)
        .order_by("role_order", "-side", "person__name")
    )


def appointment_list_leading(*, region, on=None):
    """The region council leader(s) of the region on the date."""
    day = on or _today()
    return (
        Appointment.objects.valid_on(day)
        .filter(region=region, role=Appointment.Role.REGION_COUNCIL_LEADER)
        .select_related("person__user")
        .order_by("person__name")
    )


def holds_on(row, day) -> bool:
    """The row's half-open period [valid_from, valid_to) contains the day (PeriodQuerySet.valid_on in Python)."""
    return (row.valid_from is None or row.valid_from <= day) and (row.valid_to is None or row.valid_to > day)


def membership_list_on(history, *, on):
    """The memberships of a region's history (membership_history_for_region) that hold on the date, by
    municipality number: membership_list_for_region without another query."""
    return sorted((m for m in history if holds_on(m, on)), key=lambda m: m.municipality.number)


def appointment_overview_for_region(*, region, on=None) -> dict:
    """The region page's three lists of appointments from one query: "representatives" and "leaders" as
    appointment_list_representing and appointment_list_leading give them for the date, and "all" as
    appointment_list_for_region (newest first)."""
    day = on or _today()
    # By name from the database (its collation), then stable sorts on keys that are not text to sort.
    every = list(Appointment.objects.filter(region=region).select_related("person__user").order_by("person__name"))
    current = [a for a in every if holds_on(a, day)]
    order = {role: i for i, role in enumerate(REPRESENTATIVE_ROLES)}
    representatives = sorted(
        sorted((a for a in current if a.role in order), key=lambda a: a.side, reverse=True),
        key=lambda a: order[a.role],
    )
    leaders = [a for a in current if a.role == Appointment.Role.REGION_COUNCIL_LEADER]
    newest_first = sorted(sorted(every, key=lambda a: a.role), key=lambda a: a.valid_from, reverse=True)
    return {"representatives": representatives, "leaders": leaders, "all": newest_first}


def appointment_list_for_region(*, region):
    """Every appointment for the region, newest first (for the history on the region page)."""
    return Appointment.objects.filter(region=region).select_related("person").order_by("-valid_from", "role")


def council_area_list(*, county=None, on=None):
    """Council areas with their councillors; only those valid on the date when one is given."""
    areas = CouncilArea.objects.select_related("county", "councillor").order_by("county__number", "name", "valid_from")
    if county is not None:
        areas = areas.filter(county=county)
    if on is not None:
        areas = areas.valid_on(on)
    return areas


def region_get(*, slug):
    """The region with the slug, or 404 (the registry is readable by every logged-in user), with what
    apps above add to its page's read (regions.hooks.region_annotations)."""
    return get_object_or_404(
        Region.objects.select_related("host_county")
        .prefetch_related(county_links_prefetch())
        .annotate(**region_annotations.expressions()),
        slug=slug,
    )


def municipality_get(*, pk):
    return get_object_or_404(Municipality.objects.select_related("county"), pk=pk)


def county_get(*, pk):
    return get_object_or_404(County, pk=pk)


def council_area_get(*, pk):
    return get_object_or_404(CouncilArea.objects.select_related("county", "councillor"), pk=pk)


def _get_or_404(queryset, **lookup):
    """The object, or Http404 for a missing one and for an id that is not a number."""
    try:
        return queryset.get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def membership_get(*, pk):
    return _get_or_404(RegionMembership.objects.select_related("region", "municipality"), pk=pk)


def appointment_get(*, pk):
    return _get_or_404(Appointment.objects.select_related("person", "region", "council_area"), pk=pk)


def county_overview(*, county, on=None):
    """The county on the date: its regions (each with a map colour and its members) and one row
    per municipality to show, the county's own and the other counties' members of its regions,
    with the regions it belongs to and its fill on the map."""
    day = on or _today()
    # The county's partner regions, and any other region one of its municipalities belongs to
    # (Notodden makes Kongsbergregionen part of Vestfold og Telemark's picture).
    current = RegionMembership.objects.valid_on(day)
    regions = list(
        Region.objects.filter(
            Q(pk__in=region_list_for_county(county=county, on=day).values("pk"))
            | Q(pk__in=current.filter(municipality__county=county).values("region_id"))
        )
        .order_by("name")
        .prefetch_related("organisation_models")
    )
    colours = {region.pk: region_colour(i) for i, region in enumerate(regions)}
    memberships = list(
        current.filter(region__in=regions).select_related("region", "municipality__county").order_by("region__name")
    )
    municipalities = {m.pk: m for m in municipality_list_for_county(county=county, on=day)}
    by_municipality = {}
    region_members = {region.pk: [] for region in regions}
    for membership in memberships:
        municipalities.setdefault(membership.municipality_id, membership.municipality)
        by_municipality.setdefault(membership.municipality_id, []).append(membership)
        if membership.region_id in region_members:
            region_members[membership.region_id].append(membership)
    prefetch_related_objects(list(municipalities.values()), "predecessors__predecessors")
    outline_of = {m.pk: outline_number_for(m) for m in municipalities.values()}
    rows = []
    for municipality in sorted(municipalities.values(), key=lambda m: m.number):
        member_of = by_municipality.get(municipality.pk, [])
        row_colours = [colours.get(m.region_id, NON_MEMBER) for m in member_of]
        pattern = pattern_id(row_colours) if len(row_colours) > 1 else ""
        fill = f"url(#{pattern})" if pattern else (row_colours[0] if row_colours else NON_MEMBER)
        names = ", ".join(m.region.name for m in member_of)
        rows.append(
            {
                "municipality": municipality,
                "memberships": member_of,
                "colours": row_colours,
                "pattern": pattern,
                "fill": fill,
                "outline": outline_of.get(municipality.pk),
                "in_county": municipality.county_id == county.pk,
                "title": f"{municipality.number} {municipality.name}: {names}" if names else str(municipality),
            }
        )
    recorded_from = membership_recorded_from(county=county)
    return {
        "county": county,
        "day": day,
        "recorded_from": recorded_from,
        "not_recorded": recorded_from is None or day < recorded_from,
        "regions": [
            {
                "region": region,
                "colour": colours[region.pk],
                "members": sorted(region_members[region.pk], key=lambda m: m.municipality.number),
                "model": Region.OrganisationalModel(
                    organisation_model_on(region=region, on=day, history=list(region.organisation_models.all()))[0]
                ).label,
            }
            for region in regions
        ],
        "rows": rows,
        "map": build_map(rows),
    }


def region_malform_from_members(*, region, on=None, memberships=None):
    """The language form a region's members give it (the rule written down in docs/apps/regions.md):
    nynorsk when every member that records a language form records nynorsk, bokmål when every one
    records bokmål, neutral for a mix or neutral members, blank when no member records one. The
    members are those on the date (default today, or the region's last day if it has ended)."""
    day = on or _today()
    if region.valid_to and region.valid_to <= day:
        day = region.valid_to - datetime.timedelta(days=1)
    if memberships is not None:  # already read, with their municipalities (the region page)
        forms = {m.municipality.malform for m in memberships if holds_on(m, day) and m.municipality.malform}
    else:
        forms = set(
            RegionMembership.objects.valid_on(day)
            .filter(region=region)
            .exclude(municipality__malform="")
            .values_list("municipality__malform", flat=True)
        )
    if not forms:
        return ""
    if len(forms) == 1:
        return forms.pop()
    return Malform.NEUTRAL


NYNORSK_LANGUAGE = "nn"


def region_message_language(*, region):
    """The language for what the county sends to the region, for people without their own choice:
    nynorsk when the region's official language form is nynorsk, else "" (the portal's default)."""
    return NYNORSK_LANGUAGE if region is not None and region.malform == Malform.NYNORSK else ""


def user_ids_for_nynorsk_regions(*, user_ids, region_ids, on=None):
    """Of the users, those who act for one of the regions (leader or secretariat on the date) whose
    official language form is nynorsk: what the county sends them is written in nynorsk unless they
    chose a language themselves. One query."""
    if not user_ids or not region_ids:
        return set()
    rows = Appointment.objects.valid_on(on or _today()).filter(
        role__in=REGION_SIDE_ROLES,
        region_id__in=region_ids,
        region__malform=Malform.NYNORSK,
        person__user_id__in=user_ids,
    )
    return set(rows.values_list("person__user_id", flat=True))


def region_names_for_region(*, region):
    """The region's dated official names, oldest first (empty when only its name is known)."""
    return list(RegionName.objects.filter(region=region).order_by(F("valid_from").asc(nulls_first=True)))


def region_name_on(*, region, on=None, names=None):
    """The region's official name on the date: the dated name that holds, else its name."""
    day = on or _today()
    for row in names if names is not None else region_names_for_region(region=region):
        if holds_on(row, day):
            return row.name
    return region.name


def region_dated_rows(*, region) -> tuple[list, list]:
    """(dated names, dated organisational models) of the region, each oldest first, read in one query
    (a UNION of the two small tables) for the region page."""
    fields = ("pk", "valid_from", "valid_to", "confidence", "note", "source")
    names = (
        RegionName.objects.filter(region=region)
        .order_by()
        .annotate(kind=Value("name", output_field=CharField()), value=F("name"))
        .values_list("kind", "value", *fields)
    )
    models_ = (
        RegionOrganisationModel.objects.filter(region=region)
        .order_by()
        .annotate(kind=Value("model", output_field=CharField()), value=F("model"))
        .values_list("kind", "value", *fields)
    )
    rows = {"name": [], "model": []}
    for kind, value, pk, *rest in names.union(models_, all=True):
        dated = dict(zip(fields[1:], rest, strict=True))
        if kind == "name":
            rows[kind].append(RegionName(pk=pk, region=region, name=value, **dated))
        else:
            rows[kind].append(RegionOrganisationModel(pk=pk, region=region, model=value, **dated))
    for kind in rows:
        rows[kind].sort(key=lambda row: (row.valid_from is not None, row.valid_from or datetime.date.min, row.pk))
    return rows["name"], rows["model"]


def organisation_models_for_region(*, region):
    """The region's dated organisational models, oldest first (empty when only the undated value is known)."""
    return list(RegionOrganisationModel.objects.filter(region=region).order_by(F("valid_from").asc(nulls_first=True)))


def organisation_model_on(*, region, on=None, history=None):
    """(model value, dated row or None) on the date: the dated row that holds, else the region's own value."""
    day = on or _today()
    rows = history if history is not None else organisation_models_for_region(region=region)
    for row in rows:
        if holds_on(row, day):
            return row.model, row
    return region.organisational_model, None


def membership_recorded_from(*, county):
    """The first day for which the registry records region memberships of the county's municipalities
    (None: never). Before it, a municipality in no region is "not recorded", not "in no region"."""
    first = (
        RegionMembership.objects.filter(municipality__county=county)
        .order_by("valid_from")
        .values_list("valid_from", flat=True)
        .first()
    )
    return first


def _period(obj):
    return {
        "valid_from": obj.valid_from.isoformat() if obj.valid_from else None,
        "valid_to": obj.valid_to.isoformat() if obj.valid_to else None,
    }


@functools.cache
def reference_corrections():
    """The corrections of the reference data (regions/data/corrections.csv), one entry per correction
    with what it changed, its sources and its confidence (the export lists them)."""
    path = Path(__file__).resolve().parent / "data" / "corrections.csv"
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    corrections = {}
    for row in rows:
        entry = corrections.setdefault(
            row["id"], {"id": row["id"], "changes": [], "source": row["source"], "confidence": row["confidence"]}
        )
        entry["changes"].append(
            {
                "what": row["model"],
                "key": row["key"],
                "field": row["field"],
                "was": row["was"],
                "becomes": row["becomes"],
                "source": row["source"],
                "confidence": row["confidence"],
                "note": row["note"],
            }
        )
    return [corrections[key] for key in sorted(corrections, key=lambda k: int(k[1:]))]


def registry_export(*, on=None, county=None):
    """The registry on the date as plain data (for JSON and CSV): counties, regions with members,
    representatives and leaders, municipalities with their regions, council areas, and the corrections
    of the reference data with their sources."""
    day = on or _today()
    regions = list(
        (region_list_for_county(county=county, on=day) if county else Region.objects.valid_on(day).order_by("name"))
        .select_related("host_county")
        .prefetch_related("partner_counties", "organisation_models", "names", county_links_prefetch())
    )
    models_on = {}
    for region in regions:
        history = sorted(region.organisation_models.all(), key=lambda r: r.valid_from or datetime.date.min)
        models_on[region.pk] = organisation_model_on(region=region, on=day, history=history)
    counties_of = {region.pk: region_counties_on(region=region, on=day) for region in regions}
    host_of = {region.pk: region_host_county_on(region=region, on=day) for region in regions}
    memberships = list(
        RegionMembership.objects.valid_on(day)
        .filter(region__in=regions)
        .select_related("region", "municipality__county")
        .order_by("municipality__number")
    )
    appointments = list(
        Appointment.objects.valid_on(day)
        .filter(region__in=regions, role__in=[*REPRESENTATIVE_ROLES, Appointment.Role.REGION_COUNCIL_LEADER])
        .select_related("person")
        .order_by("role", "person__name")
    )
    municipalities = Municipality.objects.valid_on(day).select_related("county")
    if county is not None:
        ids = {m.municipality_id for m in memberships}
        municipalities = municipalities.filter(Q(county=county) | Q(pk__in=ids))
    region_slugs = {}
    for membership in memberships:
        region_slugs.setdefault(membership.municipality_id, []).append(membership.region.slug)
    return {
        "as_of": day.isoformat(),
        "county": {"number": county.number, "name": county.name} if county else None,
        "counties": [{"number": c.number, "name": c.name, **_period(c)} for c in county_list_on(on=day)],
        "regions": [
            {
                "slug": region.slug,
                "name": region.name,
                "name_on_date": region_name_on(region=region, on=day, names=list(region.names.all())),
                "description": region.description,
                "host_county": host_of[region.pk].number if host_of[region.pk] else None,
                "partner_counties": sorted(c.number for c in counties_of[region.pk]),
                "organisational_model": models_on[region.pk][0],
                "organisational_model_source": models_on[region.pk][1].source if models_on[region.pk][1] else "",
                "confidence": region.confidence,
                "notes": region.notes,
                "source": region.source,
                "malform": region.malform,
                "malform_source": region.malform_source,
                "members": [
                    {
                        "number": m.municipality.number,
                        "name": m.municipality.name,
                        "county": m.municipality.county.number if m.municipality.county else None,
                        **_period(m),
                        "confidence": m.confidence,
                        "note": m.note,
                        "source_note": m.source_note,
                    }
                    for m in memberships
                    if m.region_id == region.pk
                ],
                "appointments": [
                    {
                        "role": a.role,
                        "name": a.person.name,
                        "party": a.party,
                        "side": a.side,
                        **_period(a),
                    }
                    for a in appointments
                    if a.region_id == region.pk
                ],
            }
            for region in regions
        ],
        "municipalities": [
            {
                "number": m.number,
                "name": m.name,
                "county": m.county.number if m.county else None,
                "regions": region_slugs.get(m.pk, []),
                "malform": m.malform,
                "malform_confidence": m.malform_confidence,
                "malform_source": m.malform_source,
            }
            for m in municipalities.order_by("number")
        ],
        "council_areas": [
            {
                "slug": a.slug,
                "name": a.name,
                "county": a.county.number,
                "councillor": a.councillor.name if a.councillor else None,
                "party": a.party,
                **_period(a),
                "period_note": a.period_note,
                "confidence": a.confidence,
                "source": a.source,
            }
            for a in council_area_list(county=county, on=day)
        ],
        "corrections": reference_corrections(),
    }


EXPORT_CSV_COLUMNS = [
    "as_of",
    "municipality_number",
    "municipality_name",
    "municipality_county",
    "region_slug",
    "region_name",
    "region_host_county",
    "valid_from",
    "valid_to",
    "confidence",
    "note",
    "source_note",
]


def registry_export_rows(*, on=None, county=None):
    """One CSV row per membership on the date, and one with an empty region for each municipality
    in no region."""
    data = registry_export(on=on, county=county)
    rows = []
    for region in data["regions"]:
        for member in region["members"]:
            rows.append(
                {
                    "as_of": data["as_of"],
                    "municipality_number": member["number"],
                    "municipality_name": member["name"],
                    "municipality_county": member["county"],
                    "region_slug": region["slug"],
                    "region_name": region["name"],
                    "region_host_county": region["host_county"],
                    "valid_from": member["valid_from"],
                    "valid_to": member["valid_to"] or "",
                    "confidence": member["confidence"],
                    "note": member["note"],
                    "source_note": member["source_note"],
                }
            )
    for municipality in data["municipalities"]:
        if not municipality["regions"]:
            rows.append(
                {
                    "as_of": data["as_of"],
                    "municipality_number": municipality["number"],
                    "municipality_name": municipality["name"],
                    "municipality_county": municipality["county"],
                    **dict.fromkeys(EXPORT_CSV_COLUMNS[4:], ""),
                }
            )
    rows.sort(key=lambda r: (r["municipality_number"], r["region_slug"]))
    return rows


# --- election terms (issue 14) --------------------------------------------------------------------

TERM_ROLES = [Appointment.Role.COUNTY_COUNCIL_REPRESENTATIVE, Appointment.Role.COUNTY_COUNCILLOR]


def term_day(*, term) -> datetime.date:
    """The day a term's regions are read on: today while the term runs, else its first day."""
    today = _today()
    return today if term.valid_from <= today < term.valid_to else term.valid_from


def term_region_list(*, term):
    """Every region of the term's county (host or partner) on the term's day, by name."""
    return region_list_for_county(county=term.county, on=term_day(term=term))


def term_region_ids(*, term) -> set:
    return set(term_region_list(term=term).values_list("pk", flat=True))


def term_list(*, county=None):
    """The election terms, newest first (of one county when given)."""
    terms = ElectionTerm.objects.select_related("county").order_by("-valid_from", "county__number")
    return terms.filter(county=county) if county is not None else terms


def term_get(*, pk):
    """The term, or 404 (the registry is readable by every logged-in user)."""
    return _get_or_404(ElectionTerm.objects.select_related("county"), pk=pk)


def term_current_for_county(*, county, on=None):
    """The county's term that runs on the date, or None."""
    return ElectionTerm.objects.valid_on(on or _today()).filter(county=county).order_by("-valid_from").first()


def term_grid(*, term, on=None) -> list:
    """One row per region of the term: its position and opposition representatives and its councillor
    (the term's appointments that hold on the day, or the latest of each place), its exception, and the
    places it lacks. Three queries whatever the number of regions."""
    day = on or term_day(term=term)
    regions = list(term_region_list(term=term))
    appointments = (
        Appointment.objects.filter(term=term, region__in=[r.pk for r in regions])
        .select_related("person")
        .order_by("valid_from", "pk")
    )
    places = {}
    for appointment in appointments:
        slot = term_slot_of(appointment)
        key = (appointment.region_id, slot)
        if slot and (key not in places or holds_on(appointment, day) or not holds_on(places[key], day)):
            places[key] = appointment
    exceptions = {e.region_id: e for e in TermException.objects.filter(term=term)}
    rows = []
    for region in regions:
        slots = {slot: places.get((region.pk, slot)) for slot in TERM_SLOTS}
        rows.append(
            {
                "region": region,
                "slots": slots,
                "position": slots["position"],
                "opposition": slots["opposition"],
                "councillor": slots["councillor"],
                "exception": exceptions.get(region.pk),
                "missing": [term_slot_label(slot) for slot, appointment in slots.items() if appointment is None],
            }
        )
    return rows


def term_gaps(*, term) -> list:
    """The rows of term_grid that lack someone and have no recorded exception."""
    return [row for row in term_grid(term=term) if row["missing"] and row["exception"] is None]


def appointment_history_representing(*, region):
    """The county's representatives and councillors of the region over time, newest first, with their
    terms (the region's "Fylkets representanter" history)."""
    return (
        Appointment.objects.filter(region=region, role__in=TERM_ROLES)
        .select_related("person", "term")
        .order_by("-valid_from", "role", "-side", "pk")
    )


def person_get(*, pk):
    """The person, or 404 (the registry is readable by every logged-in user)."""
    return _get_or_404(Person.objects.all(), pk=pk)


def appointment_history_for_person(*, person):
    """Every appointment of the person, newest first, with its region, council area, county and term."""
    return (
        Appointment.objects.filter(person=person)
        .select_related("region", "council_area", "county", "term")
        .order_by("-valid_from", "pk")
    )
