"""The public calendar feed per region: anyone subscribes without logging in and gets the region's
meetings with their places and public agendas, and nothing exempt, no e-mail address, no video link."""

import icalendar
import pytest
from django.core.cache import cache
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from meetings import services as meeting_services
from tests.kept import KEPT
from tests.meetings.factories import NOW, oslo
from tests.oparl.conftest import SECRET_MARKERS

pytestmark = pytest.mark.django_db


def _feed(client, region):
    response = client.get(reverse("public:region-feed", kwargs={"slug": region.slug}))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return response.content.decode("utf-8"), icalendar.Calendar.from_ical(response.content)


def test_the_region_page_links_its_feed_and_the_feed_lists_the_meetings_with_public_agendas(client, world, region):
    page = client.get(reverse("public:region", kwargs={"slug": region.slug})).content.decode()
    assert reverse("public:region-feed", kwargs={"slug": region.slug}) in page
    _text, calendar = _feed(client, region)
    events = {str(event["SUMMARY"]): event for event in calendar.walk("VEVENT")}
    assert set(events) >= {world.meetings[0].title, "Regionrådsmøte i mars", "Regionrådsmøte i april"}
    held = events[world.meetings[0].title]
    assert str(held["LOCATION"]) == "Rådhuset, Askim"
    assert "Orienteringssaker" in str(held["DESCRIPTION"])
    assert world.public_case.title in str(held["DESCRIPTION"])
    # A planned meeting's agenda is not published yet.
    assert "Planlagt punkt" not in str(events["Regionrådsmøte i april"]["DESCRIPTION"])


def test_the_feed_holds_nothing_exempt_no_address_and_no_video_link(client, world, region, adviser, other_region):
    for some_region in (region, other_region):
        text, _calendar = _feed(client, some_region)
        for marker in SECRET_MARKERS:
            assert marker not in text
        assert "ORGANIZER" not in text and "ATTENDEE" not in text and "mailto:" not in text
        assert adviser.email not in text
    # The other region's feed has none of this region's meetings.
    _text, calendar = _feed(client, other_region)
    assert not [event for event in calendar.walk("VEVENT") if str(event["SUMMARY"]).startswith("Regionrådsmøte")]


def _more_meetings(adviser, region):
    for day in range(10):
        meeting = meeting_services.meeting_create(
            actor=adviser,
            title=f"Ekstra møte {day}",
            start=oslo(2030, 6, 1 + day, 9),
            end=oslo(2030, 6, 1 + day, 11),
            region=region,
            now=NOW,
        )
        meeting_services.agenda_item_add(meeting=meeting, actor=adviser, title="Punkt", lane="planned", now=NOW)
        meeting_services.agenda_publish(meeting=meeting, actor=adviser, now=NOW)


def test_the_feed_costs_the_same_on_more_meetings(client, world, region, adviser, django_capture_on_commit_callbacks):
    url = reverse("public:region-feed", kwargs={"slug": region.slug})
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    # The changes commit, as in production (the fragment cache's generation moves on at commit).
    with django_capture_on_commit_callbacks(execute=True):
        _more_meetings(adviser, region)
    with CaptureQueriesContext(connection) as large:
        text = client.get(url).content.decode()
    assert len(large) == len(small) <= 5
    assert "Ekstra møte 9" in text


def test_an_unknown_region_has_no_feed(client, db):
    assert client.get(reverse("public:region-feed", kwargs={"slug": "finnes-ikke"})).status_code == 404


@override_settings(**KEPT)
def test_the_kept_feed_reads_no_meetings_again_and_shows_a_committed_change(
    client, world, region, adviser, django_capture_on_commit_callbacks
):
    cache.clear()
    url = reverse("public:region-feed", kwargs={"slug": region.slug})
    first = client.get(url).content
    with CaptureQueriesContext(connection) as kept:
        assert client.get(url).content == first
    assert len(kept) == 0  # the whole response is kept (core/kept_pages.py, kept_public_page), the region not even read
    with django_capture_on_commit_callbacks(execute=True):
        _more_meetings(adviser, region)
    assert "Ekstra møte 9" in client.get(url).content.decode()
