"""The public meeting page: an anonymous visitor reads a meeting's time, place and published agenda,
and the approved minutes of its public items; never an exempt item, exempt or unapproved minutes, a
planned meeting's agenda or the video link."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from meetings import services as meeting_services
from tests.meetings.factories import NOW
from tests.oparl.conftest import SECRET_MARKERS

pytestmark = pytest.mark.django_db


def _page(client, meeting):
    response = client.get(reverse("public:meeting", kwargs={"pk": meeting.pk}))
    assert response.status_code == 200
    return response.content.decode()


def test_a_held_meeting_shows_its_public_agenda_and_approved_minutes(client, world, region):
    html = _page(client, world.meetings[0])
    assert world.meetings[0].title in html and "Rådhuset, Askim" in html
    assert "Orienteringssaker" in html and "Tatt til orientering." in html
    assert world.public_case.title in html  # the public case's item, its exempt minutes left out
    # The region page and the feed lead here.
    link = reverse("public:meeting", kwargs={"pk": world.meetings[0].pk})
    assert link in client.get(reverse("public:region", kwargs={"slug": region.slug})).content.decode()
    assert link in client.get(reverse("public:region-feed", kwargs={"slug": region.slug})).content.decode()


def test_no_meeting_page_shows_anything_exempt_unapproved_or_unpublished(client, world, region):
    from meetings.models import Meeting

    for meeting in Meeting.objects.filter(region=region):
        html = _page(client, meeting)
        for marker in (*SECRET_MARKERS, "Planlagt punkt"):
            assert marker not in html, f"{marker} on {meeting.title}"
    html = _page(client, Meeting.objects.get(title="Regionrådsmøte i mars"))
    assert "Kollektivtilbud" in html  # the published agenda, its minutes not approved
    assert "UGODKJENT-REFERAT" not in html


def test_an_unknown_meeting_is_404(client, db):
    for pk in (999999, "0"):
        assert client.get(f"/offentlig/mote/{pk}/").status_code == 404


def test_the_meeting_page_costs_the_same_on_a_longer_agenda(client, world, adviser):
    meeting = world.meetings[0]
    url = reverse("public:meeting", kwargs={"pk": meeting.pk})
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    planned = meeting_services.meeting_create(
        actor=adviser,
        title="Langt møte",
        start=meeting.start.replace(year=2031),
        end=meeting.end.replace(year=2031),
        region=meeting.region,
        now=NOW,
    )
    for number in range(15):
        meeting_services.agenda_item_add(
            meeting=planned, actor=adviser, title=f"Punkt {number}", lane="planned", now=NOW
        )
    meeting_services.agenda_publish(meeting=planned, actor=adviser, now=NOW)
    with CaptureQueriesContext(connection) as large:
        html = client.get(reverse("public:meeting", kwargs={"pk": planned.pk})).content.decode()
    assert "Punkt 14" in html
    assert len(large) <= len(small) <= 10
