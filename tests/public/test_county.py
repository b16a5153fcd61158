"""The county and its regions on a chosen date, for anyone: the map, each region with its members on
that date (linking to the region's public page); a bad date or county is a message, never an error."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import MembershipFactory, MunicipalityFactory

pytestmark = pytest.mark.django_db


def _page(client, **params):
    response = client.get(reverse("public:county"), params)
    assert response.status_code == 200
    return response.content.decode()


def test_a_county_on_a_date_shows_its_regions_and_their_members_then(client, region, members):
    county = region.host_county_id
    html = _page(client, fylke=county, dato="2021-06-01")
    assert reverse("public:region", kwargs={"slug": region.slug}) in html
    for municipality in members:
        assert municipality.name in html
    # Before the memberships began, the region has no members.
    before = _page(client, fylke=county, dato="2019-06-01")
    assert all(municipality.name not in before for municipality in members)


def test_a_bad_date_or_county_gives_a_message_and_a_page(client, region, members):
    html = _page(client, dato="2021-13-45", fylke="nonsense")
    assert "er ikke en gyldig dato" in html
    assert "Ukjent fylke" in html
    assert client.get(reverse("public:county"), {"dato": "x" * 5000}).status_code == 200


def test_the_county_page_costs_the_same_on_more_members(client, region, members):
    params = {"fylke": region.host_county_id, "dato": "2021-06-01"}
    with CaptureQueriesContext(connection) as small:
        _page(client, **params)
    for _ in range(10):
        MembershipFactory(region=region, municipality=MunicipalityFactory())
    with CaptureQueriesContext(connection) as large:
        _page(client, **params)
    assert len(large) == len(small) <= 15
