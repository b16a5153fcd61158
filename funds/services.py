"""Writes of the partnership funds. Every service takes the acting adviser as `actor=`, checks the
rule in permissions.py (PermissionDenied), locks the fund year, checks the money rules and refuses
with a Norwegian message (ValidationError) before anything is saved, and writes a history entry
(who, when, old and new value) for every change in the same transaction.

The money rules: no more is allocated than the year's income (available = income - allocated never
below zero), no more is paid on an allocation than allocated, no more use is reported than paid; an
income line or an allocation cannot be lowered below what already depends on it."""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from partnerships.models import Priority, SpecialPart
from partnerships.services import check_partnership_pair
from regions.models import County, Region

from . import permissions as perms
from .formatting import nok
from .models import FIRST_YEAR, LAST_YEAR, Allocation, FundEntry, FundYear, Income, Payment, Project, UseReport

ZERO = Decimal("0.00")


def _authorise(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(_("You may not change the partnership funds."))


def _locked(fund_year: FundYear) -> FundYear:
    """The fund year's row, locked until the transaction ends, so two advisers cannot both allocate the last krone."""
    return FundYear.objects.select_for_update().get(pk=fund_year.pk)


def _total(queryset, field) -> Decimal:
    return queryset.aggregate(total=Sum(field))["total"] or ZERO


def _income_total(fund_year) -> Decimal:
    return _total(Income.objects.filter(fund_year=fund_year), "amount")


def _allocated_total(fund_year) -> Decimal:
    return _total(Allocation.objects.filter(fund_year=fund_year), "amount")


def _paid_on(allocation) -> Decimal:
    return _total(Payment.objects.filter(allocation=allocation), "amount")


def _used_on(allocation) -> Decimal:
    return _total(UseReport.objects.filter(allocation=allocation), "amount_used")


def _amount(value, field="amount") -> Decimal:
    try:
        amount = Decimal(value).quantize(Decimal("0.01"))
    except Exception:
        raise ValidationError({field: _("Enter an amount in kroner.")}) from None
    if amount <= 0:
        raise ValidationError({field: _("The amount must be more than zero.")})
    return amount


def _record(*, fund_year, kind, obj=None, label="", old="", new="", actor, now=None) -> FundEntry:
    return FundEntry.record(
        fund_year=fund_year, kind=kind, obj=obj, label=label, old=old, new=new, actor=actor, at=now or timezone.now()
    )


def _save(obj, **kwargs):
    obj.full_clean()
    obj.save(**kwargs)
    return obj


# --- the year ------------------------------------------------------------------------------------


@transaction.atomic
def fund_year_create(*, county: County, region: Region, year: int, actor: User) -> FundYear:
    """Open a region's funds for a year under the county (once per county, region and year)."""
    _authorise(perms.can_manage_funds(actor, county))
    if not FIRST_YEAR <= int(year) <= LAST_YEAR:
        raise ValidationError(
            {"year": _("Choose a year between %(first)s and %(last)s.") % {"first": FIRST_YEAR, "last": LAST_YEAR}}
        )
    check_partnership_pair(county, region)
    if FundYear.objects.filter(county=county, region=region, year=year).exists():
        raise ValidationError(_("%(region)s already has funds for %(year)s.") % {"region": region.name, "year": year})
    try:
        with transaction.atomic():
            fund_year = _save(FundYear(county=county, region=region, year=year))
    except IntegrityError:
        raise ValidationError(
            _("%(region)s already has funds for %(year)s.") % {"region": region.name, "year": year}
        ) from None
    _record(fund_year=fund_year, kind=FundEntry.Kind.YEAR, obj=fund_year, label=str(fund_year), actor=actor)
    return fund_year


# --- income --------------------------------------------------------------------------------------


@transaction.atomic
def income_add(*, fund_year: FundYear, source: str, amount, actor: User, description: str = "", now=None) -> Income:
    """Add a line of income (the county's or the municipalities' contribution, or another source)."""
    _authorise(perms.can_change_fund_year(actor, fund_year))
    fund_year = _locked(fund_year)
    income = _save(Income(fund_year=fund_year, source=source, amount=_amount(amount), description=description))
    _record(
        fund_year=fund_year,
        kind=FundEntry.Kind.INCOME,
        obj=income,
        label=str(income),
        new=income.amount,
        actor=actor,
        now=now,
    )
    return income


@transaction.atomic
def income_update(*, income: Income, amount, actor: User, description: str | None = None, now=None) -> Income:
    """Change an income line's amount (and description); refused if less would come in than is allocated."""
    _authorise(perms.can_change_fund_year(actor, income.fund_year))
    fund_year = _locked(income.fund_year)
    income = Income.objects.get(pk=income.pk)
    new_amount = _amount(amount)
    old_amount = income.amount
    income_after = _income_total(fund_year) - old_amount + new_amount
    allocated = _allocated_total(fund_year)
    if income_after < allocated:
        raise ValidationError(
            {
                "amount": _(
                    "The income cannot be lowered to %(amount)s: %(allocated)s is already allocated, which would "
                    "leave the year with only %(income)s in income."
                )
                % {"amount": nok(new_amount), "allocated": nok(allocated), "income": nok(income_after)}
            }
        )
    income.amount = new_amount
    if description is not None:
        income.description = description
    _save(income, update_fields=["amount", "description"])
    if old_amount != new_amount:
        _record(
            fund_year=fund_year,
            kind=FundEntry.Kind.INCOME,
            obj=income,
            label=str(income),
            old=old_amount,
            new=new_amount,
            actor=actor,
            now=now,
        )
    return income


# --- projects ------------------------------------------------------------------------------------


@transaction.atomic
def project_create(
    *, fund_year: FundYear, name: str, actor: User, priority: Priority | None = None, description: str = ""
) -> Project:
    """Record a project of the fund year's region that funds can be allocated to."""
    _authorise(perms.can_change_fund_year(actor, fund_year))
    _check_priority(fund_year, priority)
    if Project.objects.filter(region_id=fund_year.region_id, name=name).exists():
        raise ValidationError({"name": _("The region already has a project with this name.")})
    return _save(Project(region_id=fund_year.region_id, name=name, priority=priority, description=description))


# --- allocations ---------------------------------------------------------------------------------


def _check_priority(fund_year, priority):
    if priority is None:
        return
    parts = SpecialPart.objects.filter(county_id=fund_year.county_id, region_id=fund_year.region_id)
    if not parts.filter(pk=priority.special_part_id).exists():
        raise ValidationError({"priority": _("The priority is not one of the region's special part.")})


def _check_target(fund_year, priority, project):
    if priority is None and project is None:
        raise ValidationError(_("Choose a priority or a project for the allocation."))
    _check_priority(fund_year, priority)
    if project is not None and project.region_id != fund_year.region_id:
        raise ValidationError({"project": _("The project belongs to another region.")})


def _refuse_over_available(fund_year, amount, already_allocated):
    income = _income_total(fund_year)
    available = income - already_allocated
    if amount > available:
        raise ValidationError(
            {
                "amount": _(
                    "Only %(available)s is available to allocate (income %(income)s, already allocated "
                    "%(allocated)s); %(amount)s is more than that."
                )
                % {
                    "available": nok(max(available, ZERO)),
                    "income": nok(income),
                    "allocated": nok(already_allocated),
                    "amount": nok(amount),
                }
            }
        )


@transaction.atomic
def allocation_add(
    *,
    fund_year: FundYear,
    amount,
    actor: User,
    priority: Priority | None = None,
    project: Project | None = None,
    description: str = "",
    now=None,
) -> Allocation:
    """Allocate money of the year to a priority or a project; refused beyond what is available."""
    _authorise(perms.can_change_fund_year(actor, fund_year))
    fund_year = _locked(fund_year)
    amount = _amount(amount)
    _check_target(fund_year, priority, project)
    if project is not None and priority is None:
        priority = project.priority
        if priority is not None:
            _check_priority(fund_year, priority)
    _refuse_over_available(fund_year, amount, _allocated_total(fund_year))
    allocation = _save(
        Allocation(fund_year=fund_year, priority=priority, project=project, amount=amount, description=description)
    )
    _record(
        fund_year=fund_year,
        kind=FundEntry.Kind.ALLOCATION,
        obj=allocation,
        label=str(allocation),
        new=amount,
        actor=actor,
        now=now,
    )
    return allocation


@transaction.atomic
def allocation_update(
    *, allocation: Allocation, amount, actor: User, description: str | None = None, now=None
) -> Allocation:
    """Change an allocation's amount: never beyond what is available, never below what is already paid."""
    _authorise(perms.can_change_fund_year(actor, allocation.fund_year))
    fund_year = _locked(allocation.fund_year)
    allocation = Allocation.objects.select_related("priority", "project").get(pk=allocation.pk)
    amount = _amount(amount)
    old_amount = allocation.amount
    paid = _paid_on(allocation)
    if amount < paid:
        raise ValidationError(
            {
                "amount": _("The allocation cannot be lowered to %(amount)s: %(paid)s is already paid on it.")
                % {"amount": nok(amount), "paid": nok(paid)}
            }
        )
    _refuse_over_available(fund_year, amount, _allocated_total(fund_year) - old_amount)
    allocation.amount = amount
    if description is not None:
        allocation.description = description
    _save(allocation, update_fields=["amount", "description"])
    if old_amount != amount:
        _record(
            fund_year=fund_year,
            kind=FundEntry.Kind.ALLOCATION,
            obj=allocation,
            label=str(allocation),
            old=old_amount,
            new=amount,
            actor=actor,
            now=now,
        )
    return allocation


# --- payments and reported use -------------------------------------------------------------------


@transaction.atomic
def payment_add(
    *, allocation: Allocation, amount, paid_on: datetime.date, actor: User, note: str = "", now=None
) -> Payment:
    """Record a payment on an allocation; refused beyond what is allocated and not yet paid."""
    _authorise(perms.can_change_fund_year(actor, allocation.fund_year))
    fund_year = _locked(allocation.fund_year)
    allocation = Allocation.objects.select_related("priority", "project").get(pk=allocation.pk)
    amount = _amount(amount)
    paid = _paid_on(allocation)
    unpaid = allocation.amount - paid
    if amount > unpaid:
        raise ValidationError(
            {
                "amount": _(
                    "Only %(unpaid)s of the allocation of %(allocated)s is unpaid; a payment of %(amount)s is "
                    "more than that."
                )
                % {"unpaid": nok(unpaid), "allocated": nok(allocation.amount), "amount": nok(amount)}
            }
        )
    payment = _save(Payment(allocation=allocation, amount=amount, paid_on=paid_on, note=note))
    _record(
        fund_year=fund_year,
        kind=FundEntry.Kind.PAYMENT,
        obj=payment,
        label=str(allocation),
        old=paid,
        new=paid + amount,
        actor=actor,
        now=now,
    )
    return payment


@transaction.atomic
def use_report_add(
    *, allocation: Allocation, amount_used, reported_on: datetime.date, text: str, actor: User, now=None
) -> UseReport:
    """Record what the money of an allocation was used for; refused beyond what is paid on it."""
    _authorise(perms.can_change_fund_year(actor, allocation.fund_year))
    fund_year = _locked(allocation.fund_year)
    allocation = Allocation.objects.select_related("priority", "project").get(pk=allocation.pk)
    try:
        used = Decimal(amount_used).quantize(Decimal("0.01"))
    except Exception:
        raise ValidationError({"amount_used": _("Enter an amount in kroner.")}) from None
    if used < 0:
        raise ValidationError({"amount_used": _("The amount used cannot be negative.")})
    before = _used_on(allocation)
    paid = _paid_on(allocation)
    if before + used > paid:
        raise ValidationError(
            {
                "amount_used": _(
                    "Only %(paid)s is paid on the allocation and %(used)s of it is already reported as used; "
                    "%(amount)s more is too much."
                )
                % {"paid": nok(paid), "used": nok(before), "amount": nok(used)}
            }
        )
    report = _save(UseReport(allocation=allocation, amount_used=used, reported_on=reported_on, text=text))
    _record(
        fund_year=fund_year,
        kind=FundEntry.Kind.USE,
        obj=report,
        label=str(allocation),
        old=before,
        new=before + used,
        actor=actor,
        now=now,
    )
    return report
