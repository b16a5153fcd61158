"""Public pages kept whole in the shared cache (core/kept_pages.py, kept_public_page): a second anonymous visit reads
nothing from the database, a change shows on the next visit, logged-in people and other languages get
their own page, the language switch still works on a kept page, and a cache that is down costs speed,
never the page.

The tests commit (transaction=True): the generation moves on when a change commits, as in production."""

import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import CookieStorage
from django.http import HttpRequest, HttpResponse
from django.test import Client, override_settings
from django.urls import reverse

from cases import services as case_services
from tests.kept import KEPT
from tests.meetings.factories import NOW
from tests.oparl.conftest import EXEMPT
from tests.test_session_cache import DOWN

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("kept_cache")]


def _region_url(region):
    return reverse("public:region", kwargs={"slug": region.slug})


@override_settings(**KEPT)
def test_a_second_visit_reads_nothing_from_the_database(client, world, region, django_assert_num_queries):
    case_url = reverse("public:case", kwargs={"key": world.public_case.reference})
    for url in (
        reverse("public:index"),
        _region_url(region),
        case_url,
        reverse("public:meeting", kwargs={"pk": world.meetings[0].pk}),
        reverse("public:search") + "?q=sykkelvei&hva=saker",
        reverse("public:county"),
        reverse("public:region-feed", kwargs={"slug": region.slug}),
    ):
        first = client.get(url)
        assert first.status_code == 200
        with django_assert_num_queries(0):
            second = Client().get(url)
        assert second.status_code == 200, url
        assert second["Content-Type"] == first["Content-Type"]
        assert second.content.split(b"csrfmiddlewaretoken")[0] == first.content.split(b"csrfmiddlewaretoken")[0]
    assert world.public_case.title in Client().get(case_url).content.decode()


@override_settings(**KEPT)
def test_after_a_change_the_next_visit_shows_it(client, world, region, adviser):
    url = _region_url(region)
    case_url = reverse("public:case", kwargs={"key": world.public_case.reference})
    assert world.public_case.title in client.get(url).content.decode()
    assert client.get(case_url).status_code == 200
    # An adviser exempts the case (outside a request: the change still moves the generation on).
    case_services.case_screening_set(case=world.public_case, actor=adviser, now=NOW, **EXEMPT)
    assert world.public_case.title not in client.get(url).content.decode()
    assert client.get(case_url).status_code == 404


@override_settings(**KEPT)
def test_logged_in_people_and_other_languages_get_their_own_page(client, world, region, leader):
    url = _region_url(region)
    anonymous = client.get(url).content.decode()
    assert 'action="/logout/"' not in anonymous.replace(reverse("logout"), "/logout/")
    signed_in = Client()
    signed_in.force_login(leader)
    html = signed_in.get(url).content.decode()
    assert reverse("logout") in html  # their own menu, not the kept anonymous page
    english = Client()
    english.cookies["django_language"] = "en"
    assert "Next meetings" in english.get(url).content.decode()
    assert "Neste møter" in Client().get(url).content.decode()


@override_settings(**KEPT)
def test_the_language_switch_works_on_a_kept_page(world, region):
    url = _region_url(region)
    Client().get(url)  # kept
    visitor = Client(enforce_csrf_checks=True)
    html = visitor.get(url).content.decode()
    token = html.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
    response = visitor.post(reverse("set_language"), {"language": "nn", "next": url, "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert "Neste møte" in visitor.get(url).content.decode()


def _with_message(text):
    """A visitor with a message waiting for their next page (as after a redirect from a form)."""
    storage = CookieStorage(HttpRequest())
    response = HttpResponse()
    storage._store([Message(constants.INFO, text)], response)
    visitor = Client()
    visitor.cookies[storage.cookie_name] = response.cookies[storage.cookie_name].value
    return visitor


@override_settings(**KEPT)
def test_a_visitors_own_message_is_never_kept_nor_lost(world, region):
    url = _region_url(region)
    assert "Beskjed til Anna" in _with_message("Beskjed til Anna").get(url).content.decode()
    assert "Beskjed til Anna" not in Client().get(url).content.decode()  # not kept for the next visitor
    # Now the page is kept; a visitor with a message waiting still sees it.
    assert "Beskjed til Bjørn" in _with_message("Beskjed til Bjørn").get(url).content.decode()


@override_settings(FRAGMENT_CACHE=True, CACHES=DOWN, SESSION_ENGINE="django.contrib.sessions.backends.db")
def test_a_cache_that_is_down_costs_speed_not_the_page(client, world, region):
    for _ in range(2):
        response = client.get(_region_url(region))
        assert response.status_code == 200
        assert world.public_case.title in response.content.decode()


@override_settings(**KEPT)
def test_the_open_api_answers_again_without_reading_the_database(world, region, django_assert_num_queries):
    county = region.host_county_id
    urls = [
        reverse("oparl:system"),
        reverse("oparl:body-papers", kwargs={"pk": county}),
        reverse("oparl:body-papers", kwargs={"pk": county}) + "?page=2",
        reverse("oparl:body-meetings", kwargs={"pk": county}),
        reverse("oparl:paper", kwargs={"kind": "case", "pk": world.public_case.pk}),
        reverse("oparl:paper", kwargs={"kind": "case", "pk": 987654}),  # a 404 is kept too
    ]
    for url in urls:
        first = Client().get(url)
        with django_assert_num_queries(0):
            second = Client().get(url)
        assert (second.status_code, second.content) == (first.status_code, first.content), url
        if first.status_code == 200:
            assert second["ETag"] == first["ETag"]
    # A client that has the answer asks again with its ETag: 304 from the kept answer.
    url = urls[1]
    etag = Client().get(url)["ETag"]
    assert Client().get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304


@override_settings(**KEPT)
def test_the_open_api_shows_a_change_on_the_next_request(world, region, adviser):
    papers = reverse("oparl:body-papers", kwargs={"pk": region.host_county_id})
    paper = reverse("oparl:paper", kwargs={"kind": "case", "pk": world.public_case.pk})
    listed = Client().get(papers).json()
    assert any(item["id"].endswith(paper) for item in listed["data"])
    assert Client().get(paper).status_code == 200
    case_services.case_screening_set(case=world.public_case, actor=adviser, now=NOW, **EXEMPT)
    again = Client().get(papers).json()
    assert not any(item["id"].endswith(paper) for item in again["data"])
    assert again["pagination"]["totalElements"] == listed["pagination"]["totalElements"] - 1
    assert Client().get(paper).status_code == 404
