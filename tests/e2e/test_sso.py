"""Single sign-on in a real browser: the portal's button, the real provider's login form (its own
process, tests/sso_provider), back signed in; logging out also ends the provider's session, through
the page that continues there (the CSP's form-action forbids a logout form's redirect to another site)."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from accounts.models import User
from tests.factories import UserFactory
from tests.sso_provider.harness import PASSWORD

from .pages import WCAG_TAGS

pytestmark = pytest.mark.e2e


@pytest.fixture
def sso_page(browser, live_server, sso_provider, settings):
    """A fresh browser page on the live server, with the portal pointed at the test provider; fails on
    any Content-Security-Policy violation."""
    settings.OIDC_PROVIDERS = sso_provider.settings()
    sso_provider.allow_portal(live_server.url)
    context = browser.new_context(base_url=live_server.url, locale="nb-NO", timezone_id="Europe/Oslo")
    context.set_default_timeout(15_000)
    page = context.new_page()
    violations = []
    page.on("console", lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None)
    yield page
    context.close()
    assert not violations, violations


def sign_in_at_provider(page, username):
    assert page.locator("h1").inner_text() == "Test provider"
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()


def test_a_person_signs_in_through_the_provider_and_out_of_both(sso_page, live_server, transactional_db):
    UserFactory(username="kari", first_name="Kari", email="adviser@example.no", role=User.Role.ADVISER)
    page = sso_page

    page.goto("/konto/logg-inn/")
    page.get_by_role("link", name="Logg inn med Testleverandør").click()
    sign_in_at_provider(page, "adviser")
    page.wait_for_url(f"{live_server.url}/")

    assert page.locator("h1").inner_text() == "Velkommen, Kari"

    page.get_by_role("button", name="Logg ut").click()
    page.wait_for_url(f"{live_server.url}/konto/logg-inn/**")

    assert page.locator("h1").inner_text() == "Logg inn"
    page.goto("/")
    assert page.locator("h1").inner_text() == "Logg inn"
    # The provider's session ended too: it asks for the password again.
    page.goto("/konto/logg-inn/")
    page.get_by_role("link", name="Logg inn med Testleverandør").click()
    assert page.locator("h1").inner_text() == "Test provider"


def assert_no_wcag_violations(page):
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]})
    assert not results.violations_count, results.generate_report()


def test_an_unknown_person_is_told_to_get_an_invitation(sso_page, live_server, transactional_db):
    page = sso_page

    page.goto("/konto/logg-inn/")
    assert_no_wcag_violations(page)  # the login page with its single sign-on button
    page.get_by_role("link", name="Logg inn med Testleverandør").click()
    sign_in_at_provider(page, "stranger")

    assert page.locator("h1").inner_text() == "Du kunne ikke logges inn"
    assert "må invitere deg" in page.locator("main").inner_text()
    assert not User.objects.filter(email="stranger@example.no").exists()
    assert_no_wcag_violations(page)
