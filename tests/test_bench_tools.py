"""The national dataset generator (bench/national_data.py) at a tiny scale, so it does not rot as the
models and services change: its counts follow the scale, its cases keep every guarantee of
cases.services, and its logins see what their role should see."""

import datetime
import io

import pytest
from django.db import transaction
from django.test import Client, override_settings

from accounts.models import User
from bench.national_data import BASE_CASES, BASE_MEETINGS, PASSWORD, USERS, check_invariants, generate
from cases.models import Case, CaseEvent, RegionRequest, Routing
from cases.selectors import case_list_visible_to
from meetings.models import AgendaItem, Meeting
from notifications.models import Message, Notification
from partnerships.models import Agreement
from regions.models import Region
from regions.selectors import region_list_led_by

SCALE = 0.001
TODAY = datetime.date(2026, 11, 30)


@pytest.fixture(scope="module")
def dataset(django_db_setup, django_db_blocker):
    """Østfold's regions and their activity, 200 cases, made once for the module and rolled back after it."""
    # The suite's fast hasher (tests/conftest.py sets it per test; this fixture outlives one test).
    fast = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with django_db_blocker.unblock(), transaction.atomic(), fast:
        yield generate(scale=SCALE, today=TODAY, counties=["31"], stdout=io.StringIO())
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def _db(db):
    """Each test runs in its own savepoint inside the module's transaction."""


def test_counts_follow_the_scale(dataset):
    cases = Case.objects.count()
    assert cases == round(BASE_CASES * SCALE)
    assert Meeting.objects.count() == round(BASE_MEETINGS * SCALE)
    assert User.objects.count() <= USERS  # 300 with every county
    assert set(User.objects.values_list("role", flat=True)) >= {"adviser", "region_leader", "council_area_staff"}
    # A case that goes the whole way has about ten steps; drafts and withdrawn ones fewer.
    assert 6 * cases <= CaseEvent.objects.count() <= 14 * cases
    from_regions = Case.objects.filter(direction=Case.Direction.REGION_TO_COUNTY).count()
    assert from_regions >= 0.75 * cases
    assert 1.2 * from_regions <= Routing.objects.count() <= 3 * from_regions
    assert RegionRequest.objects.exists()
    assert 6 * Meeting.objects.count() <= AgendaItem.objects.count() <= 14 * Meeting.objects.count()
    assert Notification.objects.count() >= 5 * cases
    assert Message.objects.filter(state=Message.State.PENDING, due_at__gt=dataset.now).exists()
    assert Agreement.objects.filter(status=Agreement.Status.ADOPTED).exists()
    statuses = set(Case.objects.values_list("status", flat=True))
    assert {Case.Status.CLOSED, Case.Status.WITHDRAWN, Case.Status.ROUTED} <= statuses


def test_cases_keep_what_the_services_guarantee(dataset):
    """Reference numbers 1..N per year of submission with the counter at N, every trail from "created"
    to the case's status step by step, routings and requests that agree with it."""
    assert check_invariants() == []
    references = list(Case.objects.exclude(reference=None).values_list("reference", flat=True))
    assert len(references) == len(set(references)) > 0


def test_every_case_is_visible_to_the_adviser_and_the_leader_sees_the_region(dataset):
    adviser = User.objects.get(username="radgiver")
    assert case_list_visible_to(user=adviser).count() == Case.objects.count()
    leader = User.objects.get(username="leder")
    region = Region.objects.get(slug="indre-ostfold")
    assert list(region_list_led_by(user=leader, on=TODAY)) == [region]
    own = Case.objects.filter(origin_region=region)
    assert own.exists()
    assert set(own.values_list("pk", flat=True)) <= set(case_list_visible_to(user=leader).values_list("pk", flat=True))


def test_the_printed_logins_work_and_their_pages_show_the_data(dataset):
    for username in ("radgiver", "saksbehandler", "admin", "leder"):
        client = Client()
        response = client.post("/konto/logg-inn/", {"username": username, "password": PASSWORD})
        assert response.status_code == 302 and response.url == "/", username
    case = Case.objects.filter(origin_region__slug="indre-ostfold").order_by("-pk").first()
    for url in ("/", "/saker/", f"/saker/{case.pk}/", "/register/regioner/indre-ostfold/", "/moter/"):
        response = client.get(url)
        assert response.status_code == 200, url
    assert case.title in client.get(f"/saker/{case.pk}/").content.decode()
    assert client.get(f"/moter/kalender/{dataset.feed.token}.ics").status_code == 200


def test_it_refuses_a_database_that_is_not_empty(dataset):
    with pytest.raises(SystemExit):
        generate(scale=SCALE, today=TODAY, counties=["31"], stdout=io.StringIO())
