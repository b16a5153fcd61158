"""Whole pages kept per person and session (core/kept_pages.py): the next visit to the same page reads
none of its data again, yet shows every change made since (through the portal or outside a request),
never reaches another person or another session, never swallows or repeats a message, and a person
who lost their access does not get their kept page.

The tests commit (transaction=True): the generation moves on when a change commits, as in production."""

import datetime

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.models import Case, Routing
from core.kept_pages import CSRF_INPUT
from tests.cases.factories import CaseFactory
from tests.factories import AppointmentFactory, CouncilAreaFactory, RegionFactory, UserFactory
from tests.kept import KEPT
from tests.test_session_cache import DOWN

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("kept_cache")]


@pytest.fixture
def world():
    adviser = UserFactory(username="kept-adviser", role="adviser")
    east, west = RegionFactory(name="Østregionen"), RegionFactory(name="Vestregionen")
    leader = UserFactory(username="kept-leader", role="region_leader")
    AppointmentFactory(person__user=leader, region=west)
    roads = CouncilAreaFactory(name="Samferdsel")
    now = timezone.now() - datetime.timedelta(days=3)

    def routed(region, title):
        case = CaseFactory(
            origin_region=region, status=Case.Status.ROUTED, submitted_at=now, created_by=adviser, title=title
        )
        Routing.objects.create(case=case, council_area=roads, routed_by=adviser, routed_at=now)
        return case

    return {"adviser": adviser, "leader": leader, "east": east, "west": west, "routed": routed}


def _without_tokens(content):
    return CSRF_INPUT.sub(b"", content)


