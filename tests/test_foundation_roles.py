"""Each role's start page, with rights that follow current appointments in the registry."""

import datetime

from django.urls import reverse
from django.utils import timezone

from regions.models import Appointment
from regions.selectors import region_list_led_by


def test_leader_start_page_lists_the_region_they_lead(client, leader, other_leader):
    client.force_login(leader)

    page = client.get(reverse("portal:home")).content.decode()

    assert "Min region" in page
    assert "Indre Østfold" in page
    assert "Follo" not in page


def test_leader_whose_appointment_ended_has_no_region(client, leader):
    today = timezone.localdate()
    Appointment.objects.filter(person__user=leader).update(valid_to=today)

    client.force_login(leader)
    page = client.get(reverse("portal:home")).content.decode()

    assert list(region_list_led_by(user=leader)) == []
    assert "Indre Østfold" not in page
    assert "Du har ikke noe gjeldende oppnevning som regionrådsleder" in page


def test_an_appointment_that_starts_tomorrow_gives_no_region_today(leader, region):
    Appointment.objects.filter(person__user=leader).update(valid_from=timezone.localdate() + datetime.timedelta(1))

    assert list(region_list_led_by(user=leader)) == []
    assert list(region_list_led_by(user=leader, on=timezone.localdate() + datetime.timedelta(1))) == [region]


def test_staff_start_page_names_their_council_area(client, staff):
    client.force_login(staff)

    page = client.get(reverse("portal:home")).content.decode()

    assert "Mitt rådsområde" in page or "Samferdsel" in page
    assert "Samferdsel" in page


def test_adviser_start_page_shows_todays_counts(client, adviser, members):
    client.force_login(adviser)

    response = client.get(reverse("portal:home"))

    assert response.context["region_count"] == 1
    assert response.context["municipality_count"] == 3
    assert "regioner i dag" in response.content.decode()
