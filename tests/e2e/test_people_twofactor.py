"""In a real browser: an adviser invites a person, who opens the link from the e-mail (read from the
outbox), chooses a password and lands logged in; and a two-factor sign-in with a code computed from the
device's key as an authenticator app would."""

import datetime
import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.core.mail import get_connection
from django.utils import timezone

from accounts.models import User
from notifications.delivery import render
from notifications.models import Message
from notifications.sweep import message_sweep
from people.renderers import INVITATION_KIND
from tests.twofactor import code_for, totp_device_for

pytestmark = pytest.mark.e2e

NEW_PASSWORD = "Fjordhest-og-kanel-42"


def _invitation_email(address):
    """The invitation e-mail as the person got it: from mail.outbox when this test's sweep sent it, or
    rendered again from its outbox row when a real Celery worker of this test process's session
    (tests/e2e/conftest.py celery_worker, which takes over the process's broker) sent it in its own
    process. Either way the same renderer writes it."""
    sent = [email for email in mail.outbox if email.to == [address]]
    if sent:
        return sent[-1]
    message = Message.objects.get(kind=INVITATION_KIND, email=address)
    _rendered, email = render(message, mail_connection=get_connection())
    return email


def test_an_invited_person_chooses_a_password_from_the_email_and_lands_logged_in(
    world, browser_page, login_as, screenshot
):
    page = login_as(browser_page, world.user("adviser"))
    page.goto("/personer/ny/")
    page.fill("#id_first_name", "Kari")
    page.fill("#id_last_name", "Nordmann")
    page.fill("#id_email", "kari.nordmann@example.no")
    page.fill("#id_organisation", "Sarpsborg kommune")
    page.select_option("#id_role", User.Role.REGION_LEADER)
    with page.expect_navigation():
        page.get_by_role("button", name="Opprett person").click()
    assert "Invitert, venter" in page.locator("#person-state").inner_text()

    message_sweep(now=timezone.now() + datetime.timedelta(seconds=5))  # what is due by now, whatever the clocks
    email = _invitation_email("kari.nordmann@example.no")
    assert email.subject == "Invitasjon til Regionportalen"
    link = re.search(r"https?://[^/\s]+(/personer/invitasjon/[^/\s]+/)", email.body).group(1)

    page.context.clear_cookies()
    page.goto(link)
    assert page.locator("h1").inner_text() == "Velg passord"
    page.fill("#id_new_password1", NEW_PASSWORD)
    page.fill("#id_new_password2", NEW_PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Lagre passord og logg inn").click()

    assert urlsplit(page.url).path == "/"
    assert page.locator("h1").inner_text().startswith("Velkommen")
    assert "Kari Nordmann" in page.locator("header").inner_text()
    screenshot(page, "invitation-accepted")

    page.goto(link)  # the link works once
    assert "allerede brukt" in page.locator("main").inner_text()


def test_a_council_area_staff_member_signs_in_with_a_code_from_the_app(world, browser_page, screenshot, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # django-otp waits a second after a wrong code; the test never sleeps
    staff = world.user("staff")
    device = totp_device_for(staff)
    page = browser_page
    page.goto("/konto/logg-inn/")
    page.fill("#id_username", staff.username)
    page.fill("#id_password", "Passord-for-test-1")
    with page.expect_navigation():
        page.locator("main form [type=submit]").click()
    assert page.locator("h1").inner_text() == "Tofaktorinnlogging"
    screenshot(page, "twofactor-code")

    page.fill("#id_code", "000000")
    with page.expect_navigation():
        page.get_by_role("button", name="Bekreft").click()
    assert "Koden er ikke riktig" in page.locator("main").inner_text()

    page.fill("#id_code", code_for(device))
    with page.expect_navigation():
        page.get_by_role("button", name="Bekreft").click()
    assert page.locator("h1").inner_text().startswith("Velkommen")
    assert "Samferdsel" in page.locator("main").inner_text()
