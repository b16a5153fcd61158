"""One door in: a case is routed to the council areas of the counties it concerns (its region's host and
partner counties on the day, the county of the council area that sent it), never to another county's:
with fifteen counties the routing form offered a hundred areas of every county, and the service took any."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from cases import services
from cases.models import Case, Routing
from cases.selectors import council_areas_for_routing
from regions.models import RegionCounty
from tests.cases.factories import CaseFactory
from tests.factories import CouncilAreaFactory, CountyFactory, RegionFactory

from .conftest import NOW

pytestmark = pytest.mark.django_db


@pytest.fixture
def elsewhere(db):
    """Another county's council area of the same name."""
    vestland = CountyFactory(number="46", name="Vestland", valid_to=None)
    return CouncilAreaFactory(name="Samferdsel", slug="samferdsel-vestland", county=vestland)


def step_url(case, step):
    return reverse("cases:case-step", kwargs={"pk": case.pk, "step": step})


def test_the_routing_form_offers_the_case_county_s_areas_only_named_with_their_county(
    client, adviser, submitted, council_area, elsewhere
):
    client.force_login(adviser)
    html = client.get(submitted.get_absolute_url()).content.decode()
    assert f'name="council_areas" value="{council_area.pk}"' in html
    assert "Samferdsel, Viken" in html
    assert f'name="council_areas" value="{elsewhere.pk}"' not in html
    assert "Vestland" not in html


def test_routing_to_another_county_s_area_is_refused_in_norwegian_and_changes_nothing(
    client, adviser, submitted, council_area, elsewhere
):
    client.force_login(adviser)
    response = client.post(
        step_url(submitted, "route"), {"council_areas": [council_area.pk, elsewhere.pk]}, follow=True
    )
    assert response.status_code == 200
    errors = [str(m) for m in response.context["messages"] if m.level_tag == "error"]
    assert errors and all("gyldig" in e for e in errors), errors
    submitted.refresh_from_db()
    assert submitted.status == Case.Status.SUBMITTED
    assert not Routing.objects.exists()


def test_the_service_refuses_another_county_s_area_whoever_calls_it(adviser, submitted, council_area, elsewhere):
    with pytest.raises(ValidationError) as refused:
        services.case_route(case=submitted, actor=adviser, council_areas=[council_area, elsewhere], now=NOW)
    assert refused.value.message_dict == {"council_areas": ["Samferdsel er ikke et rådsområde i sakens fylke."]}
    assert not Routing.objects.exists()
    submitted.refresh_from_db()
    assert submitted.status == Case.Status.SUBMITTED


def test_a_region_in_two_counties_on_the_day_is_routed_to_either(adviser, submitted, region, council_area, elsewhere):
    day = NOW.date()
    RegionCounty.objects.create(region=region, county=council_area.county, role=RegionCounty.Role.HOST)
    RegionCounty.objects.create(
        region=region, county=elsewhere.county, role=RegionCounty.Role.PARTNER, valid_from=day - datetime.timedelta(1)
    )
    assert set(council_areas_for_routing(case=submitted, on=day)) == {council_area, elsewhere}
    # Before the partnership began, only the host county's.
    assert set(council_areas_for_routing(case=submitted, on=day - datetime.timedelta(2))) == {council_area}
    routings = services.case_route(case=submitted, actor=adviser, council_areas=[elsewhere], now=NOW)
    assert [r.council_area for r in routings] == [elsewhere]


def test_a_case_sent_to_a_region_of_another_county_may_go_to_that_county_s_areas(
    adviser, submitted, council_area, elsewhere
):
    from cases.models import RegionRequest

    west = RegionFactory(name="Vestregionen", host_county=elsewhere.county)
    RegionRequest.objects.create(case=submitted, region=west, sent_by=adviser, sent_at=NOW)
    assert set(council_areas_for_routing(case=submitted, on=NOW.date())) == {council_area, elsewhere}


def test_a_case_whose_counties_are_unknown_may_go_to_every_current_area(
    adviser, submitted, region, council_area, elsewhere
):
    # A region whose dated county links all ended (a county reform with no successor recorded).
    RegionCounty.objects.create(
        region=region,
        county=council_area.county,
        valid_from=datetime.date(2020, 1, 1),
        valid_to=datetime.date(2024, 1, 1),
    )
    assert set(council_areas_for_routing(case=submitted, on=NOW.date())) == {council_area, elsewhere}


def test_the_desk_s_forms_read_what_they_offer_once_each_whatever_the_registry_holds(
    client, adviser, submitted, council_area
):
    """On a case waiting at the desk the routing form (its areas with the topic's suggestion among them)
    and the assignment form (its advisers) cost one query each, however many areas, counties and advisers
    there are: with more of each the page costs the same."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from accounts.models import User
    from cases.models import TopicMapping
    from tests.factories import UserFactory

    TopicMapping.objects.update_or_create(topic=submitted.topic, defaults={"council_area": council_area})
    client.force_login(adviser)

    def queries():
        client.get(submitted.get_absolute_url())
        with CaptureQueriesContext(connection) as captured:
            html = client.get(submitted.get_absolute_url()).content.decode()
        assert "Foreslått ut fra temaet: Samferdsel" in html
        return len(captured)

    few = queries()
    for n in range(5):
        CouncilAreaFactory(name=f"Område {n}", slug=f"omrade-{n}", county=council_area.county)
        UserFactory(username=f"radgiver{n}", role=User.Role.ADVISER)
    assert queries() == few
    closed = CaseFactory(origin_region=submitted.origin_region, status=Case.Status.CLOSED)
    client.get(closed.get_absolute_url())
    with CaptureQueriesContext(connection) as captured:
        client.get(closed.get_absolute_url())
    assert few == len(captured) + 2  # the areas (with the suggestion) and the advisers
