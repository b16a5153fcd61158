"""The funds pages as their users meet them: the region's year, the adviser's forms, the county
overview and the Excel exports."""

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from funds.models import Allocation, FundEntry

from .factories import fund_year, priorities_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def year(region, adviser):
    return fund_year(region, adviser=adviser)


@pytest.fixture
def priority(region, adviser):
    return priorities_of(region, adviser=adviser)[0]


def test_the_leader_reads_the_regions_year_with_norwegian_amounts(client, year, leader):
    client.force_login(leader)
    html = client.get(year.get_absolute_url()).content.decode()
    assert "2\xa0500\xa0000,00" in html and "3\xa0500\xa0000,00" in html
    assert reverse("funds:allocation-add", args=[year.pk]) not in html


def test_another_regions_leader_and_staff_get_404(client, year, other_leader, staff):
    for user in (other_leader, staff):
        client.force_login(user)
        assert client.get(year.get_absolute_url()).status_code == 404
        assert client.get(reverse("funds:year-export", args=[year.pk])).status_code == 404
        assert str(year.region.name) not in client.get(reverse("funds:index")).content.decode()


def test_the_leader_may_not_allocate(client, year, priority, leader):
    client.force_login(leader)
    response = client.post(reverse("funds:allocation-add", args=[year.pk]), {"priority": priority.pk, "amount": "10"})
    assert response.status_code == 403
    assert not Allocation.objects.exists()


def test_an_adviser_allocates_and_the_change_shows_in_the_history(client, year, priority, adviser):
    client.force_login(adviser)
    response = client.post(
        reverse("funds:allocation-add", args=[year.pk]), {"priority": priority.pk, "amount": "1 200 000,50"}
    )
    assert response.status_code == 302
    html = client.get(year.get_absolute_url()).content.decode()
    assert "1\xa0200\xa0000,50" in html  # allocated
    assert "2\xa0299\xa0999,50" in html  # available
    assert FundEntry.objects.filter(fund_year=year, kind=FundEntry.Kind.ALLOCATION).count() == 1


def test_allocating_more_than_available_shows_a_norwegian_message_and_saves_nothing(client, year, priority, adviser):
    client.force_login(adviser)
    response = client.post(
        reverse("funds:allocation-add", args=[year.pk]), {"priority": priority.pk, "amount": "3500000,01"}
    )
    assert response.status_code == 400
    assert "tilgjengelig" in response.content.decode()
    assert not Allocation.objects.exists()


def test_an_allocation_needs_a_priority_or_a_project(client, year, adviser):
    client.force_login(adviser)
    response = client.post(reverse("funds:allocation-add", args=[year.pk]), {"amount": "100"})
    assert response.status_code == 400
    assert not Allocation.objects.exists()


def test_the_year_exports_to_excel_with_the_balance(client, year, priority, adviser, leader):
    client.force_login(adviser)
    client.post(reverse("funds:allocation-add", args=[year.pk]), {"priority": priority.pk, "amount": "1000000"})
    client.force_login(leader)
    response = client.get(reverse("funds:year-export", args=[year.pk]))
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    balance = {row[0]: row[1] for row in workbook.worksheets[0].iter_rows(values_only=True)}
    assert Decimal(str(balance["Inntekter"])) == Decimal("3500000")
    assert Decimal(str(balance["Tilgjengelig"])) == Decimal("2500000")


def test_the_county_overview_and_its_export_add_up(client, region, other_region, adviser):
    fund_year(region, adviser=adviser)
    fund_year(other_region, adviser=adviser, municipal_amount="500000")
    client.force_login(adviser)
    query = {"county": region.host_county.pk, "year": 2026}
    html = client.get(reverse("funds:overview"), query).content.decode()
    assert "Follo" in html and "Indre Østfold" in html and "6\xa0500\xa0000,00" in html
    response = client.get(reverse("funds:overview-export"), query)
    rows = list(
        load_workbook(io.BytesIO(b"".join(response.streaming_content))).worksheets[0].iter_rows(values_only=True)
    )
    assert rows[-1][0] == "Sum" and Decimal(str(rows[-1][1])) == Decimal("6500000")


def test_the_overview_is_the_advisers(client, leader):
    client.force_login(leader)
    assert client.get(reverse("funds:overview")).status_code == 403


def test_an_adviser_opens_a_year(client, region, adviser):
    client.force_login(adviser)
    response = client.post(
        reverse("funds:year-create"), {"county": region.host_county.pk, "region": region.pk, "year": 2027}
    )
    assert response.status_code == 302
    again = client.post(
        reverse("funds:year-create"), {"county": region.host_county.pk, "region": region.pk, "year": 2027}
    )
    assert again.status_code == 400


def _count_queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_pages_make_no_query_per_row(client, year, priority, adviser, other_region):
    from funds import services

    client.force_login(adviser)
    pages = [year.get_absolute_url(), reverse("funds:index")]
    overview = reverse("funds:overview") + f"?county={year.county_id}&year=2026"
    allocation = services.allocation_add(fund_year=year, priority=priority, amount="1000", actor=adviser)
    services.payment_add(allocation=allocation, amount="500", paid_on="2026-02-01", actor=adviser)
    before = [_count_queries(client, url) for url in [*pages, overview]]
    for _ in range(5):
        allocation = services.allocation_add(fund_year=year, priority=priority, amount="1000", actor=adviser)
        services.payment_add(allocation=allocation, amount="500", paid_on="2026-02-01", actor=adviser)
        services.use_report_add(
            allocation=allocation, amount_used="100", reported_on="2026-03-01", text="x", actor=adviser
        )
    fund_year(other_region, adviser=adviser)
    after = [_count_queries(client, url) for url in [*pages, overview]]
    assert after == before
    assert max(after) <= 15
