"""The public pages' rows of the permission matrix, checked here too so they hold before the shared suite
runs them: each role, and an anonymous visitor, gets exactly the declared status."""

from django.urls import reverse

from tests.security.world import build_world

from .quality import EXPECTED_STATUS, URL_KWARGS


def test_permission_matrix(client, db):
    world = build_world()
    problems = []
    for url_name, expected in EXPECTED_STATUS.items():
        url = reverse(url_name, kwargs=URL_KWARGS.get(url_name, lambda w: {})(world))
        client.logout()
        anonymous = client.get(url).status_code
        if anonymous != expected["adviser"]:
            problems.append(f"{url_name} anonymous: {anonymous}")
        for role, status in expected.items():
            client.force_login(world.user(role))
            got = client.get(url).status_code
            if got != status:
                problems.append(f"{url_name} as {role}: {got}, expected {status}")
    assert not problems, "\n".join(problems)
