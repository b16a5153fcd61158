"""Five wrong passwords lock the user name for that address, with a Norwegian explanation."""

from django.test import Client
from django.urls import reverse


def test_five_wrong_passwords_show_the_norwegian_lockout_page_and_block_the_right_one(world):
    client = Client()
    for _ in range(4):
        response = client.post(reverse("login"), {"username": "leader", "password": "feil-passord"})
        assert response.status_code == 200
        assert "Vennligst oppgi korrekt brukernavn og passord" in response.content.decode()

    response = client.post(reverse("login"), {"username": "leader", "password": "feil-passord"})

    assert response.status_code == 429
    page = response.content.decode()
    assert "For mange mislykkede innloggingsforsøk" in page
    assert "sperret i 15 minutter" in page
    response = client.post(reverse("login"), {"username": "leader", "password": "Passord-for-test-1"})
    assert response.status_code == 429, "the right password does not open a locked account"
    assert "_auth_user_id" not in client.session


def test_another_user_name_is_not_locked_by_someone_elses_failures(world):
    client = Client()
    for _ in range(5):
        client.post(reverse("login"), {"username": "leader", "password": "feil-passord"})

    response = client.post(reverse("login"), {"username": "adviser", "password": "Passord-for-test-1"})

    assert response.status_code == 302
