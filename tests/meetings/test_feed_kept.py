"""A calendar program asks for its feed every few minutes: the feed is kept in the shared cache until the
data changes, and the link's checks (revoked, the owner's right to the region) run on every request.

The tests commit (transaction=True): the generation moves on when a change commits, as in production."""

import datetime

import pytest
from django.test import override_settings
from django.urls import reverse
from icalendar import Calendar

from meetings import services
from regions.models import Appointment
from tests.kept import KEPT

from .factories import NOW, oslo

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("kept_cache")]


def _titles(response):
    return {str(event["SUMMARY"]) for event in Calendar.from_ical(response.content).walk("VEVENT")}


@override_settings(**KEPT)
def test_the_kept_feed_reads_only_the_link_and_shows_a_new_meeting(
    client, adviser, leader, meeting, region, django_assert_num_queries
):
    feed = services.feed_get_or_create(actor=leader, region=region)
    url = reverse("meetings:feed", args=[feed.token])
    first = client.get(url)
    with django_assert_num_queries(2):  # the link, the owner's right to the region: no meeting is read
        again = client.get(url)
    assert again.content == first.content
    services.meeting_create(
        actor=adviser,
        title="Ekstra regionråd",
        start=oslo(2030, 3, 5, 9),
        end=oslo(2030, 3, 5, 12),
        region=region,
        now=NOW,
    )
    assert "Ekstra regionråd" in _titles(client.get(url))


@override_settings(**KEPT)
def test_a_revoked_or_lapsed_link_is_refused_though_its_feed_was_kept(client, leader, meeting, region):
    feed = services.feed_get_or_create(actor=leader, region=region)
    url = reverse("meetings:feed", args=[feed.token])
    assert client.get(url).status_code == 200
    assert client.get(url).status_code == 200  # kept
    # The appointment ends by a bulk update (no signal, no request): the link's own check refuses it.
    Appointment.objects.filter(person__user=leader).update(valid_to=datetime.date(2021, 1, 1))
    assert client.get(url).status_code == 404
