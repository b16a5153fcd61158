"""Bokmål is the default whatever the browser asks for; English only by the user's own choice."""

from django.conf import settings
from django.urls import reverse


def test_english_browser_still_gets_bokmal(client, db):
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert "<h1>Logg inn</h1>" in response.content.decode()


def test_language_switch_to_english_and_back(client, db):
    client.post(reverse("set_language"), {"language": "en", "next": reverse("login")})
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert "<h1>Log in</h1>" in client.get(reverse("login")).content.decode()
    client.post(reverse("set_language"), {"language": "nb", "next": reverse("login")})
    assert "<h1>Logg inn</h1>" in client.get(reverse("login")).content.decode()


def test_unknown_language_cookie_falls_back_to_bokmal(client, db):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "xx"
    assert "<h1>Logg inn</h1>" in client.get(reverse("login")).content.decode()