def _visit(client, url):
    """A visit as a browser makes it: the first one gets the CSRF cookie the page's forms use."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response, len(queries)


def _kept_visit(client, url):
    """The third visit, answered from the page kept at the second (the first sets the CSRF cookie)."""
    _visit(client, url)
    _visit(client, url)
    kept, _ = _visit(client, url)
    assert kept["X-Kept-Page"] == "1"
    return kept


@override_settings(**KEPT)
def test_the_next_visit_is_answered_from_the_kept_page_without_reading_the_data(client, world):
    world["routed"](world["west"], "Bussrute Vest")
    client.force_login(world["leader"])
    url = reverse("cases:index")
    _visit(client, url)  # sets the CSRF cookie
    drawn, drawn_queries = _visit(client, url)
    kept, kept_queries = _visit(client, url)
    assert "X-Kept-Page" not in drawn and kept["X-Kept-Page"] == "1"
    assert _without_tokens(kept.content) == _without_tokens(drawn.content)
    assert "Bussrute Vest" in kept.content.decode()
    assert kept_queries < drawn_queries
    # The kept page comes back through every check: security headers and the content policy included.
    assert kept["Content-Security-Policy"] == drawn["Content-Security-Policy"]
    assert kept["X-Frame-Options"] == drawn["X-Frame-Options"]


@override_settings(**KEPT)
def test_a_change_outside_a_request_shows_on_the_next_visit(client, world):
    world["routed"](world["west"], "Bussrute Vest")
    client.force_login(world["leader"])
    url = reverse("cases:index")
    _visit(client, url)
    _visit(client, url)
    world["routed"](world["west"], "Sykkelvei Vest")  # as a Celery task or the admin would: committed
    response, _ = _visit(client, url)
    assert "X-Kept-Page" not in response
    assert "Sykkelvei Vest" in response.content.decode()


@override_settings(**KEPT)
def test_a_write_request_moves_every_kept_page_on(client, world):
    case = world["routed"](world["west"], "Bussrute Vest")
    client.force_login(world["leader"])
    url = reverse("cases:index")
    _visit(client, url)
    _visit(client, url)
    # A bulk update sends no signal; the write request that follows moves the generation on anyway.
    Case.objects.filter(pk=case.pk).update(title="Bussrute Vest, endret")
    client.post(reverse("set_language"), {"language": "nb", "next": "/"})
    response, _ = _visit(client, url)
    assert "Bussrute Vest, endret" in response.content.decode()


@override_settings(**KEPT)
def test_a_kept_page_never_reaches_another_person_or_another_session(client, world, django_user_model):
    world["routed"](world["east"], "Bussrute Øst")
    world["routed"](world["west"], "Bussrute Vest")
    client.force_login(world["adviser"])
    url = reverse("cases:index")
    _visit(client, url)
    _visit(client, url)
    adviser_page, _ = _visit(client, url)
    assert "Bussrute Øst" in adviser_page.content.decode()
    cookies = client.cookies
    # The leader, with the same CSRF cookie in the browser: their own page, never the adviser's.
    client.force_login(world["leader"])
    client.cookies[cookies_name()] = cookies[cookies_name()].value
    leader_page, _ = _visit(client, url)
    assert "X-Kept-Page" not in leader_page
    assert "Bussrute Øst" not in leader_page.content.decode()
    # The adviser again, in a new session: drawn anew.
    client.force_login(world["adviser"])
    again, _ = _visit(client, url)
    assert "X-Kept-Page" not in again


def cookies_name():
    from django.conf import settings

    return settings.CSRF_COOKIE_NAME


@override_settings(**KEPT)
def test_a_message_is_shown_once_and_never_kept(client, world):
    client.force_login(world["leader"])
    url = reverse("cases:index")
    _visit(client, url)
    _visit(client, url)
    assert _visit(client, url)[0]["X-Kept-Page"] == "1"
    # Saving the language says so on the next page drawn (here one kept a moment ago).
    client.post(reverse("user_language"), {"language": "nb"})
    pages = [_visit(client, url)[0] for _ in range(3)]
    said = [page.content.decode().count("Språket ditt er lagret") for page in pages]
    assert said == [1, 0, 0]
    assert "X-Kept-Page" not in pages[0]  # it had a message to show: drawn, and not kept
    assert pages[2]["X-Kept-Page"] == "1"


@override_settings(**KEPT)
def test_someone_who_lost_access_gets_no_kept_page(client, world):
    world["routed"](world["west"], "Bussrute Vest")
    client.force_login(world["leader"])
    url = reverse("cases:index")
    _kept_visit(client, url)
    leader = world["leader"]
    leader.is_active = False
    leader.save()
    response = client.get(url)
    assert response.status_code == 302  # to the login page, not the kept list
    assert "Bussrute Vest" not in response.content.decode()


@override_settings(**KEPT)
def test_the_appointment_that_ends_takes_the_region_with_it(client, world):
    world["routed"](world["west"], "Bussrute Vest")
    leader = world["leader"]
    client.force_login(leader)
    region_url = reverse("regions:region-detail", kwargs={"slug": world["west"].slug})
    _visit(client, region_url)
    _visit(client, region_url)
    appointment = leader.person.appointments.get()
    appointment.valid_to = timezone.localdate()  # exclusive: it ended yesterday
    appointment.save()
    response = client.get(reverse("cases:index"))
    assert "Bussrute Vest" not in response.content.decode()


@override_settings(
    FRAGMENT_CACHE=True, KEPT_PAGES=True, CACHES=DOWN, SESSION_ENGINE="django.contrib.sessions.backends.db"
)
def test_a_cache_that_is_down_costs_speed_not_the_page(client, world):
    world["routed"](world["west"], "Bussrute Vest")
    client.force_login(world["leader"])
    url = reverse("cases:index")
    for _ in range(3):
        response = client.get(url)
        assert response.status_code == 200
        assert "X-Kept-Page" not in response
        assert "Bussrute Vest" in response.content.decode()


@override_settings(**KEPT)
def test_a_kept_page_holds_the_visitors_own_working_csrf_token(world):
    """The kept page's forms (the language switch) post with a token that passes the CSRF check."""
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(world["leader"])
    url = reverse("cases:index")
    kept = _kept_visit(client, url)
    tokens = [match.group(0) for match in CSRF_INPUT.finditer(kept.content)]
    assert tokens and all(b"\x00" not in token for token in tokens)
    token = tokens[0].split(b'value="')[1].rstrip(b'"').decode()
    answer = client.post(reverse("set_language"), {"language": "nn", "next": url, "csrfmiddlewaretoken": token})
    assert answer.status_code == 302


@override_settings(**{**KEPT, "KEPT_PAGES": False})
def test_a_persons_posts_are_read_once_until_something_changes(client, world):
    """Who leads which region (and the unread count in the header) is read once and then kept between
    the person's requests: a drawn page spends no query on it, until a change moves the generation on."""
    from notifications.models import Notification

    world["routed"](world["west"], "Bussrute Vest")
    leader = world["leader"]
    client.force_login(leader)
    url = reverse("cases:index")

    def posts_read():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200 and "X-Kept-Page" not in response
        return sum("STRING_AGG" in query["sql"].upper() or "GROUP_CONCAT" in query["sql"].upper() for query in queries)

    assert posts_read() == 1
    assert posts_read() == 0
    Notification.objects.create(user=leader, title="Ny sak", url="/saker/")
    assert posts_read() == 1
    appointment = leader.person.appointments.get()
    appointment.valid_to = timezone.localdate()
    appointment.save()
    assert posts_read() == 1
    assert "Bussrute Vest" not in client.get(url).content.decode()
