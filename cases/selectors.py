"""Reads of cases, always scoped to what the user may see."""

import datetime
import hashlib
import statistics
from dataclasses import dataclass
from fractions import Fraction
from urllib.parse import urlencode

from django.db import connection
from django.db.models import (
    Aggregate,
    Count,
    DateField,
    DateTimeField,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    Window,
)
from django.db.models.functions import Coalesce, RowNumber, TruncDate
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core.fragments import kept_value
from core.screening import Access
from partnerships.models import Priority
from regions.models import Appointment, CouncilArea, County, Municipality, Region, RegionCounty, RegionMembership

from .hooks import case_annotations
from .models import Anchoring, Attachment, Case, CaseExport, RegionRequest, Routing, Topic, TopicMapping
from .permissions import visible_case_filter
from .topics import topic_labels

# How many case ids a filter reads first and gives the database by key (ids_by_key).
FEW_IDS = 5_000


def ids_by_key(ids: QuerySet):
    """`ids` (a flat values_list of case ids) read into a list when there are few of them, else the
    subquery itself: for a filter whose cases are few (a priority's tagged cases, the requests sent to
    one region). Given by key, the database knows how few cases the filter leaves and tests only those
    against the user's visibility rule; given as a subquery, PostgreSQL guessed how many and read the
    whole case table (on the national dataset, counting a priority's cases: 83 -> 3 ms; a region's:
    28 -> 14 ms). At most half the database's parameter limit (999 on an older SQLite)."""
    limit = connection.features.max_query_params
    few = FEW_IDS if limit is None else min(FEW_IDS, limit // 2)
    ids = ids.order_by()  # in no order (a model's default ordering would join and sort)
    found = list(ids[: few + 1])
    return found if len(found) <= few else ids


def by_key(ids, field: str = "pk") -> Q:
    """The filter `field` in `ids` (what ids_by_key gave): a list as one array parameter on PostgreSQL
    (core.lookups.AnyOf), a subquery as it is."""
    return Q(**{f"{field}__any_of" if isinstance(ids, list) else f"{field}__in": ids})


def case_list_visible_to(*, user) -> QuerySet:
    """Every case the user may see: advisers all; region leaders their regions' cases (drafts too),
    county → regions cases sent to their regions and other regions' shared cases; council-area staff
    the cases routed to or originated by their areas."""
    qs = Case.objects.select_related("origin_region", "origin_council_area", "assigned_to")
    q = visible_case_filter(user)
    if q is None:
        return qs.all()
    return qs.filter(q)  # no joins (each part is a subquery), so no row twice


def case_visibility_key(*, user) -> str:
    """Which cases the user sees, as a short text for cache keys: the same for two users who see the
    same cases (two advisers of one county), different for any two who do not (it is the visibility
    filter's SQL with its values)."""
    q = visible_case_filter(user)
    if q is None:
        return "all"
    sql, params = Case.objects.filter(q).values("pk").query.sql_with_params()
    return hashlib.sha256(repr((sql, params)).encode()).hexdigest()[:32]


def case_get_for_user(*, user, pk) -> Case:
    """The case if the user may see it; Http404 if it does not exist or is hidden from them."""
    try:
        return case_list_visible_to(user=user).annotate(**case_annotations.expressions()).get(pk=pk)
    except (Case.DoesNotExist, ValueError, TypeError):
        raise Http404("No such case") from None


def attachment_get_for_user(*, user, pk) -> Attachment:
    """An attachment of a case the user may see; Http404 otherwise."""
    try:
        return Attachment.objects.select_related("case").get(
            pk=pk, case__in=case_list_visible_to(user=user).values("pk")
        )
    except (Attachment.DoesNotExist, ValueError, TypeError):
        raise Http404("No such attachment") from None


def _of_visible_case(model, user, pk, *related):
    """An object hanging on a case (a routing, a request to a region, an anchoring) if the user may
    see the case; Http404 if there is none or the case is hidden from them (docs/adr/0004)."""
    try:
        return model.objects.select_related("case", *related).get(
            pk=pk, case__in=case_list_visible_to(user=user).values("pk")
        )
    except (model.DoesNotExist, ValueError, TypeError):
        raise Http404(f"No such {model._meta.model_name}") from None


def routing_get_for_user(*, user, pk) -> Routing:
    return _of_visible_case(Routing, user, pk, "council_area")


def region_request_get_for_user(*, user, pk) -> RegionRequest:
    return _of_visible_case(RegionRequest, user, pk, "region")


def anchoring_get_for_user(*, user, pk) -> Anchoring:
    return _of_visible_case(Anchoring, user, pk, "municipality")


def case_export_get_for_user(*, user, pk) -> CaseExport:
    """A ready export the user asked for; Http404 for anyone else's, a missing or unfinished one."""
    try:
        return CaseExport.objects.get(pk=pk, owner=user, state=CaseExport.State.READY)
    except (CaseExport.DoesNotExist, ValueError, TypeError):
        raise Http404("No such export") from None


# --- inbox --------------------------------------------------------------------------------------

OVERDUE_STATUSES = Case.OPEN_STATUSES  # with the county and not final: cases.workflow.OPEN


def overdue_q(today) -> Q:
    return Q(deadline__lt=today, status__in=OVERDUE_STATUSES)


def topic_list() -> QuerySet:
    """Every case topic (data advisers edit), in the order they are offered."""
    return Topic.objects.order_by("order", "code")


def topic_get_for_user(*, user, pk) -> Topic:
    """A topic: every logged-in user reads the topics (they label every case); Http404 for a missing one."""
    try:
        return Topic.objects.get(pk=pk)
    except (Topic.DoesNotExist, ValueError, TypeError):
        raise Http404("No such topic") from None


def topic_suggestions() -> dict:
    """topic -> suggested council area, from the mapping advisers edit."""
    return {m.topic: m.council_area for m in TopicMapping.objects.select_related("council_area")}


def in_scope(qs, scope):
    """The cases of the queryset within an adviser's county (cases.permissions.county_case_filter), or all."""
    return qs if scope is None else qs.filter(scope)


def case_inbox_counts(*, today, scope=None) -> dict:
    """How many cases each inbox lane holds, in one query (every lane is a subset of the open cases,
    read from the case_open_desk index alone)."""
    waiting = Q(status__in=[Case.Status.SUBMITTED, Case.Status.RECEIVED])
    unflagged = Q(has_routing_problem=False)
    counts = in_scope(Case.objects.filter(status__in=OVERDUE_STATUSES), scope).aggregate(
        flagged=Count("pk", filter=waiting & ~unflagged),
        new=Count("pk", filter=Q(status=Case.Status.SUBMITTED) & unflagged),
        received=Count("pk", filter=Q(status=Case.Status.RECEIVED) & unflagged),
        answered=Count("pk", filter=Q(status=Case.Status.ANSWERED)),
        overdue=Count("pk", filter=overdue_q(today)),
    )
    counts["waiting"] = counts["flagged"] + counts["new"] + counts["received"] + counts["answered"]
    return counts


INBOX_LANE_SIZE = 25


@dataclass
class InboxLane:
    """One page of one inbox lane, with the lane's total."""

    name: str
    cases: list
    total: int
    number: int
    size: int

    @property
    def num_pages(self) -> int:
        return max(1, -(-self.total // self.size))

    @property
    def first_shown(self) -> int:
        return (self.number - 1) * self.size + 1

    @property
    def last_shown(self) -> int:
        return min(self.number * self.size, self.total)

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.num_pages

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1


def _page_number(value, num_pages) -> int:
    """The requested page, as Paginator.get_page reads it: not a number gives the first page, past
    the end the last."""
    try:
        number = int(str(value))
    except (TypeError, ValueError):
        return 1
    return min(max(number, 1), num_pages)


_LAST_DAY = datetime.date.max
_LAST_MOMENT = datetime.datetime.max.replace(tzinfo=datetime.UTC)


def _inbox_lane_ids(*, today, scope) -> dict:
    """Each inbox lane's case ids in the lane's order (case_inbox; a case without a date after those with
    one), from one read of the few columns that decide the lanes. Every lane is a subset of the open
    cases in scope: what the coordination unit has on its desk, which grows with the work in hand, not
    with the years of history."""
    submitted, received, answered = Case.Status.SUBMITTED, Case.Status.RECEIVED, Case.Status.ANSWERED
    lanes = {name: [] for name in ("flagged", "new", "received", "answered", "overdue")}
    rows = in_scope(Case.objects.filter(status__in=OVERDUE_STATUSES), scope).order_by()
    for pk, status, problem, deadline, submitted_at in rows.values_list(
        "pk", "status", "has_routing_problem", "deadline", "submitted_at"
    ):
        sent = submitted_at or _LAST_MOMENT
        if status in (submitted, received):
            lane = "flagged" if problem else ("new" if status == submitted else "received")
            lanes[lane].append((sent, pk))
        elif status == answered:
            lanes["answered"].append((deadline or _LAST_DAY, sent, pk))
        if deadline is not None and deadline < today:
            lanes["overdue"].append((deadline, pk))
    return {name: [key[-1] for key in sorted(keys)] for name, keys in lanes.items()}


def case_inbox_lanes(*, today, pages=None, size=INBOX_LANE_SIZE, scope=None) -> tuple[dict, dict]:
    """The inbox lanes, each one page of `size` cases (pages: {lane name: requested page}), and the
    counts: two queries however full the inbox (the open cases' lane columns, then the rows shown), so
    the rules of who may see a case are applied once, not once per lane."""
    pages = pages or {}
    lanes, shown = {}, {}
    for name, ids in _inbox_lane_ids(today=today, scope=scope).items():
        lane = InboxLane(name=name, cases=[], total=len(ids), number=1, size=size)
        lane.number = _page_number(pages.get(name), lane.num_pages)
        start = (lane.number - 1) * size
        shown[name] = ids[start : start + size]
        lanes[name] = lane
    wanted = {pk for ids in shown.values() for pk in ids}
    rows = Case.objects.select_related("origin_region", "origin_council_area", "assigned_to").in_bulk(wanted)
    for name, lane in lanes.items():
        lane.cases = [rows[pk] for pk in shown[name] if pk in rows]
    counts = {name: lane.total for name, lane in lanes.items()}
    counts["waiting"] = counts["flagged"] + counts["new"] + counts["received"] + counts["answered"]
    return lanes, counts


# --- anchoring strength ---------------------------------------------------------------------------


@dataclass
class AnchoringStrength:
    supporting: int
    total: int
    day: datetime.date

    @property
    def share(self) -> float | None:
        return self.supporting / self.total if self.total else None

    @property
    def percent(self) -> int | None:
        return round(100 * self.supporting / self.total) if self.total else None


def _strength_day(case) -> datetime.date:
    return timezone.localdate(case.submitted_at) if case.submitted_at else timezone.localdate()


def case_anchoring_strength(*, case) -> AnchoringStrength | None:
    """Share of the region's member municipalities, as of the submission date, whose municipal council
    supports the case; None for a case that does not come from a region."""
    if not case.origin_region_id:
        return None
    day = _strength_day(case)
    members = RegionMembership.objects.valid_on(day).filter(region_id=case.origin_region_id).values("municipality_id")
    total = members.distinct().count()
    supporting = (
        Anchoring.objects.filter(
            case=case,
            body=Anchoring.Body.COUNCIL,
            stance=Anchoring.Stance.SUPPORTS,
            municipality_id__in=members,
        )
        .values("municipality_id")
        .distinct()
        .count()
    )
    return AnchoringStrength(supporting=supporting, total=total, day=day)


def region_member_list(*, case):
    """The municipalities that count for the case's anchoring (members on the submission date)."""
    day = _strength_day(case)
    ids = RegionMembership.objects.valid_on(day).filter(region_id=case.origin_region_id).values("municipality_id")
    return Municipality.objects.filter(pk__in=ids).order_by("number")


def anchoring_municipality_list(*, case, region_ids, today=None):
    """The municipalities whose anchoring of the case may be recorded for these regions, by number: the
    origin region's members on the submission date (those the anchoring strength counts, as before) and
    another region's (cases.hooks.case_extra_regions) members today (the case came to it after it was
    submitted, and the theme group page counts that region's members of today)."""
    region_ids = {pk for pk in region_ids if pk}
    q = Q(pk__in=[])
    if case.origin_region_id in region_ids:
        origin = RegionMembership.objects.valid_on(_strength_day(case)).filter(region_id=case.origin_region_id)
        q |= Q(pk__in=origin.values("municipality_id"))
    others = sorted(region_ids - {case.origin_region_id})
    if others:
        current = RegionMembership.objects.valid_on(today or timezone.localdate()).filter(region_id__in=others)
        q |= Q(pk__in=current.values("municipality_id"))
    return Municipality.objects.filter(q).order_by("number")


def case_anchoring_strength_from(*, case, members, anchorings) -> AnchoringStrength | None:
    """case_anchoring_strength from what the case page has already read: the members that count
    (region_member_list) and the case's anchorings."""
    if not case.origin_region_id:
        return None
    member_ids = {municipality.pk for municipality in members}
    supporting = {
        anchoring.municipality_id
        for anchoring in anchorings
        if anchoring.body == Anchoring.Body.COUNCIL
        and anchoring.stance == Anchoring.Stance.SUPPORTS
        and anchoring.municipality_id in member_ids
    }
    return AnchoringStrength(supporting=len(supporting), total=len(member_ids), day=_strength_day(case))


def case_tags(*, case) -> tuple[list, list]:
    """The case's agreement priorities (by special part, then their order) and policy instruments (by
    name), from one query; each object carries what its name needs (text, name)."""
    priority_model = Case.priorities.field.related_model
    instrument_model = Case.instruments.field.related_model
    columns = ("list_no", "id", "label", "s1", "s2", "s3", "s4")
    priorities = (
        priority_model.objects.filter(cases=case)
        .annotate(
            list_no=Value(0),
            label=F("text"),
            s1=F("special_part__region__name"),
            s2=F("special_part__county__number"),
            s3=F("special_part__version"),
            s4=F("order"),
        )
        .values_list(*columns)
        .order_by()
    )
    instruments = (
        instrument_model.objects.filter(cases=case)
        .annotate(
            list_no=Value(1),
            label=F("name"),
            s1=F("name"),
            s2=Value(""),
            s3=Value(0),
            s4=Value(0),
        )
        .values_list(*columns)
        .order_by()
    )
    tags = ([], [])
    for list_no, pk, label, *_rest in priorities.union(instruments, all=True).order_by(
        "list_no", "s1", "s2", "-s3", "s4", "id"
    ):
        model, field = (priority_model, "text") if list_no == 0 else (instrument_model, "name")
        tags[list_no].append(model.from_db(case._state.db, ["id", field], [pk, label]))
    return tags


# --- where a case may be routed ------------------------------------------------------------------


def case_counties(*, case, on, region_ids=None) -> QuerySet:
    """The counties the case concerns on the day, as a subquery: those hosting or partnering with its
    region and the regions it was sent to (a region's dated county links decide; a region with none
    falls back on its undated host and partner counties, as regions.selectors.county_ids_of_regions),
    and the county of the council area that sent it. `region_ids`: the case's regions when the caller
    has read them (the case page has its requests), else read here."""
    if region_ids is None:
        region_ids = set(RegionRequest.objects.filter(case_id=case.pk).values_list("region_id", flat=True))
        if case.origin_region_id:
            region_ids.add(case.origin_region_id)
    region_ids = sorted(region_ids)
    undated = Region.objects.filter(pk__in=region_ids, county_links__isnull=True)
    counties = (
        Q(pk__in=RegionCounty.objects.valid_on(on).filter(region_id__in=region_ids).values("county_id"))
        | Q(pk__in=undated.values("host_county_id"))
        | Q(pk__in=Region.partner_counties.through.objects.filter(region__in=undated.values("pk")).values("county_id"))
    )
    if case.origin_council_area_id:
        counties |= Q(pk__in=CouncilArea.objects.filter(pk=case.origin_council_area_id).values("county_id"))
    return County.objects.filter(counties)


def council_areas_for_routing(*, case, on=None, region_ids=None) -> QuerySet:
    """The council areas the case may be routed to on the day: those of the counties it concerns (one
    door in: the county's own executive); every current area when it concerns none (a region whose
    county was not recorded after a reform), so that the case can still be routed. Each is marked
    `suggested` when the advisers' topic mapping suggests it for the case's topic. One query."""
    day = on or timezone.localdate()
    counties = case_counties(case=case, on=day, region_ids=region_ids)
    return (
        CouncilArea.objects.valid_on(day)
        .filter(Q(county__in=counties.values("pk")) | ~Exists(counties))
        .annotate(suggested=Exists(TopicMapping.objects.filter(topic=case.topic, council_area_id=OuterRef("pk"))))
        .select_related("county")
    )


def advisers_for_case(*, case, on=None, county_ids=None) -> QuerySet:
    """The advisers who may be made responsible for the case: the coordination unit of the counties it
    concerns (case_counties; `county_ids` when the caller has them: the counties of the areas it may be
    routed to) and those who work nationally (no county appointment, or the national view), by name.
    One query, when the assignment form lists them."""
    day = on or timezone.localdate()
    posts = Appointment.objects.valid_on(day).filter(
        role=Appointment.Role.COORDINATION_ADVISER, county__isnull=False, person__user_id=OuterRef("pk")
    )
    counties = sorted(county_ids) if county_ids is not None else case_counties(case=case, on=day).values("pk")
    return (
        User.objects.filter(is_active=True, role=User.Role.ADVISER)
        .filter(Q(national_view=True) | ~Exists(posts) | Exists(posts.filter(county_id__in=counties)))
        .order_by("first_name", "last_name", "username")
    )


# --- search -------------------------------------------------------------------------------------


def case_search(qs, text: str):
    """Full-text search in Norwegian on PostgreSQL (the words the database keeps in `search_document`,
    on its index), a part of a word in the title (on the trigram index: "vei" finds "Fylkesvei"), or
    the exact reference; a case-insensitive substring match on SQLite."""
    text = (text or "").strip()
    if not text:
        return qs
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery

        query = SearchQuery(text, config="norwegian", search_type="websearch")
        # One pass: each index finds its part (the title's letters, the words, the reference) and the
        # planner joins them (a bitmap OR). The trigram index is lossy, so each row found is checked
        # again: the title first, as most hits are in it.
        matches = Q(title__icontains=text) | Q(search_document=query) | Q(reference=text)
        return qs.filter(matches)
    return qs.filter(Q(title__icontains=text) | Q(description__icontains=text) | Q(reference__icontains=text))


# --- tracking -----------------------------------------------------------------------------------

TRACKING_OVERDUE_LIMIT = 50


class PercentileCont(Aggregate):
    """PostgreSQL's percentile_cont(fraction) WITHIN GROUP (ORDER BY expression): the median at 0.5,
    interpolated between the two middle values as statistics.median does."""

    function = "percentile_cont"
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"

    def __init__(self, expression, fraction, **extra):
        super().__init__(expression, fraction=float(fraction), **extra)


def _answer_time():
    """Time from the case's submission to the area's answer (an interval; microseconds on SQLite)."""
    return ExpressionWrapper(F("answered_at") - F("case__submitted_at"), output_field=DurationField())


def _median_days_by_area(timed) -> dict:
    """{council area id: (median days, answers)} in one query, whatever the number of answers."""
    if connection.vendor == "postgresql":
        rows = timed.values("council_area").annotate(
            n=Count("pk"), median=PercentileCont(_answer_time(), 0.5, output_field=DurationField())
        )
        return {row["council_area"]: (row["median"].total_seconds() / 86400, row["n"]) for row in rows}
    # Elsewhere: number the answers of each area by time and keep the middle one or two (a window).
    rows = (
        timed.annotate(
            took=_answer_time(),
            position=Window(RowNumber(), partition_by=[F("council_area")], order_by=[F("took").asc(), F("pk").asc()]),
            n=Window(Count("pk"), partition_by=[F("council_area")]),
        )
        .filter(position__gte=(F("n") + 1) / 2, position__lte=(F("n") + 2) / 2)
        .values_list("council_area", "took", "n")
    )
    middles = {}
    for area, took, n in rows:
        middles.setdefault(area, ([], n))[0].append(took.total_seconds() / 86400)
    return {area: (statistics.fmean(values), n) for area, (values, n) in middles.items()}


def submission_day(ref):
    """The Oslo date of the outer case's submission (`ref` wraps OuterRef: OuterRef or OuterRef(OuterRef))."""
    return TruncDate(ExpressionWrapper(ref("submitted_at"), output_field=DateTimeField()))


def anchoring_count_expressions(membership_model, anchoring_model, *, day):
    """The outer case's region's members on a day and those whose municipal council supports the case:
    two subquery expressions, 0 without a region. `day(ref)` gives the day from the outer case, with `ref`
    building the reference at the nesting it is used (submission_day, or an annotation by name). Takes the
    models so the migration that added the kept counts can fill them with its historical models."""
    inner, outer = day(OuterRef), day(lambda name: OuterRef(OuterRef(name)))
    members = (
        membership_model.objects.filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=inner),
            Q(valid_to__isnull=True) | Q(valid_to__gt=inner),
            region_id=OuterRef("origin_region_id"),
        )
        .order_by()
        .values("region_id")
        .annotate(n=Count("municipality_id", distinct=True))
        .values("n")
    )
    member_of_region = membership_model.objects.filter(
        Q(valid_from__isnull=True) | Q(valid_from__lte=outer),
        Q(valid_to__isnull=True) | Q(valid_to__gt=outer),
        region_id=OuterRef(OuterRef("origin_region_id")),
    ).values("municipality_id")
    supporting = (
        anchoring_model.objects.filter(
            case_id=OuterRef("pk"), body="council", stance="supports", municipality_id__in=member_of_region
        )
        .order_by()
        .values("case_id")
        .annotate(n=Count("municipality_id", distinct=True))
        .values("n")
    )
    return (
        Coalesce(Subquery(members, output_field=IntegerField()), 0),
        Coalesce(Subquery(supporting, output_field=IntegerField()), 0),
    )


def with_anchoring_strength(cases, *, today) -> QuerySet:
    """The cases with `anchoring_members` (the region's members on the submission day, or today for a
    case not yet submitted) and `anchoring_supporting` (those whose council supports the case), as
    case_anchoring_strength counts them, in the same query; 0 and 0 for a case without a region."""
    day = Coalesce(TruncDate("submitted_at"), Value(today, output_field=DateField()), output_field=DateField())
    members, supporting = anchoring_count_expressions(RegionMembership, Anchoring, day=lambda ref: ref("strength_day"))
    return cases.annotate(strength_day=day).annotate(anchoring_members=members, anchoring_supporting=supporting)


def _anchoring_by_topic(cases) -> list:
    """Per topic and region: the region's submitted cases with members on the submission day and the
    average share of those members whose council supports the case (as case_anchoring_strength)."""
    submitted = cases.filter(direction=Case.Direction.REGION_TO_COUNTY, submitted_at__isnull=False).exclude(
        status=Case.Status.WITHDRAWN
    )
    # Grouped by (topic, region, supporting, members), counted at submission and kept by the services
    # (case_anchoring_recount): a handful of rows per region, read from one partial index.
    groups = (
        submitted.filter(members_on_submission__gt=0)
        .order_by()
        .values("topic", "origin_region_id", "councils_supporting", "members_on_submission")
        .annotate(cases=Count("pk"))
    )
    by_topic = {}
    for row in groups:
        entry = by_topic.setdefault(row["topic"], {}).setdefault(
            row["origin_region_id"], {"cases": 0, "shares": Fraction(0)}
        )
        entry["cases"] += row["cases"]
        entry["shares"] += Fraction(row["councils_supporting"], row["members_on_submission"]) * row["cases"]
    region_ids = {pk for per_region in by_topic.values() for pk in per_region}
    regions = Region.objects.in_bulk(region_ids) if region_ids else {}
    labels = topic_labels()
    anchoring = []
    for topic, per_region in sorted(by_topic.items()):
        rows = [
            {"region": regions[pk], "cases": entry["cases"], "percent": round(100 * entry["shares"] / entry["cases"])}
            for pk, entry in per_region.items()
        ]
        rows.sort(key=lambda row: row["region"].name)
        anchoring.append({"topic": topic, "label": labels.get(topic, topic), "rows": rows})
    return anchoring


def _matrices_by_county(cells, regions, area_list) -> list:
    """One table per county of the council areas: its areas as columns, the regions whose cases reached
    them as rows. A national table (every region by every area) would be mostly empty and too wide to
    read; each cell carries its label and the link to its cases, so the page does not build them."""
    cases_url = reverse("cases:index")
    label = _("open: %(open)s, answered: %(answered)s")
    by_county = {}
    for area in area_list:
        by_county.setdefault(area.county, []).append(area)
    matrices = []
    for county, areas in sorted(by_county.items(), key=lambda item: (item[0].number, item[0].pk)):
        area_ids = {area.pk for area in areas}
        row_ids = {region for region, area in cells if area in area_ids}
        rows = []
        for region in sorted((regions[pk] for pk in row_ids), key=lambda r: (r.name, r.pk)):
            row_cells = []
            for area in areas:
                cell = cells.get((region.pk, area.pk), {"open": 0, "answered": 0})
                if cell["open"] or cell["answered"]:
                    cell = {
                        **cell,
                        "label": label % cell,
                        "url": f"{cases_url}?region={region.pk}&council_area={area.pk}",
                    }
                row_cells.append({"area": area, **cell})
            rows.append({"region": region, "cells": row_cells})
        matrices.append({"county": county, "areas": areas, "rows": rows})
    return matrices


TRACKING_YEARS = 10  # the years the tracking page offers besides the last twelve months


def tracking_period(*, today, year=None) -> tuple[datetime.datetime, datetime.datetime]:
    """The instants [since, until) a tracking year covers (Oslo time): the calendar year, or without
    one the twelve months up to and including today. A period keeps the page's cost to one year of
    routings however long the history grows."""
    zone = timezone.get_current_timezone()
    if year:
        since, until = datetime.date(year, 1, 1), datetime.date(year + 1, 1, 1)
    else:
        until = today + datetime.timedelta(days=1)
        since = (
            until.replace(year=until.year - 1)
            if not (until.month == 2 and until.day == 29)
            else until - datetime.timedelta(days=365)
        )
    return (
        datetime.datetime.combine(since, datetime.time(), tzinfo=zone),
        datetime.datetime.combine(until, datetime.time(), tzinfo=zone),
    )


def tracking_data(
    *, user, today, period=None, overdue_limit=TRACKING_OVERDUE_LIMIT, with_overdue: bool = True, regions=None
) -> dict:
    """Regions × council areas with open and answered routings, median days to answer per area and
    anchoring strength per topic and region for the cases routed or submitted in the period (default:
    the last twelve months), and the first overdue cases (with their number), all within what the user
    may see; a fixed number of queries, each reading one period's rows, however long the history.
    A reader that does not show the overdue cases (the yearly report) leaves them out (with_overdue), and
    one that has read the regions already passes them ({pk: region}) so they are not read again."""
    since, until = period or tracking_period(today=today)
    cases = case_list_visible_to(user=user)
    routings = (
        Routing.objects.filter(
            case__in=cases.values("pk"), case__origin_region__isnull=False, routed_at__gte=since, routed_at__lt=until
        )
        .exclude(state=Routing.State.CANCELLED)
        .order_by()
    )
    answered = Q(state=Routing.State.ANSWERED)
    cells = {
        (row["case__origin_region"], row["council_area"]): {"open": row["open"], "answered": row["answered"]}
        for row in routings.values("case__origin_region", "council_area").annotate(
            open=Count("pk", filter=~answered), answered=Count("pk", filter=answered)
        )
    }
    region_ids = {region for region, _area in cells}
    area_ids = {area for _region, area in cells}
    known = regions or {}
    missing = region_ids - set(known)
    regions = {pk: known[pk] for pk in region_ids & set(known)}
    if missing:
        regions.update(Region.objects.in_bulk(missing))
    area_list = (
        sorted(CouncilArea.objects.filter(pk__in=area_ids).select_related("county"), key=lambda a: (a.name, a.pk))
        if cells
        else []
    )
    matrices = _matrices_by_county(cells, regions, area_list)
    timed = routings.filter(answered, answered_at__isnull=False, case__submitted_at__isnull=False)
    by_area = _median_days_by_area(timed) if cells else {}
    medians = [
        {"area": area, "median": by_area.get(area.pk, (None, 0))[0], "count": by_area.get(area.pk, (None, 0))[1]}
        for area in area_list
    ]
    overdue, overdue_count = [], 0
    if with_overdue:
        overdue_cases = cases.filter(overdue_q(today)).order_by("deadline", "pk")
        overdue = list(overdue_cases[:overdue_limit])
        overdue_count = overdue_cases.count()  # always: the page's queries do not depend on the data
    return {
        "matrices": matrices,
        "medians": medians,
        "overdue": overdue,
        "overdue_count": overdue_count,
        "anchoring": _anchoring_by_topic(cases.filter(submitted_at__gte=since, submitted_at__lt=until)),
    }


# --- the agreement page's cases per priority ------------------------------------------------------

# The agreement page shows the newest few under each priority and links to the case list filtered by
# the priority (cases.filters.CaseFilter.priority) for all of them, with the list's paging and export.
CASES_PER_PRIORITY = 10


def case_lists_by_priority(*, user, priorities):
    """The cases tagged with each priority of an agreement (through its lineage, so later versions keep
    them), newest first, at most CASES_PER_PRIORITY each, scoped to what the user may see, with the
    address of the case list of all of them: two queries (registered as partnerships.hooks.priority_cases
    for the agreement page), none while the data is as it was when they were last read for the same
    visibility rule (kept like a list's count: by the rule's SQL and values, under the data's generation)."""
    lineages = sorted({priority.lineage for priority in priorities}, key=str)
    visible = case_list_visible_to(user=user)
    rule = case_visibility_key(user=user)
    newest = kept_value("priority-cases", [rule, *lineages], lambda: _newest_by_lineage(visible, lineages))
    every = reverse("cases:index")
    return [
        (
            priority,
            [Case.from_db(None, PRIORITY_CASE_FIELDS, row) for row in newest.get(priority.lineage, ())],
            f"{every}?{urlencode({'priority': priority.lineage})}",
        )
        for priority in priorities
    ]


PRIORITY_CASE_FIELDS = ("id", "reference", "title")  # what the agreement page shows of a case


def _newest_by_lineage(visible, lineages) -> dict:
    """{lineage: [(id, reference, title), ...]}: the newest CASES_PER_PRIORITY visible cases of each."""
    # One query for every priority: the newest tagged cases of each lineage (a window per lineage; a
    # case tagged with two versions of one priority comes twice, hence the spare rows).
    # The lineages' tags are few: their cases' ids are read first, and the visibility rule is applied to
    # those by key. Given as a subquery, PostgreSQL built the list of every case the user may see first,
    # reading the whole case table (100 ms on the national dataset; 1 ms this way).
    tagged = Priority.cases.through.objects.filter(priority__lineage__in=lineages)
    candidates = ids_by_key(tagged.values_list("case_id", flat=True).distinct())
    # The window ranks narrow rows in a subquery (the whole case row, joined before the window, was
    # sorted with them: 1,700 tags of a region's decade, 10 ms); only the tags it keeps join their case,
    # and only the case's columns the page shows are read.
    ranked = (
        tagged.filter(case_id__in=visible.filter(by_key(candidates)).values("pk"))
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("priority__lineage")],
                order_by=[F("case__created_at").desc(), F("case_id").desc()],
            ),
        )
        .filter(rank__lte=2 * CASES_PER_PRIORITY)
        .values("pk")
    )
    rows = Priority.cases.through.objects.filter(pk__in=ranked).values_list(
        "priority__lineage", "case__created_at", *(f"case__{field}" for field in PRIORITY_CASE_FIELDS)
    )
    newest = {}
    for lineage, _created_at, *case in sorted(rows, key=lambda row: (row[1], row[2]), reverse=True):
        found = newest.setdefault(lineage, [])
        if len(found) < CASES_PER_PRIORITY and all(case[0] != other[0] for other in found):
            found.append(tuple(case))
    return newest


