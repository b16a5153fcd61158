"""The public case page: an anonymous visitor reads a public case (by its reference or id), where it was
sent, the answer the coordination unit sent back and its public documents; never an exempt or draft
case, an exempt attachment, the council areas' internal answers or a case officer's name."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases import services as case_services
from cases.models import Case
from core.screening import Access
from regions.models import Person
from tests.cases.factories import stored_pdf_attachment
from tests.meetings.factories import NOW
from tests.oparl.conftest import EXEMPT, SECRET_MARKERS

pytestmark = pytest.mark.django_db

ANSWER = "Fylkeskommunen prioriterer strekningen i handlingsprogrammet."


def _url(case):
    return reverse("public:case", kwargs={"key": case.reference or case.pk})


def _page(client, case):
    response = client.get(_url(case))
    assert response.status_code == 200
    return response.content.decode()


def test_a_public_case_shows_where_it_went_and_the_answer_sent(client, world, adviser, council_area):
    case_services.case_send_answer(case=world.public_case, actor=adviser, answer=ANSWER, now=NOW)
    html = _page(client, world.public_case)
    assert world.public_case.title in html and world.public_case.reference in html
    assert council_area.name in html  # routed there, and answered
    assert ANSWER in html
    assert "Svar sendt" in html  # the status, in bokmål
    assert "vedtak.pdf" in html  # the public attachment, downloadable through the open API
    public = world.public_case.attachments.exclude(access=Access.EXEMPT).get()
    download = reverse("oparl:file-download", kwargs={"kind": "attachment", "pk": public.pk})
    assert download in html
    assert client.get(download).status_code == 200
    # The meeting that dealt with it is linked.
    assert reverse("public:meeting", kwargs={"pk": world.meetings[0].pk}) in html


def test_the_case_is_found_by_its_id_too(client, world):
    html = _page(client, Case(pk=world.public_case.pk))
    assert world.public_case.title in html


def test_a_case_from_the_county_shows_the_regions_it_reached(client, world, region, other_region):
    html = _page(client, world.county_case)
    assert region.name in html and other_region.name in html
    assert reverse("public:region", kwargs={"slug": region.slug}) in html


def test_nothing_exempt_internal_or_personal_is_on_a_case_page(client, world, adviser, staff, leader):
    for user, name in ((adviser, "Anne Rådgiversen"), (staff, "Sara Saksbehandler"), (leader, "Leif Lederstad")):
        user.first_name, user.last_name = name.split()
        user.save()
    Person.objects.filter(user=staff).update(name="Sara Saksbehandler")
    case_services.case_send_answer(case=world.public_case, actor=adviser, answer=ANSWER, now=NOW)
    html = _page(client, world.public_case)
    for marker in (*SECRET_MARKERS, "Anne Rådgiversen", "Rådgiversen", "Leif Lederstad", "Lederstad"):
        assert marker not in html, marker  # INTERNT-SVAR is the council area's answer: internal


def test_exempt_draft_and_unknown_cases_are_404(client, world):
    for key in (world.secret_case.reference, world.secret_case.pk, world.draft.pk, "1999-9999", "99999999999999999999"):
        assert client.get(reverse("public:case", kwargs={"key": key})).status_code == 404, key
    for path in ("/offentlig/sak/x%00/", "/offentlig/sak/" + "9" * 40 + "/", "/offentlig/sak/%C2%B2/"):
        assert client.get(path).status_code in (400, 404), path


def test_a_case_made_exempt_disappears_and_a_screened_title_replaces_the_real_one(client, world, adviser):
    url = _url(world.public_case)
    case_services.case_screening_set(
        case=world.public_case,
        actor=adviser,
        access=Access.PUBLIC,
        title_screened=True,
        screened_title="Sak om trafikksikkerhet",
        now=NOW,
    )
    html = _page(client, world.public_case)
    assert "Sak om trafikksikkerhet" in html and world.public_case.title not in html
    case_services.case_screening_set(case=world.public_case, actor=adviser, now=NOW, **EXEMPT)
    assert client.get(url).status_code == 404


def test_the_region_page_and_the_search_link_to_the_case_page(client, world, region):
    url = _url(world.public_case)
    assert url in client.get(reverse("public:region", kwargs={"slug": region.slug})).content.decode()
    found = client.get(reverse("public:search"), {"q": "sykkelvei", "hva": "saker"}).content.decode()
    assert url in found


def test_the_case_page_costs_the_same_on_more_attachments_and_routings(client, world, leader, adviser):
    with CaptureQueriesContext(connection) as small:
        _page(client, world.public_case)
    for number in range(5):
        stored_pdf_attachment(
            case=world.public_case, actor=leader, uploaded_at=NOW, original_name=f"bilag-{number}.pdf"
        )
    with CaptureQueriesContext(connection) as large:
        html = _page(client, world.public_case)
    assert "bilag-4.pdf" in html
    assert len(large) == len(small) <= 8


def test_the_meeting_page_links_an_agenda_items_public_case_only(client, world, adviser):
    from meetings import services as meeting_services

    meeting = world.meetings[0]
    html = client.get(reverse("public:meeting", kwargs={"pk": meeting.pk})).content.decode()
    assert _url(world.public_case) in html
    # An item set public whose case is exempt shows, without a link to the case.
    item = meeting.agenda_items.get(case=world.secret_case)
    meeting_services.agenda_item_screening_set(
        item=item, actor=adviser, access=Access.PUBLIC, title_screened=True, screened_title="Personalsak", now=NOW
    )
    html = client.get(reverse("public:meeting", kwargs={"pk": meeting.pk})).content.decode()
    assert "Personalsak" in html
    assert reverse("public:case", kwargs={"key": world.secret_case.reference}) not in html
