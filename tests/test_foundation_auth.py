"""Login and logout in Norwegian, and deny-by-default for anonymous users."""

from django.test import Client
from django.urls import reverse

from tests.security.matrix import public_url_names
from tests.security.urlwalk import endpoints


def test_login_page_is_norwegian(client, db):
    response = client.get(reverse("login"))

    page = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="nb">' in page
    assert "<h1>Logg inn</h1>" in page
    assert "Brukernavn" in page and "Passord" in page
    assert "Glemt passordet?" in page or "Glemt passord" in page


def test_wrong_password_gives_a_norwegian_message_and_no_session(client, adviser):
    response = client.post(reverse("login"), {"username": "adviser", "password": "feil"})

    assert response.status_code == 200
    assert "Vennligst oppgi korrekt brukernavn og passord" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_right_password_leads_to_the_start_page(client, adviser):
    response = client.post(reverse("login"), {"username": "adviser", "password": "Passord-for-test-1"})

    assert response.status_code == 302
    assert response["Location"] == reverse("portal:home")


def test_logout_is_a_post_and_ends_the_session(client, adviser):
    client.force_login(adviser)

    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"))

    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    assert client.get(reverse("portal:home")).status_code == 302


def test_every_url_pattern_sends_anonymous_users_to_login_except_the_allow_list(db):
    client = Client()
    logins = (reverse("login"), reverse("admin:login"))  # the admin sends people to its own login page
    wrongly_open = []
    public = public_url_names()  # the foundation's and the apps' (tests/<app>/quality.py PUBLIC_URL_NAMES)
    for endpoint in endpoints():
        if endpoint.name in public:
            continue
        response = client.get(endpoint.sample)
        if not (response.status_code == 302 and response["Location"].startswith(logins)):
            wrongly_open.append(f"{endpoint.name} {endpoint.sample} -> {response.status_code}")
    assert not wrongly_open, wrongly_open


def test_the_allow_list_is_open_to_anonymous_users(client, db):
    for name in ("login", "password_reset", "password_reset_done", "password_reset_complete", "portal:accessibility"):
        assert client.get(reverse(name)).status_code == 200, name
