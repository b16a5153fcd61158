"""Reads of the partnership funds, already scoped to what the user may see. Sums come from the
database (aggregates and subqueries), never from a loop over rows."""

import datetime
from decimal import Decimal

from django.db.models import DecimalField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.http import Http404

from partnerships.models import Priority, SpecialPart
from regions.models import Region
from regions.selectors import region_q_for_counties

from .models import (
    AMOUNT_DECIMALS,
    AMOUNT_MAX_DIGITS,
    Allocation,
    FundEntry,
    FundYear,
    Income,
    Payment,
    Project,
    UseReport,
)
from .permissions import visible_fund_year_filter

ZERO = Decimal("0.00")
_MONEY = DecimalField(max_digits=AMOUNT_MAX_DIGITS + 4, decimal_places=AMOUNT_DECIMALS)


def _sum_of(queryset, field):
    """A correlated subquery giving the sum of `field` over `queryset` (already filtered on OuterRef), 0 if none."""
    total = queryset.order_by().annotate(_one=Value(1)).values("_one").annotate(total=Sum(field)).values("total")
    return Coalesce(Subquery(total, output_field=_MONEY), Value(ZERO), output_field=_MONEY)


def _with_totals(queryset, prefix=""):
    """Annotate fund years (prefix "") or regions (prefix "fund year's lookup") with income, allocated, paid, used."""
    ref = OuterRef("pk") if not prefix else OuterRef(prefix)
    return queryset.annotate(
        income_total=_sum_of(Income.objects.filter(fund_year=ref), "amount"),
        allocated_total=_sum_of(Allocation.objects.filter(fund_year=ref), "amount"),
        paid_total=_sum_of(Payment.objects.filter(allocation__fund_year=ref), "amount"),
        used_total=_sum_of(UseReport.objects.filter(allocation__fund_year=ref), "amount_used"),
    )


def fund_year_list_visible_to(*, user) -> QuerySet:
    """The fund years the user may read, newest year first, with their totals."""
    qs = FundYear.objects.select_related("county", "region").order_by("-year", "region__name", "pk")
    q = visible_fund_year_filter(user)
    if q is not None:
        qs = qs.filter(q)
    return _with_totals(qs)


def fund_year_get_for_user(*, user, pk) -> FundYear:
    """The fund year with its totals if the user may read it; Http404 otherwise."""
    try:
        return fund_year_list_visible_to(user=user).get(pk=pk)
    except (FundYear.DoesNotExist, ValueError, TypeError):
        raise Http404("No such fund year") from None


def allocation_get_for_user(*, user, pk) -> Allocation:
    """The allocation if the user may read its fund year; Http404 otherwise."""
    years = FundYear.objects.all()
    q = visible_fund_year_filter(user)
    if q is not None:
        years = years.filter(q)
    try:
        return (
            Allocation.objects.select_related("fund_year__county", "fund_year__region", "priority", "project")
            .filter(fund_year__in=years)
            .get(pk=pk)
        )
    except (Allocation.DoesNotExist, ValueError, TypeError):
        raise Http404("No such allocation") from None


def income_get_for_user(*, user, pk) -> Income:
    """The income line if the user may read its fund year; Http404 otherwise."""
    years = FundYear.objects.all()
    q = visible_fund_year_filter(user)
    if q is not None:
        years = years.filter(q)
    try:
        return (
            Income.objects.select_related("fund_year__county", "fund_year__region")
            .filter(fund_year__in=years)
            .get(pk=pk)
        )
    except (Income.DoesNotExist, ValueError, TypeError):
        raise Http404("No such income line") from None


def fund_balance(fund_year) -> dict:
    """The balance of a fund year annotated by fund_year_list_visible_to: available = income - allocated,
    unpaid = allocated - paid."""
    return {
        "income": fund_year.income_total,
        "allocated": fund_year.allocated_total,
        "paid": fund_year.paid_total,
        "used": fund_year.used_total,
        "available": fund_year.income_total - fund_year.allocated_total,
        "unpaid": fund_year.allocated_total - fund_year.paid_total,
    }


def income_list_for(*, fund_year) -> QuerySet:
    return fund_year.incomes.order_by("source", "pk")


def allocation_list_for(*, fund_year) -> QuerySet:
    """The fund year's allocations with what is paid and used on each, and their payments and reports."""
    ref = OuterRef("pk")
    return (
        fund_year.allocations.select_related("priority", "project")
        .prefetch_related("payments", "use_reports")
        .annotate(
            paid_total=_sum_of(Payment.objects.filter(allocation=ref), "amount"),
            used_total=_sum_of(UseReport.objects.filter(allocation=ref), "amount_used"),
        )
        .order_by("pk")
    )


def entry_list_for(*, fund_year) -> QuerySet:
    """The fund year's history, newest first (paginate it)."""
    return FundEntry.objects.filter(fund_year=fund_year).select_related("actor").order_by("-at", "-pk")


def priority_choices_for(*, fund_year) -> QuerySet:
    """The priorities of the region's special parts with the fund year's county (every version, newest first)."""
    parts = SpecialPart.objects.filter(county_id=fund_year.county_id, region_id=fund_year.region_id)
    return (
        Priority.objects.filter(special_part__in=parts)
        .select_related("special_part")
        .order_by("-special_part__version", "order", "pk")
    )


def project_choices_for(*, fund_year) -> QuerySet:
    return Project.objects.filter(region_id=fund_year.region_id).order_by("name")


def overview_years(*, user) -> list[int]:
    """The years that have funds the user may read, newest first."""
    qs = FundYear.objects.all()
    q = visible_fund_year_filter(user)
    if q is not None:
        qs = qs.filter(q)
    return list(qs.order_by("-year").values_list("year", flat=True).distinct())


def funds_overview(*, county, year) -> tuple[list, dict]:
    """One row per region of the county in the year (with its fund year's totals, zero without one),
    and the county's totals; two queries whatever the number of regions."""
    day = datetime.date(year, 1, 1)
    fund_year = FundYear.objects.filter(county=county, year=year, region=OuterRef("pk"))
    regions = (
        Region.objects.filter(
            Q(pk__in=FundYear.objects.filter(county=county, year=year).values("region_id"))
            | (region_q_for_counties([county.pk], on=day) & Q(pk__in=Region.objects.valid_on(day).values("pk")))
        )
        .annotate(fund_year_id=Subquery(fund_year.values("pk")[:1]))
        .order_by("name")
    )
    ref = OuterRef("fund_year_id")
    rows = list(
        regions.annotate(
            income_total=_sum_of(Income.objects.filter(fund_year=ref), "amount"),
            allocated_total=_sum_of(Allocation.objects.filter(fund_year=ref), "amount"),
            paid_total=_sum_of(Payment.objects.filter(allocation__fund_year=ref), "amount"),
            used_total=_sum_of(UseReport.objects.filter(allocation__fund_year=ref), "amount_used"),
        )
    )
    totals = dict.fromkeys(("income", "allocated", "paid", "used", "available", "unpaid"), ZERO)
    for region in rows:
        region.balance = fund_balance(region)
        for key, value in region.balance.items():
            totals[key] += value
    return rows, totals
