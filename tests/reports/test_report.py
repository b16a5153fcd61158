"""The yearly report as the adviser meets it: the same figures as the tracking page and the funds
overview (computed both ways on one world), the adviser's text, PDF and Word, 404 for everyone else,
and the same number of queries however much the county did in the year."""

import datetime
import io
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.models import Case, Routing
from cases.selectors import tracking_data, tracking_period
from funds import services as fund_services
from funds.selectors import funds_overview
from meetings.models import Meeting, Participant
from reports.models import ReportText
from reports.selectors import yearly_report
from tests.cases.factories import CaseFactory
from tests.factories import CouncilAreaFactory, MembershipFactory, MunicipalityFactory, PersonFactory
from tests.funds.factories import fund_year, priorities_of

pytestmark = pytest.mark.django_db

OSLO = ZoneInfo("Europe/Oslo")
YEAR = 2026
TODAY = datetime.date(YEAR, 12, 1)


def _at(month, day, hour=10):
    return datetime.datetime(YEAR, month, day, hour, tzinfo=OSLO)


def _case(region, adviser, submitted, *routings):
    """A submitted case routed to each (council area, answered at or None for open)."""
    case = CaseFactory(origin_region=region, status=Case.Status.ROUTED, submitted_at=submitted, created_by=adviser)
    for area, answered in routings:
        Routing.objects.create(
            case=case,
            council_area=area,
            routed_by=adviser,
            routed_at=submitted,
            answered_at=answered,
            state=Routing.State.ANSWERED if answered else Routing.State.PENDING,
        )
    return case


def _meeting(region, day, statuses, *, status=Meeting.Status.HELD):
    meeting = Meeting.objects.create(
        region=region, title="Regionrådsmøte", start=_at(*day), end=_at(*day, hour=12), status=status
    )
    for participant_status in statuses:
        Participant.objects.create(meeting=meeting, person=PersonFactory(), status=participant_status)
    return meeting


def _grow(region, adviser, area, n):
    """n more cases, meetings and memberships in the year: the report must not read them one by one."""
    for i in range(n):
        _case(region, adviser, _at(4, 1 + i), (area, _at(4, 10 + i)))
        _meeting(region, (5, 1 + i), [Participant.Status.ATTENDED, Participant.Status.INVITED])
        MembershipFactory(region=region, municipality=MunicipalityFactory(), valid_from=datetime.date(YEAR, 6, 1 + i))


@pytest.fixture
def world(region, other_region, adviser, council_area):
    east = council_area
    other_area = CouncilAreaFactory(name="Utdanning", county=region.host_county)
    _case(region, adviser, _at(2, 1), (east, _at(2, 5)), (other_area, None))
    _case(region, adviser, _at(3, 1), (other_area, _at(3, 2)))
    _case(other_region, adviser, _at(3, 1), (east, _at(3, 11)))
    _case(other_region, adviser, _at(3, 2), (east, _at(3, 5, 12)))
    _case(other_region, adviser, datetime.datetime(YEAR - 1, 6, 1, tzinfo=OSLO), (east, _at(1, 3)))  # last year
    _meeting(region, (3, 1), [Participant.Status.ATTENDED, Participant.Status.ATTENDED, Participant.Status.DECLINED])
    _meeting(region, (9, 1), [Participant.Status.INVITED], status=Meeting.Status.PLANNED)  # not held
    _meeting(other_region, (4, 1), [Participant.Status.ATTENDED])
    joined = MunicipalityFactory(name="Aremark")
    MembershipFactory(region=region, municipality=joined, valid_from=datetime.date(YEAR, 7, 1))
    year = fund_year(region, adviser=adviser)
    priority = priorities_of(region, adviser=adviser)[0]
    allocation = fund_services.allocation_add(fund_year=year, priority=priority, amount="1500000", actor=adviser)
    fund_services.payment_add(allocation=allocation, amount="500000", paid_on=datetime.date(YEAR, 3, 1), actor=adviser)
    fund_services.use_report_add(
        allocation=allocation,
        amount_used="200000",
        reported_on=datetime.date(YEAR, 9, 1),
        text="Forstudie.",
        actor=adviser,
    )
    return {"county": region.host_county, "priority": priority}


