"""The yearly report's figures for a county and a year. Every figure the portal shows elsewhere is read
through the selector that shows it there (cases.selectors.tracking_data for answers, medians and
anchoring; funds.selectors.funds_overview for the money per region), so the report and the tracking
page and the exports agree to the krone and the day. What no page shows yet (meetings held and their
attendance and cases submitted per region in one query, money per priority, membership changes) is one
aggregate query each, so the report costs a fixed number of queries whatever the size of the county's year."""

import datetime
from decimal import Decimal

from django.db.models import Count, DecimalField, FilteredRelation, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.http import Http404

from cases.models import Case
from cases.selectors import case_list_visible_to, tracking_data, tracking_period
from funds.models import Allocation, UseReport
from funds.selectors import funds_overview
from meetings.models import Meeting, Participant
from regions.models import County, Region, RegionMembership

from .models import FIRST_YEAR, LAST_YEAR, ReportText
from .permissions import can_view_report

ZERO = Decimal("0.00")


YEAR_TEXT = "year_text"


def report_county_get_for_user(*, user, county_pk, year) -> County:
    """The county whose report of the year the user may read, with the adviser's text of that year read
    in the same query (report_text_for); Http404 for anyone else, for a county that does not exist or is
    outside the adviser's scope, and for a year outside the portal's range."""
    try:
        year = int(year)
        county = (
            County.objects.annotate(
                **{YEAR_TEXT: FilteredRelation("report_texts", condition=Q(report_texts__year=year))}
            )
            .select_related(YEAR_TEXT, f"{YEAR_TEXT}__updated_by")
            .get(pk=int(county_pk))
        )
    except (County.DoesNotExist, TypeError, ValueError, OverflowError):
        raise Http404("No such county") from None
    if not can_view_report(user, county) or not FIRST_YEAR <= year <= LAST_YEAR:
        raise Http404("No such report")
    county.report_year = year
    return county


def report_text_for(*, county, year) -> ReportText | None:
    """The adviser's text of the year: as report_county_get_for_user read it with the county, else one query."""
    if getattr(county, "report_year", None) == year:
        return getattr(county, YEAR_TEXT, None)
    return ReportText.objects.filter(county=county, year=year).select_related("updated_by").first()


def _count_of(queryset, group_by, **counts):
    """A subquery counting the rows of queryset for the outer region (grouped by the region's column)."""
    ((name, expression),) = counts.items()
    return Coalesce(Subquery(queryset.order_by().values(group_by).annotate(**{name: expression}).values(name)[:1]), 0)


def _activity_by_region(user, region_ids, since, until) -> dict:
    """{region id: {"held", "invited", "attended", "submitted"}}: the meetings held in the period with
    who was invited and who attended, and the cases the region submitted (as the user may see them),
    in one query of the regions with a counting subquery each."""
    region = OuterRef("pk")
    held = Meeting.objects.filter(region=region, status=Meeting.Status.HELD, start__gte=since, start__lt=until)
    invited = Participant.objects.filter(
        meeting__region=region, meeting__status=Meeting.Status.HELD, meeting__start__gte=since, meeting__start__lt=until
    )
    submitted = case_list_visible_to(user=user).filter(
        origin_region=region,
        direction=Case.Direction.REGION_TO_COUNTY,
        submitted_at__gte=since,
        submitted_at__lt=until,
    )
    rows = (
        Region.objects.filter(pk__in=region_ids)
        .annotate(
            held=_count_of(held, "region", n=Count("pk")),
            invited=_count_of(invited, "meeting__region", n=Count("pk")),
            attended=_count_of(invited.filter(status=Participant.Status.ATTENDED), "meeting__region", n=Count("pk")),
            submitted=_count_of(submitted, "origin_region", n=Count("pk")),
        )
        .values("pk", "held", "invited", "attended", "submitted")
    )
    return {row["pk"]: row for row in rows}


