"""The case list's exports: the CSV streams, both formats read each case once in a fixed number of
queries, and an Excel file too large to build during the request is built by a job that sends its
owner, and no one else, a link."""

import csv
import datetime
import io
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from cases import services
from cases.models import Anchoring, Case, CaseExport, Routing
from cases.selectors import case_anchoring_strength, overdue_q
from cases.tasks import case_export_build_task
from notifications.models import Message
from notifications.registry import get_renderer
from tests.factories import CouncilAreaFactory, MembershipFactory

from .factories import CaseFactory

pytestmark = pytest.mark.django_db

OSLO = ZoneInfo("Europe/Oslo")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "uploads"
    return settings.MEDIA_ROOT


def _expected_rows(queryset):
    """The rows as the export wrote them when it loaded each case and counted its anchoring one by one."""
    today = timezone.localdate()
    overdue_ids = set(queryset.filter(overdue_q(today)).values_list("pk", flat=True))
    rows = []
    for case in queryset.prefetch_related("routings__council_area"):
        strength = case_anchoring_strength(case=case)
        areas = ", ".join(sorted({str(r.council_area) for r in case.routings.all() if r.state != "cancelled"}))
        rows.append(
            [
                case.reference or "",
                case.title,
                case.get_status_display(),
                case.get_topic_display(),
                case.get_direction_display(),
                str(case.origin_region or case.origin_council_area or ""),
                areas,
                timezone.localtime(case.submitted_at).strftime("%Y-%m-%d") if case.submitted_at else "",
                case.deadline.isoformat() if case.deadline else "",
                "ja" if case.pk in overdue_ids else "",
                f"{strength.supporting}/{strength.total}" if strength and strength.total else "",
            ]
        )
    return rows


def _csv_rows(response):
    assert response.streaming
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def _xlsx_rows(response):
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    return [[value or "" for value in row] for row in sheet.iter_rows(values_only=True)]


@pytest.fixture
def cases(adviser, region, members, council_area):
    """Cases of every kind the columns tell apart: routed to two areas (one cancelled, one under the
    same name twice), anchored, overdue, a draft, one from a council area, one submitted just after
    midnight in Oslo."""
    roads_again = CouncilAreaFactory(name=council_area.name)
    schools = CouncilAreaFactory(name="Utdanning")
    MembershipFactory(region=region, valid_from=datetime.date(2030, 3, 4))  # joins on the 4th
    routed = CaseFactory(
        origin_region=region,
        reference="2030-0001",
        title="Bussvei",
        status=Case.Status.ROUTED,
        topic=Case.Topic.NTP,
        submitted_at=datetime.datetime(2030, 3, 4, 0, 30, tzinfo=OSLO),
        deadline=datetime.date(2020, 1, 1),
        created_by=adviser,
    )
    for area, state in ((council_area, "pending"), (roads_again, "answered"), (schools, "cancelled")):
        Routing.objects.create(
            case=routed, council_area=area, routed_by=adviser, routed_at=routed.submitted_at, state=state
        )
    for municipality, stance in zip(members, ("supports", "supports", "against"), strict=True):
        Anchoring.objects.create(
            case=routed, municipality=municipality, stance=stance, recorded_by=adviser, recorded_at=routed.submitted_at
        )
    CaseFactory(origin_region=region, title='=HYPERLINK("http://x")', created_by=adviser)
    CaseFactory(
        origin_region=None,
        origin_council_area=council_area,
        direction=Case.Direction.COUNTY_TO_REGIONS,
        reference="2030-0002",
        title="Høring",
        status=Case.Status.ROUTED,
        submitted_at=datetime.datetime(2030, 3, 3, 23, 30, tzinfo=OSLO),
        deadline=datetime.date(2099, 1, 1),
        created_by=adviser,
    )
    return Case.objects.order_by("-created_at")


def test_the_csv_streams_the_rows_the_export_always_wrote(client, adviser, cases):
    client.force_login(adviser)
    response = client.get(reverse("cases:export", args=["csv"]))

    rows = _csv_rows(response)

    assert response["Content-Disposition"].startswith('attachment; filename="saker-')
    assert rows[0][0] == "Saksnummer" and len(rows[0]) == 11
    expected = [[("'" + v if v.startswith("=") else v) for v in row] for row in _expected_rows(cases)]
    assert rows[1:] == expected
    # What the fixture is for: two areas of one name are one, the cancelled one none; a share; overdue.
    routed = next(row for row in rows if row[0] == "2030-0001")
    assert routed[6] == "Samferdsel" and routed[9] == "ja" and routed[10] == "2/4"


