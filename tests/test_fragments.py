"""Fragments kept in the shared cache (core/fragments.py): a page drawn from a kept fragment reads none
of its data again, shows every change made after it was kept (through the portal or outside a request),
is never shared with someone who sees other cases, and a cache that is down costs speed, never a page.

The tests commit (transaction=True): the generation moves on when a change commits, as in production."""

import datetime

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.models import Case, Routing
from tests.cases.factories import CaseFactory
from tests.factories import AppointmentFactory, CouncilAreaFactory, RegionFactory, UserFactory
from tests.kept import KEPT
from tests.test_session_cache import DOWN

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("kept_cache")]


@pytest.fixture
def world():
    adviser = UserFactory(username="fragment-adviser", role="adviser")
    east, west = RegionFactory(name="Østregionen"), RegionFactory(name="Vestregionen")
    leader = UserFactory(username="fragment-leader", role="region_leader")
    AppointmentFactory(person__user=leader, region=west)
    roads = CouncilAreaFactory(name="Samferdsel")
    now = timezone.now() - datetime.timedelta(days=3)

    def routed(region):
        case = CaseFactory(origin_region=region, status=Case.Status.ROUTED, submitted_at=now, created_by=adviser)
        Routing.objects.create(case=case, council_area=roads, routed_by=adviser, routed_at=now)
        return case

    return {"adviser": adviser, "leader": leader, "east": east, "west": west, "routed": routed}


def _cell(client, region_name):
    """The tracking page's open/answered cell of the region's row (the one council area)."""
    html = client.get(reverse("cases:tracking")).content.decode()
    row = html.split(f'<th scope="row">{region_name}</th>', 1)
    if len(row) < 2:
        return None
    return row[1].split("</a>", 1)[0].rsplit(">", 1)[-1]


@override_settings(**KEPT)
def test_a_kept_fragment_is_shown_without_reading_the_data_again(client, world):
    world["routed"](world["east"])
    client.force_login(world["adviser"])
    with CaptureQueriesContext(connection) as first:
        client.get(reverse("cases:tracking"))
    with CaptureQueriesContext(connection) as second:
        response = client.get(reverse("cases:tracking"))
    assert "Østregionen" in response.content.decode()
    assert not any("cases_routing" in q["sql"] for q in second.captured_queries)
    assert len(second) < len(first)


@override_settings(**KEPT)
def test_a_change_outside_a_request_shows_on_the_next_page(client, world):
    world["routed"](world["east"])
    client.force_login(world["adviser"])
    assert _cell(client, "Østregionen") == "åpne: 1, besvart: 0"
    world["routed"](world["east"])  # as a Celery task or the admin would: models saved, committed
    assert _cell(client, "Østregionen") == "åpne: 2, besvart: 0"


@override_settings(**KEPT)
def test_a_change_through_the_portal_shows_on_the_next_page(client, world):
    case = world["routed"](world["east"])
    routing = case.routings.get()
    client.force_login(world["adviser"])
    assert _cell(client, "Østregionen") == "åpne: 1, besvart: 0"
    # A write request moves the generation on, whatever it changed and however (here a bulk update
    # that sends no signal, as some services do).
    Routing.objects.filter(pk=routing.pk).update(state=Routing.State.ANSWERED, answered_at=timezone.now())
    client.post(reverse("set_language"), {"language": "nb", "next": "/"})
    assert _cell(client, "Østregionen") == "åpne: 0, besvart: 1"


@override_settings(**KEPT)
def test_a_fragment_is_never_shown_to_someone_who_sees_other_cases(client, world):
    world["routed"](world["east"])
    world["routed"](world["west"])
    client.force_login(world["adviser"])
    assert _cell(client, "Østregionen") == "åpne: 1, besvart: 0"
    client.force_login(world["leader"])
    html = client.get(reverse("cases:tracking")).content.decode()
    assert "Vestregionen" in html
    assert "Østregionen" not in html  # the adviser's kept tables were not reused


@override_settings(FRAGMENT_CACHE=True, CACHES=DOWN, SESSION_ENGINE="django.contrib.sessions.backends.db")
def test_a_cache_that_is_down_costs_speed_not_the_page(client, world):
    world["routed"](world["east"])
    client.force_login(world["adviser"])
    response = client.get(reverse("cases:tracking"))
    assert response.status_code == 200
    assert "Østregionen" in response.content.decode()
    client.post(reverse("set_language"), {"language": "nb", "next": "/"})  # the bump fails quietly
    assert client.get(reverse("cases:tracking")).status_code == 200


@override_settings(**KEPT)
def test_the_case_filter_is_kept_per_question_and_follows_the_registry(client, world):
    client.force_login(world["adviser"])
    html = client.get(reverse("cases:index"), {"region": world["east"].pk}).content.decode()
    assert f'<option value="{world["east"].pk}" selected>' in html
    other = client.get(reverse("cases:index"), {"region": world["west"].pk}).content.decode()
    assert f'<option value="{world["west"].pk}" selected>' in other  # another question, another fragment
    RegionFactory(name="Nyregionen")  # the registry changes outside a request
    assert "Nyregionen" in client.get(reverse("cases:index")).content.decode()


