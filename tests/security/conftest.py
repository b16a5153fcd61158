import pytest
from django.contrib.auth.models import Group
from django.db import transaction
from django.test import Client
from django.urls import reverse

from notifications.sweep import message_sweep
from tests.outbox import notify

from .world import PASSWORD, build_world


@pytest.fixture
def world(db):
    """The shared world plus one object of each admin model, so admin pages with an id can be opened."""
    world = build_world()
    Group.objects.create(name="Redaktører")
    with transaction.atomic():
        notify(user=world.user("leader_a"), key="security:hello", subject="Hei", body="Test", url="/")
    message_sweep()
    client = Client()
    client.post(reverse("login"), {"username": "adviser", "password": "wrong"})  # axes: an attempt, a failure
    client.post(reverse("login"), {"username": "adviser", "password": PASSWORD})  # axes: an access log
    return world


def client_for(world, role):
    client = Client(raise_request_exception=False)
    user = world.user(role)
    if user is not None:
        client.force_login(user)
    return client
