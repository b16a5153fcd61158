"""What a page asks about its user (the regions they lead, the council areas they work for, their unread
notifications) is read once per request, in one query, and never kept from one request to the next."""

import datetime

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from core.memo import RequestMemoMiddleware
from notifications.models import Notification
from notifications.selectors import notification_unread_count
from regions.models import Appointment
from regions.selectors import (
    council_area_ids_staffed_now,
    council_area_list_staffed_by,
    region_ids_led_now,
    region_list_led_by,
)
from tests.factories import AppointmentFactory, CouncilAreaFactory, PersonFactory, RegionFactory, UserFactory

pytestmark = pytest.mark.django_db


def _as_in_a_request(user):
    """The user as a view sees it: request.user after the portal's middleware."""
    request = RequestFactory().get("/")
    request.user = user
    seen = {}
    RequestMemoMiddleware(lambda r: seen.setdefault("user", r.user))(request)
    return seen["user"]


@pytest.fixture
def busy_user(region, other_region):
    """Leads two regions, works for a council area, led a third region once and will lead a fourth."""
    user = UserFactory(username="travel", role=User.Role.REGION_LEADER)
    person = PersonFactory(user=user, name="Travel")
    today = timezone.localdate()
    AppointmentFactory(person=person, region=region)
    AppointmentFactory(person=person, region=other_region)
    AppointmentFactory(person=person, region=RegionFactory(), valid_to=today - datetime.timedelta(days=1))
    AppointmentFactory(person=person, region=RegionFactory(), valid_from=today + datetime.timedelta(days=1))
    AppointmentFactory(
        person=person, role=Appointment.Role.COUNCIL_AREA_STAFF, region=None, council_area=CouncilAreaFactory()
    )
    for read_at in (None, None, timezone.now()):
        Notification.objects.create(user=user, title="Varsel", read_at=read_at)
    return user


def test_posts_and_unread_count_come_from_one_query_and_agree_with_the_registry(busy_user, django_assert_num_queries):
    user = _as_in_a_request(busy_user)
    with django_assert_num_queries(1):
        led, staffed = region_ids_led_now(user=user), council_area_ids_staffed_now(user=user)
        assert notification_unread_count(user=user) == 2
        assert region_ids_led_now(user=user) == led  # asked again: not read again
    assert led == set(region_list_led_by(user=busy_user).values_list("pk", flat=True)) and len(led) == 2
    assert staffed == set(council_area_list_staffed_by(user=busy_user).values_list("pk", flat=True))
    assert len(staffed) == 1


def test_a_user_with_no_posts_and_no_notifications(db, adviser):
    user = _as_in_a_request(adviser)
    assert region_ids_led_now(user=user) == set() and council_area_ids_staffed_now(user=user) == set()
    assert notification_unread_count(user=user) == 0


def test_nothing_is_kept_between_requests(client, busy_user, region):
    client.force_login(busy_user)
    assert client.get(reverse("regions:region-detail", args=[region.slug])).context["nav"]["unread"] == 2
    Notification.objects.filter(user=busy_user).update(read_at=timezone.now())
    assert client.get(reverse("regions:region-detail", args=[region.slug])).context["nav"]["unread"] == 0