def _funds_by_priority(county, year) -> list:
    """Allocated and reported used per priority of the county's fund years (one query: the use summed per
    priority in a subquery); allocations to a project without a priority are one row of their own."""
    allocations = Allocation.objects.filter(fund_year__county=county, fund_year__year=year).order_by()
    used = (
        UseReport.objects.filter(allocation__in=allocations.values("pk"))
        .annotate(priority_key=Coalesce("allocation__priority_id", 0))
        .filter(priority_key=Coalesce(OuterRef("priority_id"), 0))
        .order_by()
        .values("priority_key")
        .annotate(total=Sum("amount_used"))
        .values("total")
    )
    allocated = allocations.values("priority_id", "priority__text").annotate(
        total=Sum("amount"), used=Subquery(used, output_field=DecimalField(max_digits=14, decimal_places=2))
    )
    rows = [
        {
            "priority": (row["priority__text"] or "")[:80] or None,
            "allocated": row["total"] or ZERO,
            "used": row["used"] or ZERO,
        }
        for row in allocated
    ]
    rows.sort(key=lambda row: (row["priority"] is None, row["priority"] or ""))
    return rows


def _membership_changes(region_ids, year) -> list:
    """Memberships of the county's regions that began or ended in the year, in date order."""
    since, until = datetime.date(year, 1, 1), datetime.date(year + 1, 1, 1)
    changes = []
    for membership in (
        RegionMembership.objects.filter(region_id__in=region_ids)
        .filter(Q(valid_from__gte=since, valid_from__lt=until) | Q(valid_to__gte=since, valid_to__lt=until))
        .select_related("region", "municipality")
        .order_by("valid_from", "pk")
    ):
        if since <= membership.valid_from < until:
            changes.append({"day": membership.valid_from, "joined": True, "membership": membership})
        if membership.valid_to and since <= membership.valid_to < until:
            changes.append({"day": membership.valid_to, "joined": False, "membership": membership})
    changes.sort(key=lambda change: (change["day"], change["membership"].region.name))
    return changes


def yearly_report(*, user, county, year, today) -> dict:
    """Every figure of the county's report for the year, as the user may see it."""
    period = tracking_period(today=today, year=year)
    since, until = period
    regions, fund_totals = funds_overview(county=county, year=year)
    region_ids = [region.pk for region in regions]
    # The report shows no overdue list, and has read the county's regions already (with their money).
    tracking = tracking_data(
        user=user, today=today, period=period, with_overdue=False, regions={region.pk: region for region in regions}
    )
    matrix = next((m for m in tracking["matrices"] if m["county"].pk == county.pk), None)
    routed = {}
    for row in matrix["rows"] if matrix else []:
        routed[row["region"].pk] = {
            "open": sum(cell["open"] for cell in row["cells"]),
            "answered": sum(cell["answered"] for cell in row["cells"]),
        }
    activity = _activity_by_region(user, region_ids, since, until)
    region_rows = []
    for region in regions:
        held = activity.get(region.pk, {})
        region_rows.append(
            {
                "region": region,
                "meetings_held": held.get("held", 0),
                "invited": held.get("invited", 0),
                "attended": held.get("attended", 0),
                "attendance_percent": round(100 * held["attended"] / held["invited"]) if held.get("invited") else None,
                "submitted": held.get("submitted", 0),
                "routed_open": routed.get(region.pk, {}).get("open", 0),
                "routed_answered": routed.get(region.pk, {}).get("answered", 0),
                "funds": region.balance,
            }
        )
    wanted = set(region_ids)
    anchoring = []
    for group in tracking["anchoring"]:
        rows = [row for row in group["rows"] if row["region"].pk in wanted]
        if rows:
            anchoring.append({**group, "rows": rows})
    return {
        "county": county,
        "year": year,
        "regions": region_rows,
        "medians": [row for row in tracking["medians"] if row["area"].county_id == county.pk],
        "anchoring": anchoring,
        "fund_totals": fund_totals,
        "funds_by_priority": _funds_by_priority(county, year),
        "membership_changes": _membership_changes(region_ids, year),
        "text": report_text_for(county=county, year=year),
    }