def _url(name, county, year=YEAR):
    return reverse(name, kwargs={"county": county.pk, "year": year})


def test_the_report_counts_as_the_tracking_page_and_the_funds_overview(world, region, other_region, adviser):
    county = world["county"]
    report = yearly_report(user=adviser, county=county, year=YEAR, today=TODAY)
    tracking = tracking_data(user=adviser, today=TODAY, period=tracking_period(today=TODAY, year=YEAR))
    # Answered and open per region: the tracking page's table of the county, summed per row.
    matrix = next(m for m in tracking["matrices"] if m["county"] == county)
    expected = {
        row["region"].pk: (sum(c["answered"] for c in row["cells"]), sum(c["open"] for c in row["cells"]))
        for row in matrix["rows"]
    }
    shown = {row["region"].pk: (row["routed_answered"], row["routed_open"]) for row in report["regions"]}
    assert shown[region.pk] == expected[region.pk] == (2, 1)
    assert shown[other_region.pk] == expected[other_region.pk] == (2, 0)
    assert report["medians"] == tracking["medians"]
    # Medians by hand: east has 4, 10 and 3.1 days (this year's cases only): median 4 days.
    east = next(row for row in report["medians"] if row["area"].name == "Samferdsel")
    assert (east["median"], east["count"]) == (pytest.approx(4.0), 3)
    # The money as the funds overview and its Excel export give it.
    rows, totals = funds_overview(county=county, year=YEAR)
    assert report["fund_totals"] == totals
    assert [row["funds"] for row in report["regions"]] == [row.balance for row in rows]
    assert report["funds_by_priority"] == [
        {"priority": str(world["priority"]), "allocated": Decimal("1500000.00"), "used": Decimal("200000.00")}
    ]
    # What no other page shows, counted by hand: held meetings only, and who attended of those invited.
    by_region = {row["region"].pk: row for row in report["regions"]}
    assert (by_region[region.pk]["meetings_held"], by_region[region.pk]["attended"]) == (1, 2)
    assert (by_region[region.pk]["invited"], by_region[region.pk]["attendance_percent"]) == (3, 67)
    assert by_region[region.pk]["submitted"] == 2 and by_region[other_region.pk]["submitted"] == 2
    changes = report["membership_changes"]
    assert [(c["day"], c["joined"], c["membership"].municipality.name) for c in changes] == [
        (datetime.date(YEAR, 7, 1), True, "Aremark")
    ]


def test_the_adviser_reads_the_page_with_figures_and_charts(client, world, adviser, region):
    client.force_login(adviser)
    response = client.get(_url("reports:report", world["county"]))
    assert response.status_code == 200
    html = response.content.decode()
    assert region.name in html and "Aremark" in html
    assert html.count("<svg") >= 3
    assert "1\xa0500\xa0000,00" in html


def test_the_index_leads_to_the_chosen_report(client, world, adviser):
    client.force_login(adviser)
    response = client.get(reverse("reports:index"), {"county": world["county"].pk, "year": YEAR})
    assert response.status_code == 302 and response["Location"] == _url("reports:report", world["county"])
    assert client.get(reverse("reports:index"), {"county": "x", "year": "1066"}).status_code == 400


def test_everyone_but_advisers_gets_404(client, world, leader, staff, adviser):
    county = world["county"]
    for user in (leader, staff):
        client.force_login(user)
        for name in ("reports:report", "reports:report-pdf", "reports:report-docx"):
            assert client.get(_url(name, county)).status_code == 404
        assert client.get(reverse("reports:index")).status_code == 404
        assert client.post(_url("reports:report", county), {"introduction": "x"}).status_code == 404
    assert not ReportText.objects.exists()
    client.force_login(adviser)
    assert client.get(reverse("reports:report", kwargs={"county": 999999, "year": YEAR})).status_code == 404
    assert client.get(_url("reports:report", county, year=1066)).status_code == 404


