"""Sessions end when the browser closes and after SESSION_COOKIE_AGE; an expired one means a new login."""

from datetime import timedelta

from django.conf import settings
from django.contrib.sessions.models import Session
from django.urls import reverse


def test_session_cookie_is_a_browser_session_cookie_with_a_server_side_limit(client, world):
    response = client.post(reverse("login"), {"username": "adviser", "password": "Passord-for-test-1"})

    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    assert cookie["max-age"] == "" and cookie["expires"] == "", "no persistent cookie: it ends with the browser"
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"
    assert 0 < settings.SESSION_COOKIE_AGE <= 12 * 3600
    session = Session.objects.get(session_key=cookie.value)
    remaining = (
        session.expire_date
        - response.wsgi_request.session.get_expiry_date()
        + timedelta(seconds=settings.SESSION_COOKIE_AGE)
    )
    assert abs(remaining.total_seconds() - settings.SESSION_COOKIE_AGE) < 60


def test_an_expired_session_redirects_to_login(client, world):
    client.force_login(world.user("leader_a"))
    assert client.get(reverse("portal:home")).status_code == 200
    session = Session.objects.get(session_key=client.session.session_key)

    Session.objects.filter(pk=session.pk).update(expire_date=session.expire_date - timedelta(days=1))
    response = client.get(reverse("portal:home"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_logging_out_ends_the_session_on_the_server(client, world):
    client.force_login(world.user("leader_a"))
    key = client.session.session_key

    client.post(reverse("logout"))

    assert not Session.objects.filter(session_key=key).exists()
    assert client.get(reverse("portal:home")).status_code == 302
