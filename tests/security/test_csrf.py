"""Every URL refuses a POST without a CSRF token with 403, before any view code runs."""

from .conftest import client_for
from .urlwalk import endpoints

# Views that must accept POSTs from other sites. None today; each entry needs a reason.
CSRF_EXEMPT: set[str] = set()


def test_every_url_refuses_a_post_without_csrf_token(world):
    client = client_for(world, "admin")
    client.handler.enforce_csrf_checks = True
    problems = []
    for endpoint in endpoints():
        if endpoint.name in CSRF_EXEMPT:
            continue
        response = client.post(endpoint.sample, {"title": "x", "username": "x", "password": "x"})
        if response.status_code != 403:
            problems.append(f"{endpoint.name} {endpoint.sample}: {response.status_code}")
    assert not problems, "POST without CSRF token was not refused:\n" + "\n".join(problems)


def test_a_post_with_the_token_is_accepted(world):
    client = client_for(world, "leader_a")
    client.handler.enforce_csrf_checks = True
    page = client.get("/varsler/")
    token = page.context["csrf_token"]

    response = client.post("/varsler/les/", {"csrfmiddlewaretoken": str(token)})

    assert response.status_code == 302


def test_anonymous_login_post_without_token_is_refused(client, db):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = client.post("/konto/logg-inn/", {"username": "adviser", "password": "x"})
    assert response.status_code == 403