def test_the_advisers_text_goes_into_the_page_the_pdf_and_word(client, world, adviser):
    from docx import Document

    county = world["county"]
    client.force_login(adviser)
    response = client.post(
        _url("reports:report", county),
        {"introduction": "Året var preget av NTP-arbeidet.", "assessment": "Forankringen er styrket."},
    )
    assert response.status_code == 302
    assert "Året var preget av NTP-arbeidet." in client.get(_url("reports:report", county)).content.decode()
    pdf = client.get(_url("reports:report-pdf", county))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    word = client.get(_url("reports:report-docx", county))
    assert word.status_code == 200
    text = "\n".join(p.text for p in Document(io.BytesIO(word.content)).paragraphs)
    assert "Året var preget av NTP-arbeidet." in text and "Forankringen er styrket." in text
    cells = {
        cell.text for table in Document(io.BytesIO(word.content)).tables for row in table.rows for cell in row.cells
    }
    assert "1\xa0500\xa0000,00\xa0kr" in cells or any("1\xa0500\xa0000,00" in cell for cell in cells)


def test_bad_text_is_refused_with_a_message_and_changes_nothing(client, world, adviser):
    client.force_login(adviser)
    response = client.post(_url("reports:report", world["county"]), {"introduction": "x\x00y", "assessment": ""})
    assert response.status_code == 400
    assert not ReportText.objects.exists()


def test_the_report_makes_the_same_queries_for_a_bigger_year(client, world, adviser, region, council_area):
    client.force_login(adviser)
    url = _url("reports:report", world["county"])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    _grow(region, adviser, council_area, 5)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few)


def test_the_pdf_charts_carry_their_colours_as_svg_attributes(world, adviser):
    """WeasyPrint ignores CSS fill in SVG: without the attributes the PDF's bars would print black."""
    from reports.charts import report_charts

    report = yearly_report(user=adviser, county=world["county"], year=YEAR, today=TODAY)
    page, printed = report_charts(report), report_charts(report, printed=True)
    assert 'fill="#1f5f8b"' in printed["funds"] and 'fill="#1f5f8b"' not in page["funds"]
    assert "mill. kr" in printed["funds"]  # 1.5 million, as the reader says it


def test_word_survives_control_characters_already_stored(client, world, adviser, region):
    """python-docx refuses text XML cannot hold; an old row with a control character is dropped from it, not a 500."""
    from docx import Document

    from regions.models import Region

    Region.objects.filter(pk=region.pk).update(name="Indre\x01Østfold")
    client.force_login(adviser)
    word = client.get(_url("reports:report-docx", world["county"]))
    assert word.status_code == 200
    cells = {
        cell.text for table in Document(io.BytesIO(word.content)).tables for row in table.rows for cell in row.cells
    }
    assert "IndreØstfold" in cells


def test_the_reports_money_is_the_funds_excel_export_to_the_krone(client, world, adviser):
    from openpyxl import load_workbook

    county = world["county"]
    client.force_login(adviser)
    export = client.get(reverse("funds:overview-export"), {"county": county.pk, "year": YEAR})
    assert export.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(export.streaming_content))).active
    lines = [(row[0], row[1], row[2], row[4], row[6]) for row in sheet.iter_rows(min_row=3, values_only=True)]
    exported = {name: values for name, *values in lines[:-1]}  # the regions; the last line is the total
    report = yearly_report(user=adviser, county=county, year=YEAR, today=TODAY)
    for row in report["regions"]:
        funds = row["funds"]
        shown = tuple(float(funds[key]) for key in ("income", "allocated", "paid", "used"))
        assert tuple(float(value) for value in exported[row["region"].name]) == shown
    assert len(exported) == len(report["regions"]) == 2
    totals = report["fund_totals"]
    assert [float(value) for value in lines[-1][1:]] == [
        float(totals[key]) for key in ("income", "allocated", "paid", "used")
    ]
