"""The open API's cost does not grow with the data: every list page and object makes the same number
of queries (or fewer) on the OParl test world and on the same world with many more cases, attachments,
meetings, agenda items and minutes (a list page reads each relation once per page, never per row)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases import services as case_services
from meetings import services as meeting_services
from tests.cases.factories import stored_pdf_attachment
from tests.meetings.factories import NOW, oslo
from tests.oparl.conftest import build_world

pytestmark = pytest.mark.django_db

MAX_QUERIES = 12
LISTS = (
    "body-organizations",
    "body-people",
    "body-memberships",
    "body-meetings",
    "body-agenda-items",
    "body-papers",
    "body-consultations",
    "body-files",
    "body-locations",
    "body-legislative-terms",
)


def _urls(oparl_world, county_id):
    urls = [reverse("oparl:system"), reverse("oparl:body-list"), reverse("oparl:body", kwargs={"pk": county_id})]
    urls += [reverse(f"oparl:{name}", kwargs={"pk": county_id}) for name in LISTS]
    urls += [
        reverse("oparl:paper", kwargs={"kind": "case", "pk": oparl_world.public_case.pk}),
        reverse("oparl:meeting", kwargs={"pk": oparl_world.meetings[0].pk}),
    ]
    return urls


def _counts(client, urls):
    counts = {}
    for url in urls:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts[url] = len(queries)
    return counts


def _more_data(oparl_world, *, leader, adviser, region, council_area, times=30):
    for number in range(times):
        case = case_services.case_create(actor=leader, title=f"Sak {number}", origin_region=region, now=NOW)
        case_services.case_submit(case=case, actor=leader, now=NOW)
        stored_pdf_attachment(case=case, actor=leader, uploaded_at=NOW)
        case_services.case_receive(case=case, actor=adviser, now=NOW)
        case_services.case_route(case=case, actor=adviser, council_areas=[council_area], now=NOW)
    for number in range(times):
        start = oslo(2030, 5, 1, 9) + datetime.timedelta(days=number)
        meeting = meeting_services.meeting_create(
            actor=adviser,
            title=f"Møte {number}",
            start=start,
            end=start + datetime.timedelta(hours=2),
            region=region,
            location=f"Sted {number}",
            now=NOW,
        )
        item = meeting_services.agenda_item_add(meeting=meeting, actor=adviser, title="Punkt", lane="planned", now=NOW)
        meeting_services.case_agenda_add(
            case=oparl_world.public_case, actor=adviser, meeting=meeting, lane="planned", now=NOW
        )
        meeting_services.agenda_publish(meeting=meeting, actor=adviser, now=NOW)
        meeting_services.meeting_mark_held(meeting=meeting, actor=adviser)
        meeting_services.minutes_save(item=item, actor=adviser, outcome="discussed", text="Drøftet.")
        meeting_services.minutes_approve(meeting=meeting, actor=adviser, now=NOW)


@pytest.fixture
def oparl_world(region, other_region, leader, other_leader, adviser, council_area, staff):
    return build_world(
        region=region,
        other_region=other_region,
        leader=leader,
        other_leader=other_leader,
        adviser=adviser,
        council_area=council_area,
        staff=staff,
    )


def test_the_open_api_costs_the_same_on_more_data(client, oparl_world, leader, adviser, region, council_area):
    urls = _urls(oparl_world, region.host_county_id)
    small = _counts(client, urls)
    _more_data(oparl_world, leader=leader, adviser=adviser, region=region, council_area=council_area)
    large = _counts(client, urls)
    # A list of several kinds (papers: agreements then cases) reads one slice per kind on the page, so
    # a page holding fewer kinds may read less; it never reads more.
    grew = {url: (small[url], large[url]) for url in urls if large[url] > small[url]}
    assert not grew, grew
    assert max(large.values()) <= MAX_QUERIES, large