@override_settings(**KEPT)
@pytest.mark.parametrize("page", ["meetings:index", "meetings:calendar-current"])
def test_the_meeting_filter_is_kept_per_question_and_follows_the_registry(client, world, page):
    from regions.models import Appointment

    client.force_login(world["adviser"])
    url = reverse(page)
    html = client.get(url, {"region": world["east"].pk}).content.decode()
    assert f'<option value="{world["east"].pk}" selected>' in html
    with CaptureQueriesContext(connection) as kept:
        client.get(url, {"region": world["east"].pk})
    assert not any("regions_person" in q["sql"] for q in kept.captured_queries)  # the councillors are kept
    other = client.get(url, {"region": world["west"].pk}).content.decode()
    assert f'<option value="{world["west"].pk}" selected>' in other  # another question, another fragment
    RegionFactory(name="Nyregionen")  # the registry changes outside a request
    AppointmentFactory(person__name="Kari Fylkesråd", region=world["east"], role=Appointment.Role.COUNTY_COUNCILLOR)
    again = client.get(url).content.decode()
    assert "Nyregionen" in again and "Kari Fylkesråd" in again


@override_settings(**KEPT)
def test_the_county_overview_is_kept_per_county_and_date_and_follows_the_registry(client, world):
    """The map, the municipality table and the regions' members are the same for everyone who opens a
    county on a date: drawn once, kept until the registry changes."""
    from tests.factories import MembershipFactory

    county = world["east"].host_county
    MembershipFactory(region=world["east"], municipality__name="Østby", municipality__county=county)
    client.force_login(world["adviser"])
    url = reverse("regions:index") + f"?fylke={county.pk}&dato=2023-06-01"
    assert "Østby" in client.get(url).content.decode()
    with CaptureQueriesContext(connection) as kept:
        assert "Østby" in client.get(url).content.decode()
    assert not any("regions_regionmembership" in q["sql"] for q in kept.captured_queries)
    earlier = client.get(reverse("regions:index") + f"?fylke={county.pk}&dato=2019-06-01").content.decode()
    assert "Østby" not in earlier  # another date, another fragment (the membership starts later)
    MembershipFactory(region=world["west"], municipality__name="Vestby", municipality__county=county)
    assert "Vestby" in client.get(url).content.decode()


@override_settings(**KEPT)
def test_a_list_count_is_kept_until_the_data_changes_and_never_shared_across_scopes(client, world):
    """The capped count of a list (core.pagination.CappedPaginator) is kept by its query: opened again it
    is not counted again; a new case counts at once; someone who sees other cases gets their own count."""
    world["routed"](world["east"])
    world["routed"](world["west"])
    client.force_login(world["adviser"])
    assert "2 saker" in client.get(reverse("cases:index")).content.decode()
    with CaptureQueriesContext(connection) as kept:
        assert "2 saker" in client.get(reverse("cases:index")).content.decode()
    assert not any("COUNT(" in q["sql"].upper() for q in kept.captured_queries)
    world["routed"](world["west"])  # outside a request
    assert "3 saker" in client.get(reverse("cases:index")).content.decode()
    client.force_login(world["leader"])  # leads Vestregionen: sees its two cases only
    assert "2 saker" in client.get(reverse("cases:index")).content.decode()


@override_settings(**KEPT)
def test_the_region_page_registry_is_kept_per_date_and_right_and_follows_the_registry(client, world):
    """The region page's registry (members, representatives, history) is the same for everyone who opens
    the region on a date with the same right to edit it: drawn once, kept until the registry changes."""
    from tests.factories import MembershipFactory

    east = world["east"]
    MembershipFactory(region=east, municipality__name="Østby", municipality__county=east.host_county)
    url = reverse("regions:region-detail", args=[east.slug]) + "?dato=2023-06-01"
    client.force_login(world["leader"])  # reads the registry, may not edit it
    assert "Østby" in client.get(url).content.decode()
    with CaptureQueriesContext(connection) as kept:
        html = client.get(url).content.decode()
    assert "Østby" in html and reverse("regions:membership-start") not in html
    assert not any("regions_regionmembership" in q["sql"] for q in kept.captured_queries)
    MembershipFactory(region=east, municipality__name="Nyby", municipality__county=east.host_county)
    assert "Nyby" in client.get(url).content.decode()  # a change outside a request shows at once
    # An adviser, who may edit the registry, gets their own drawing with its buttons, and the leader
    # never gets the adviser's.
    client.force_login(world["adviser"])
    assert reverse("regions:membership-start") in client.get(url).content.decode()
    client.force_login(world["leader"])
    assert reverse("regions:membership-start") not in client.get(url).content.decode()
