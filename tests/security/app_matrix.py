"""An app's own rows of the permission matrix, checked in the app's tests too so they hold before the
shared suite runs them: each role's status on GET (EXPECTED_STATUS), and the 404-or-403 rule for a
POST on each object's URL (URL_OBJECTS), read from the app's tests/<app>/quality.py."""

from django.urls import reverse

from tests.security.matrix import access_functions, can_see, url_object
from tests.security.world import build_world

POSTING_ROLES = ("adviser", "leader_a", "leader_b", "staff")


def assert_expected_statuses(client, quality):
    world = build_world()
    for url_name, expected in quality.EXPECTED_STATUS.items():
        kwargs = quality.URL_KWARGS.get(url_name, lambda w: {})(world)
        url = reverse(url_name, kwargs=kwargs)
        for role, status in expected.items():
            client.force_login(world.user(role))
            assert client.get(url).status_code == status, (url_name, role)


def assert_posting_to_a_hidden_object_is_404(client, quality):
    world = build_world()
    access = access_functions()
    for url_name, spec in quality.URL_OBJECTS.items():
        url = reverse(url_name, kwargs=quality.URL_KWARGS[url_name](world))
        obj = url_object(world, spec)
        for role in POSTING_ROLES:
            user = world.user(role)
            client.force_login(user)
            status = client.post(url, {}).status_code
            if status == 405:  # a page without a POST refuses it before reading anything
                continue
            assert status != 500, (url_name, role)
            if can_see(user, obj, access):
                assert status != 404, (url_name, role)
            else:
                assert status == 404, (url_name, role)
