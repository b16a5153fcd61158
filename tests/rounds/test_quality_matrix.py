"""The rounds rows of the permission matrix, checked here too so they hold before the shared suite
runs them: each role's status on GET, and the 404-or-403 rule for a POST on each object's URL."""

from django.urls import reverse

from tests.security.matrix import access_functions, can_see, url_object
from tests.security.world import build_world

from .quality import EXPECTED_STATUS, URL_KWARGS, URL_OBJECTS


def test_permission_matrix(client, db):
    world = build_world()
    for url_name, expected in EXPECTED_STATUS.items():
        kwargs = URL_KWARGS.get(url_name, lambda w: {})(world)
        url = reverse(url_name, kwargs=kwargs)
        for role, status in expected.items():
            client.force_login(world.user(role))
            assert client.get(url).status_code == status, (url_name, role)


def test_posting_to_a_hidden_object_is_404_and_to_a_visible_one_never(client, db):
    world = build_world()
    access = access_functions()
    for url_name, spec in URL_OBJECTS.items():
        url = reverse(url_name, kwargs=URL_KWARGS[url_name](world))
        obj = url_object(world, spec)
        for role in ("adviser", "leader_a", "leader_b", "staff"):
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
