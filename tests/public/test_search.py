"""The public search: anyone finds public cases, meetings and agreements by what the public pages show,
20 a page; never an exempt, draft or internal thing, nor a screened title's real words."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases import services as case_services
from core.screening import Access
from tests.meetings.factories import NOW

pytestmark = pytest.mark.django_db


def _search(client, q, hva="saker", **extra):
    response = client.get(reverse("public:search"), {"q": q, "hva": hva, **extra})
    assert response.status_code == 200
    # The results only (the form repeats what was searched for).
    html = response.content.decode()
    return html.split('id="search-results"', 1)[1].split("</section>", 1)[0]


def test_public_cases_meetings_and_agreements_are_found(client, world, region):
    assert world.public_case.title in _search(client, "sykkelvei")
    assert world.meetings[0].title in _search(client, "Askim", "moter")
    html = _search(client, region.name, "avtaler")
    assert reverse("public:region", kwargs={"slug": region.slug}) in html


def test_nothing_exempt_draft_or_screened_is_found(client, world, other_region, adviser):
    assert "HEMMELIG-SAK" not in _search(client, "HEMMELIG")
    assert "UTKAST-SAK" not in _search(client, "UTKAST")
    assert "FT-sak 99/HEMMELIG" not in _search(client, "HEMMELIG", "avtaler")
    assert other_region.name not in _search(client, other_region.name, "avtaler")  # its agreement is exempt
    # A screened title is found by the title shown, never by the real one.
    case_services.case_screening_set(
        case=world.public_case,
        actor=adviser,
        access=Access.PUBLIC,
        title_screened=True,
        screened_title="Sak om trafikksikkerhet",
        now=NOW,
    )
    assert world.public_case.title not in _search(client, "sykkelvei")
    assert "Sak om trafikksikkerhet" not in _search(client, "sykkelvei")
    assert "Sak om trafikksikkerhet" in _search(client, "trafikksikkerhet")


def test_bad_input_gives_a_page(client, world):
    for params in ({"q": "x" * 5000}, {"q": "vei", "hva": "nonsense"}, {"q": "vei", "page": "x"}, {"q": "%_'\\"}):
        assert client.get(reverse("public:search"), params).status_code == 200


def test_the_search_costs_the_same_on_more_cases_and_pages(client, world, region, leader):
    def add(number):
        case = case_services.case_create(actor=leader, title=f"Sak nummer {number}", origin_region=region, now=NOW)
        case_services.case_submit(case=case, actor=leader, now=NOW)

    add(100)
    with CaptureQueriesContext(connection) as small:
        _search(client, "Sak nummer")
    for number in range(25):
        add(number)
    with CaptureQueriesContext(connection) as large:
        html = _search(client, "Sak nummer")
    assert len(large) == len(small) <= 6
    assert "Sak nummer 24" in html and "Sak nummer 0<" not in html
    assert "page=2" in html