# --- what the public may see (offentleglova) -------------------------------------------------------
# Everything public-facing (the open API, public pages, feeds) reads cases through these and nothing
# else. A case is public once it has left its sender (a draft is the sender's own work), unless an
# adviser exempted it; an attachment follows its case unless it is exempted itself. The routings'
# and requests' own answers are internal working notes (exempt): the public sees which council area or
# region a case reached and when, and the answer the coordination unit sent back.

PUBLIC_CASE_Q = ~Q(status=Case.Status.DRAFT) & ~Q(access=Access.EXEMPT)


def public_cases() -> QuerySet:
    """The cases the public may see, with their origin read in the same query."""
    return Case.objects.filter(PUBLIC_CASE_Q).select_related("origin_region", "origin_council_area")


def public_attachments() -> QuerySet:
    """The attachments the public may see: of a public case, and not exempt themselves."""
    return (
        Attachment.objects.filter(case__in=Case.objects.filter(PUBLIC_CASE_Q).values("pk"))
        .exclude(access=Access.EXEMPT)
        .select_related("case")
    )


def public_routings() -> QuerySet:
    """Which public case reached which council area, and when (not the area's internal answer)."""
    return (
        Routing.objects.filter(case__in=Case.objects.filter(PUBLIC_CASE_Q).values("pk"))
        .exclude(state=Routing.State.CANCELLED)
        .select_related("council_area")
        .defer("answer")
    )


def public_region_requests() -> QuerySet:
    """Which region a public case from the county reached, and when (not the region's own answer)."""
    return (
        RegionRequest.objects.filter(case__in=Case.objects.filter(PUBLIC_CASE_Q).values("pk"))
        .exclude(state=RegionRequest.State.CANCELLED)
        .select_related("region")
        .defer("answer")
    )
