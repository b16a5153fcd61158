"""Values read straight from the request are "not found", a form error or a bad request, never a
server error. Siblings of issue 11, item 6, found by the form fuzzing (tests/reliability/test_fuzz_forms.py):

* `str.isdigit()` accepts "²", which `int()` refuses: a county chosen by ?fylke=² and a case put on
  an agenda by a raw POST value gave a 500 (core.forms.posted_id reads such ids now);
* the admin's autocomplete widgets look up the raw posted value with an `in` lookup when they show a
  refused form again: "0.0" raised ValueError (core.lookups drops what no integer column can hold);
* on PostgreSQL a NUL character in a raw value that reaches a query (?region= on the registry forms,
  the region of a calendar subscription, a feed's token) raised ValueError: the request is refused
  with the "bad request" page (core.middleware.RefuseNullCharacterMiddleware).
"""

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from cases.models import Case
from core.forms import posted_id
from regions.models import Region
from tests.security.world import build_world

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999"


@pytest.fixture
def world():
    return build_world()


def _client(world, role):
    client = Client(raise_request_exception=False)
    client.force_login(world.user(role))
    return client


def test_an_impossible_county_id_shows_the_default_county(world):
    client = _client(world, "leader_a")
    for raw in ["²", "①", HUGE, "-1", "1.5", "abc"]:
        response = client.get(reverse("regions:index"), {"fylke": raw})
        assert response.status_code == 200, raw
        assert "Ukjent fylke" in " ".join(str(m) for m in get_messages(response.wsgi_request))
        assert client.get(reverse("regions:export", args=["csv"]), {"fylke": raw}).status_code == 200, raw


def test_an_impossible_case_id_on_the_agenda_builder_is_not_found(world):
    client = _client(world, "adviser")
    items = world.meeting_a.agenda_items.count()
    for raw in ["²", "①", HUGE, "-1", "abc"]:
        response = client.post(reverse("meetings:agenda-case-add", args=[world.meeting_a.pk]), {"case": raw})
        assert response.status_code == 404, raw
    assert world.meeting_a.agenda_items.count() == items


def test_the_admin_shows_a_form_with_an_impossible_id_again_with_an_error(world):
    client = _client(world, "admin")
    for raw in ["0.0", "1.5", "abc", HUGE]:
        response = client.post(reverse("admin:regions_regionmembership_add"), {"region": raw, "_save": "Lagre"})
        assert response.status_code == 200, raw
        assert response.context["adminform"].form.errors["region"]
        response = client.post(reverse("admin:regions_municipality_add"), {"predecessors": [raw], "_save": "Lagre"})
        assert response.status_code == 200, raw
        assert response.context["adminform"].form.errors["predecessors"]


def test_an_in_lookup_ignores_values_no_integer_column_can_hold(world):
    region = world.region_a
    found = Region.objects.filter(pk__in=["0.0", "abc", HUGE, -int(HUGE), str(region.pk)])
    assert list(found) == [region]
    assert not Region.objects.filter(pk__in=[HUGE, "²"]).exists()
    assert not Case.objects.filter(origin_region__in=[HUGE, "1.5"]).exists()
    assert Case.objects.filter(origin_region__in=[region.pk, HUGE]).exists()


def test_posted_id_reads_only_whole_numbers_an_id_can_be():
    assert posted_id("42") == 42
    assert posted_id(" 7 ") == 7
    assert [posted_id(raw) for raw in ("²", "١٢", "-1", "0", "1.5", "", None, HUGE, "9" * 400)] == [None] * 9


def test_a_null_character_in_the_address_or_the_form_is_a_bad_request(world):
    client = _client(world, "adviser")
    for method, url, data in [
        ("get", "/register/medlemskap/ny/", {"region": "indre\x00"}),
        ("get", "/register/oppnevninger/ny/", {"region": "\x00"}),
        ("post", "/moter/abonnement/", {"region": "Fylkesvei\x00"}),
        ("get", "/moter/kalender/abc%00def.ics", {}),
        ("get", "/saker/", {"q": "vei\x00"}),
        ("post", "/saker/ny/", {"title": "Tittel\x00"}),
    ]:
        response = getattr(client, method)(url, data)
        assert response.status_code == 400, url
        assert "Forespørselen kunne ikke forstås" in response.content.decode()


def test_a_date_the_date_arithmetic_cannot_handle_is_a_form_error(world):
    """Found by the form fuzzing too: 0001-01-01 in the case list's date filter overflowed when the
    day was turned into a time on SQLite, and moving a meeting to 9999-12-31 overflowed while its
    reminders were planned. Forms now accept dates from 1800 to 2199 (core.forms)."""
    client = _client(world, "adviser")
    for day in ["0001-01-01", "9999-12-31"]:
        response = client.get(reverse("cases:index"), {"submitted_from": day, "submitted_to": day})
        assert response.status_code == 200, day
        start = world.meeting_a.start
        response = client.post(
            reverse("meetings:meeting-move", args=[world.meeting_a.pk]),
            {"date": day, "start_time": "09:00", "end_time": "12:00"},
        )
        assert response.status_code == 200, day
        assert "Skriv en dato mellom 01.01.1800 og 31.12.2199." in response.context["form"].errors["date"]
        world.meeting_a.refresh_from_db()
        assert world.meeting_a.start == start