def test_the_excel_file_holds_the_same_rows(client, adviser, cases):
    client.force_login(adviser)
    response = client.get(reverse("cases:export", args=["xlsx"]))
    assert response["Content-Type"] == XLSX
    assert _xlsx_rows(response)[1:] == [
        [("'" + v if v.startswith("=") else v) for v in row] for row in _expected_rows(cases)
    ]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_export_makes_the_same_queries_for_more_cases(client, adviser, region, members, council_area, fmt):
    client.force_login(adviser)
    url = reverse("cases:export", args=[fmt])

    def export_queries(count):
        for n in range(count):
            case = CaseFactory(origin_region=region, title=f"Sak {n}", status=Case.Status.ROUTED, created_by=adviser)
            Routing.objects.create(case=case, council_area=council_area, routed_by=adviser, routed_at=timezone.now())
            Anchoring.objects.create(
                case=case, municipality=members[0], stance="supports", recorded_by=adviser, recorded_at=timezone.now()
            )
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
            b"".join(response.streaming_content)
        return len(queries)

    assert export_queries(2) == export_queries(30)


def test_a_large_excel_export_is_built_by_a_job_and_sent_to_its_owner_only(
    client, settings, media, adviser, leader, other_leader, region, other_region
):
    settings.CASE_EXPORT_SYNC_LIMIT = 2
    for n in range(3):
        CaseFactory(origin_region=region, title=f"Vår sak {n}", created_by=leader)
    CaseFactory(origin_region=other_region, title="Naboens interne sak", status=Case.Status.SUBMITTED)
    client.force_login(leader)
    url = reverse("cases:export", args=["xlsx"]) + f"?region={region.pk}"

    confirm = client.get(url)
    assert confirm.status_code == 200 and "3 saker" in confirm.content.decode()
    assert not CaseExport.objects.exists()  # a GET changes nothing
    response = client.post(url)
    assert response.status_code == 302 and response["Location"] == reverse("cases:index") + f"?region={region.pk}"
    export = CaseExport.objects.get()
    assert export.state == CaseExport.State.PENDING
    assert client.get(export.get_absolute_url()).status_code == 404  # not ready yet

    case_export_build_task(export.pk)
    case_export_build_task(export.pk)  # delivered twice: built and announced once

    message = Message.objects.get(kind="cases.export")
    assert message.recipient == leader
    rendered = get_renderer(message.kind)(message)
    assert rendered.url == export.get_absolute_url()
    download = client.get(rendered.url)
    assert download.status_code == 200 and download["Content-Type"] == XLSX
    assert sorted(row[1] for row in _xlsx_rows(download)[1:]) == ["Vår sak 0", "Vår sak 1", "Vår sak 2"]
    for other in (adviser, other_leader):
        client.force_login(other)
        assert client.get(rendered.url).status_code == 404


def test_the_job_exports_only_what_the_owner_may_see(media, leader, region, other_region):
    CaseFactory(origin_region=region, title="Vår sak", created_by=leader)
    CaseFactory(origin_region=other_region, title="Naboens interne sak", status=Case.Status.SUBMITTED)
    export = services.case_export_request(actor=leader, query="")
    services.case_export_build(export_id=export.pk)
    export.refresh_from_db()
    with export.file.open("rb") as file:
        sheet = load_workbook(file).active
        assert [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["Vår sak"]
    assert export.rows == 1


def test_an_export_asked_for_while_the_broker_was_down_is_built_by_the_sweep(media, leader, region):
    """Nothing is lost: the export is a row saved with the request; if its task never reaches a worker,
    the export sweep (beat, every minute) builds it a little later, once, and its owner is told."""
    from tests.reliability.processes import celery_broker, spare_port

    CaseFactory(origin_region=region, title="Vår sak", created_by=leader)
    asked = timezone.now()
    with celery_broker(f"redis://127.0.0.1:{spare_port()}/0"):
        export = services.case_export_request(actor=leader, query="", now=asked)
    assert services.case_export_sweep(now=asked) == 0  # its task may still be on its way
    assert services.case_export_sweep(now=asked + datetime.timedelta(minutes=3)) == 1
    assert services.case_export_sweep(now=asked + datetime.timedelta(minutes=4)) == 0
    export.refresh_from_db()
    assert export.state == CaseExport.State.READY and export.rows == 1
    assert Message.objects.filter(kind="cases.export", recipient=leader).count() == 1


def test_an_export_being_built_is_not_built_again_until_its_worker_is_surely_gone(media, leader, region):
    """A county's whole history takes minutes to write: the sweep (every minute) and a redelivered task
    leave an export alone while a build holds it, and build it once its worker must have died."""
    CaseFactory(origin_region=region, title="Vår sak", created_by=leader)
    asked = timezone.now()
    export = services.case_export_request(actor=leader, query="", now=asked)
    building = asked + datetime.timedelta(minutes=3)
    CaseExport.objects.filter(pk=export.pk).update(started_at=building)  # a worker is writing it

    assert services.case_export_sweep(now=building + datetime.timedelta(minutes=5)) == 0
    assert services.case_export_build(export_id=export.pk, now=building + datetime.timedelta(minutes=5)) is None
    export.refresh_from_db()
    assert export.state == CaseExport.State.PENDING
    assert services.case_export_sweep(now=building + datetime.timedelta(minutes=18)) == 1
    export.refresh_from_db()
    assert export.state == CaseExport.State.READY and export.rows == 1
    assert Message.objects.filter(kind="cases.export", recipient=leader).count() == 1
