"""Public pages: an anonymous visitor finds a region's adopted agreement, its next meeting and the
agenda without logging in, and never anything exempt, internal or unpublished."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases import services as case_services
from tests.meetings.factories import NOW
from tests.oparl.conftest import SECRET_MARKERS

from .quality import PUBLIC_URL_NAMES

pytestmark = pytest.mark.django_db


def test_an_anonymous_visitor_finds_the_regions(client, world, region):
    page = client.get(reverse("public:index"))
    assert page.status_code == 200
    assert reverse("public:region", kwargs={"slug": region.slug}) in page.content.decode()


def test_a_region_page_shows_its_agreement_next_meeting_agenda_and_cases(client, world, region):
    page = client.get(reverse("public:region", kwargs={"slug": region.slug}))
    assert page.status_code == 200
    html = page.content.decode()
    assert "FT-sak 40/21" in html  # the adopted agreement's decision
    pdf = reverse("oparl:file-download", kwargs={"kind": "agreement", "pk": world.agreement.pk})
    assert pdf in html
    assert world.meetings[0].title in html
    assert "Orienteringssaker" in html  # on the published agenda
    assert "Tatt til orientering." in html  # approved minutes
    assert world.public_case.title in html


def _every_public_page(region, other_region):
    """Every public page (PUBLIC_URL_NAMES of tests/public/quality.py, the anonymous-access suites' list)
    with every object of the world it can show: each region, meeting and case (exempt and draft ones
    included: they must answer 404), and searches for the exempt things' words."""
    from cases.models import Case
    from meetings.models import Meeting

    slugs = [{"slug": slug} for slug in (region.slug, other_region.slug)]
    kwargs = {
        "public:index": [{}],
        "public:county": [{}],
        "public:region": slugs,
        "public:region-feed": slugs,
        "public:meeting": [{"pk": pk} for pk in Meeting.objects.values_list("pk", flat=True)],
        "public:case": [{"key": case.reference or case.pk} for case in Case.objects.all()],
        "public:search": [{}],
    }
    assert set(kwargs) == PUBLIC_URL_NAMES, "a public page is missing here: add it with its objects"
    urls = [reverse(name, kwargs=each) for name, several in kwargs.items() for each in several]
    search = reverse("public:search")
    urls += [
        f"{search}?q={word}&hva={kind}" for word in ("HEMMELIG", "UTKAST") for kind in ("saker", "moter", "avtaler")
    ]
    return urls


def test_nothing_exempt_internal_or_unpublished_is_on_the_public_pages(client, world, region, other_region):
    shown = 0
    for url in _every_public_page(region, other_region):
        response = client.get(url)
        assert response.status_code in (200, 404), url
        shown += response.status_code == 200
        html = response.content.decode()
        for marker in SECRET_MARKERS:
            assert marker not in html, f"{marker} on {url}"
    assert shown >= 10
    # Planned meetings show no agenda before it is published.
    html = client.get(reverse("public:region", kwargs={"slug": region.slug})).content.decode()
    assert "Planlagt punkt" not in html


def test_an_unknown_region_is_404(client, db):
    assert client.get(reverse("public:region", kwargs={"slug": "finnes-ikke"})).status_code == 404


def test_the_region_page_costs_the_same_on_more_cases(client, world, region, leader):
    url = reverse("public:region", kwargs={"slug": region.slug})
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for number in range(30):
        case = case_services.case_create(actor=leader, title=f"Sak {number}", origin_region=region, now=NOW)
        case_services.case_submit(case=case, actor=leader, now=NOW)
    with CaptureQueriesContext(connection) as large:
        page = client.get(url)
    assert len(large) == len(small) <= 12
    assert "Sak 29" in page.content.decode() and "Sak 0<" not in page.content.decode()
