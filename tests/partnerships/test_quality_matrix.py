"""The partnership rows of the permission matrix, checked here too so they hold before the
shared suite runs them."""

from django.urls import reverse

from tests.security.world import build_world

from .quality import EXPECTED_STATUS, URL_KWARGS


def test_permission_matrix(client, db):
    world = build_world()
    for url_name, expected in EXPECTED_STATUS.items():
        kwargs = URL_KWARGS.get(url_name, lambda w: {})(world)
        url = reverse(url_name, kwargs=kwargs)
        for role, status in expected.items():
            client.force_login(world.user(role))
            assert client.get(url).status_code == status, (url_name, role)
