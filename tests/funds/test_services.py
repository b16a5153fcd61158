"""The money rules of the partnership funds, through the services, on a real database."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from accounts.models import User
from funds import services
from funds.models import Allocation, FundEntry, Income, Payment, UseReport
from funds.selectors import fund_balance, fund_year_get_for_user, funds_overview
from regions.models import Appointment
from tests.factories import AppointmentFactory, CountyFactory, PersonFactory, RegionFactory, UserFactory

from .factories import fund_year, priorities_of

pytestmark = pytest.mark.django_db
PAID_ON = datetime.date(2026, 3, 1)


@pytest.fixture
def year(region, adviser):
    return fund_year(region, adviser=adviser)


@pytest.fixture
def priority(region, adviser):
    return priorities_of(region, adviser=adviser)[0]


def _balance(user, year):
    return fund_balance(fund_year_get_for_user(user=user, pk=year.pk))


def test_the_balance_is_income_minus_allocated_and_allocated_minus_paid(year, priority, adviser):
    allocation = services.allocation_add(fund_year=year, priority=priority, amount="1500000", actor=adviser)
    services.payment_add(allocation=allocation, amount="400000", paid_on=PAID_ON, actor=adviser)
    balance = _balance(adviser, year)
    assert balance["income"] == Decimal("3500000.00")
    assert balance["allocated"] == Decimal("1500000.00")
    assert balance["available"] == Decimal("2000000.00")
    assert balance["paid"] == Decimal("400000.00")
    assert balance["unpaid"] == Decimal("1100000.00")


def test_allocating_more_than_available_is_refused_in_norwegian_and_changes_nothing(year, priority, adviser):
    services.allocation_add(fund_year=year, priority=priority, amount="3000000", actor=adviser)
    with translation.override("nb"), pytest.raises(ValidationError) as refused:
        services.allocation_add(fund_year=year, priority=priority, amount="500000.01", actor=adviser)
    message = " ".join(refused.value.messages)
    assert "500\xa0000,00" in message and "tilgjengelig" in message
    assert Allocation.objects.filter(fund_year=year).count() == 1
    assert FundEntry.objects.filter(fund_year=year, kind=FundEntry.Kind.ALLOCATION).count() == 1


def test_the_whole_available_amount_can_be_allocated(year, priority, adviser):
    services.allocation_add(fund_year=year, priority=priority, amount="3500000", actor=adviser)
    assert _balance(adviser, year)["available"] == Decimal("0.00")


def test_raising_an_allocation_beyond_what_is_available_is_refused(year, priority, adviser):
    allocation = services.allocation_add(fund_year=year, priority=priority, amount="3000000", actor=adviser)
    with pytest.raises(ValidationError):
        services.allocation_update(allocation=allocation, amount="3600000", actor=adviser)
    services.allocation_update(allocation=allocation, amount="3500000", actor=adviser)
    allocation.refresh_from_db()
    assert allocation.amount == Decimal("3500000.00")


def test_paying_more_than_allocated_is_refused(year, priority, adviser):
    allocation = services.allocation_add(fund_year=year, priority=priority, amount="100000", actor=adviser)
    services.payment_add(allocation=allocation, amount="60000", paid_on=PAID_ON, actor=adviser)
    with translation.override("nb"), pytest.raises(ValidationError) as refused:
        services.payment_add(allocation=allocation, amount="40000.01", paid_on=PAID_ON, actor=adviser)
    assert "40\xa0000,00" in " ".join(refused.value.messages)
    assert Payment.objects.filter(allocation=allocation).count() == 1


def test_an_allocation_cannot_be_lowered_below_what_is_paid(year, priority, adviser):
    allocation = services.allocation_add(fund_year=year, priority=priority, amount="100000", actor=adviser)
    services.payment_add(allocation=allocation, amount="60000", paid_on=PAID_ON, actor=adviser)
    with pytest.raises(ValidationError):
        services.allocation_update(allocation=allocation, amount="50000", actor=adviser)


def test_income_cannot_be_lowered_below_what_is_allocated(year, priority, adviser):
    services.allocation_add(fund_year=year, priority=priority, amount="3000000", actor=adviser)
    county_income = Income.objects.get(fund_year=year, source="county")
    with pytest.raises(ValidationError):
        services.income_update(income=county_income, amount="1900000", actor=adviser)
    county_income.refresh_from_db()
    assert county_income.amount == Decimal("2500000.00")


def test_more_use_than_paid_cannot_be_reported(year, priority, adviser):
    allocation = services.allocation_add(fund_year=year, priority=priority, amount="100000", actor=adviser)
    services.payment_add(allocation=allocation, amount="50000", paid_on=PAID_ON, actor=adviser)
    services.use_report_add(
        allocation=allocation, amount_used="30000", reported_on=PAID_ON, text="Forstudie", actor=adviser
    )
    with pytest.raises(ValidationError):
        services.use_report_add(
            allocation=allocation, amount_used="20000.01", reported_on=PAID_ON, text="Mer", actor=adviser
        )
    assert UseReport.objects.filter(allocation=allocation).count() == 1
    assert _balance(adviser, year)["used"] == Decimal("30000.00")


def test_every_change_is_kept_with_who_when_and_the_old_and_new_value(year, priority, adviser):
    allocation = services.allocation_add(fund_year=year, priority=priority, amount="100000", actor=adviser)
    services.allocation_update(allocation=allocation, amount="150000", actor=adviser)
    entry = FundEntry.objects.filter(fund_year=year, object_id=allocation.pk).order_by("-pk").first()
    assert (entry.actor, entry.kind, Decimal(entry.old_value), Decimal(entry.new_value)) == (
        adviser,
        FundEntry.Kind.ALLOCATION,
        Decimal("100000"),
        Decimal("150000"),
    )
    assert entry.at is not None
    with pytest.raises(ValidationError):
        entry.save()


def test_a_priority_of_another_region_cannot_be_funded(year, other_region, adviser):
    foreign = priorities_of(other_region, adviser=adviser)[0]
    with pytest.raises(ValidationError):
        services.allocation_add(fund_year=year, priority=foreign, amount="1000", actor=adviser)


def test_a_project_is_funded_under_its_priority(year, priority, adviser):
    project = services.project_create(fund_year=year, name="Grønt industriløft", priority=priority, actor=adviser)
    allocation = services.allocation_add(fund_year=year, project=project, amount="250000", actor=adviser)
    assert (allocation.project, allocation.priority) == (project, priority)


def test_a_year_is_opened_once_per_region(year, region, adviser):
    with pytest.raises(ValidationError):
        services.fund_year_create(county=region.host_county, region=region, year=2026, actor=adviser)


def test_only_the_countys_advisers_change_funds(year, priority, leader, region):
    other_county = CountyFactory(number="34", name="Innlandet")
    adviser_elsewhere = UserFactory(username="innlandet", role=User.Role.ADVISER)
    AppointmentFactory(
        person=PersonFactory(user=adviser_elsewhere),
        role=Appointment.Role.COORDINATION_ADVISER,
        region=None,
        county=other_county,
    )
    for actor in (leader, adviser_elsewhere):
        with pytest.raises(PermissionDenied):
            services.allocation_add(fund_year=year, priority=priority, amount="1000", actor=actor)
    assert not Allocation.objects.exists()


def test_the_county_overview_has_one_row_per_region_and_the_totals(region, other_region, adviser):
    fund_year(region, adviser=adviser)
    fund_year(other_region, adviser=adviser, municipal_amount="500000")
    empty = RegionFactory(name="Haldenregionen", slug="halden")
    rows, totals = funds_overview(county=region.host_county, year=2026)
    by_name = {row.name: row.balance for row in rows}
    assert set(by_name) == {"Indre Østfold", "Follo", "Haldenregionen"}
    assert by_name["Follo"]["income"] == Decimal("3000000.00")
    assert by_name[empty.name]["income"] == Decimal("0")
    assert totals["income"] == Decimal("6500000.00")
