"""The meeting rows of the permission matrix, checked here too so they hold before the shared suite
runs them: each role gets exactly the declared status on GET."""

import pytest
from django.urls import reverse

from tests.security.world import build_world

from .quality import EXPECTED_STATUS, URL_KWARGS


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_permission_matrix(client, db):
    world = build_world()
    problems = []
    for url_name, expected in EXPECTED_STATUS.items():
        kwargs = URL_KWARGS.get(url_name, lambda w: {})(world)
        url = reverse(url_name, kwargs=kwargs)
        for role, status in expected.items():
            client.force_login(world.user(role))
            got = client.get(url).status_code
            if got != status:
                problems.append(f"{url_name} as {role}: {got}, expected {status}")
    assert not problems, "\n".join(problems)
