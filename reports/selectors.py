"""The yearly report's figures for a county and a year. Every figure the portal shows elsewhere is read
through the selector that shows it there (cases.selectors.tracking_data for answers, medians and
anchoring; funds.selectors.funds_overview for the money per region), so the report and the tracking
page and the exports agree to the krone and the day. What no page shows yet (meetings held and their
attendance, cases submitted per region, money per priority, membership changes) is one aggregate query
each, so the report costs a fixed number of queries whatever the size of the county's year."""

import datetime
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.http import Http404

from cases.models import Case
from cases.selectors import case_list_visible_to, tracking_data, tracking_period
from funds.models import Allocation, UseReport
from funds.selectors import funds_overview
from meetings.models import Meeting, Participant
from regions.models import County, RegionMembership

from .models import FIRST_YEAR, LAST_YEAR, ReportText
from .permissions import can_view_report

ZERO = Decimal("0.00")


def report_county_get_for_user(*, user, county_pk, year) -> County:
    """The county whose report of the year the user may read; Http404 for anyone else, for a county
    that does not exist or is outside the adviser's scope, and for a year outside the portal's range."""
    try:
        county = County.objects.get(pk=int(county_pk))
    except (County.DoesNotExist, TypeError, ValueError):
        raise Http404("No such county") from None
    if not can_view_report(user, county) or not FIRST_YEAR <= int(year) <= LAST_YEAR:
        raise Http404("No such report")
    return county


def report_text_for(*, county, year) -> ReportText | None:
    return ReportText.objects.filter(county=county, year=year).select_related("updated_by").first()


def _meetings_by_region(region_ids, since, until) -> dict:
    """{region id: {"held", "invited", "attended"}} for the meetings held in the period."""
    rows = (
        Meeting.objects.filter(region_id__in=region_ids, status=Meeting.Status.HELD, start__gte=since, start__lt=until)
        .order_by()
        .values("region_id")
        .annotate(
            held=Count("pk", distinct=True),
            invited=Count("participants", distinct=True),
            attended=Count("participants", filter=Q(participants__status=Participant.Status.ATTENDED), distinct=True),
        )
    )
    return {row["region_id"]: row for row in rows}


def _submitted_by_region(user, region_ids, since, until) -> dict:
    rows = (
        case_list_visible_to(user=user)
        .filter(
            origin_region_id__in=region_ids,
            direction=Case.Direction.REGION_TO_COUNTY,
            submitted_at__gte=since,
            submitted_at__lt=until,
        )
        .order_by()
        .values("origin_region_id")
        .annotate(n=Count("pk"))
    )
    return {row["origin_region_id"]: row["n"] for row in rows}


def _funds_by_priority(county, year) -> list:
    """Allocated and reported used per priority of the county's fund years (two queries); allocations to
    a project without a priority are one row of their own."""
    allocations = Allocation.objects.filter(fund_year__county=county, fund_year__year=year).order_by()
    allocated = allocations.values("priority_id", "priority__text").annotate(total=Sum("amount"))
    used = (
        UseReport.objects.filter(allocation__in=allocations.values("pk"))
        .order_by()
        .values("allocation__priority_id")
        .annotate(total=Sum("amount_used"))
    )
    used_by = {row["allocation__priority_id"]: row["total"] for row in used}
    rows = [
        {
            "priority": (row["priority__text"] or "")[:80] or None,
            "allocated": row["total"] or ZERO,
            "used": used_by.get(row["priority_id"]) or ZERO,
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
    tracking = tracking_data(user=user, today=today, period=period)
    matrix = next((m for m in tracking["matrices"] if m["county"].pk == county.pk), None)
    routed = {}
    for row in matrix["rows"] if matrix else []:
        routed[row["region"].pk] = {
            "open": sum(cell["open"] for cell in row["cells"]),
            "answered": sum(cell["answered"] for cell in row["cells"]),
        }
    meetings = _meetings_by_region(region_ids, since, until)
    submitted = _submitted_by_region(user, region_ids, since, until)
    region_rows = []
    for region in regions:
        held = meetings.get(region.pk, {})
        region_rows.append(
            {
                "region": region,
                "meetings_held": held.get("held", 0),
                "invited": held.get("invited", 0),
                "attended": held.get("attended", 0),
                "attendance_percent": round(100 * held["attended"] / held["invited"]) if held.get("invited") else None,
                "submitted": submitted.get(region.pk, 0),
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
