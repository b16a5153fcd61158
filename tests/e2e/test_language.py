"""Switching the language with the footer form changes the texts, and switching back restores them."""

import pytest

pytestmark = pytest.mark.e2e


def _switch(page, code):
    page.select_option("#language-select", code)
    with page.expect_navigation():
        page.locator("footer form [type=submit]").click()


def test_switching_to_english_and_back_on_the_login_page(browser_page, screenshot):
    page = browser_page
    page.goto("/konto/logg-inn/")
    assert page.locator("html").get_attribute("lang") == "nb"
    assert page.locator("h1").inner_text() == "Logg inn"

    _switch(page, "en")

    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text() == "Log in"
    assert page.get_by_role("link", name="Accessibility statement").is_visible()
    screenshot(page, "login-en")

    _switch(page, "nb")

    assert page.locator("html").get_attribute("lang") == "nb"
    assert page.locator("h1").inner_text() == "Logg inn"


def test_language_choice_follows_the_user_after_login(world, browser_page, login_as, screenshot):
    page = login_as(browser_page, world.user("leader_a"))
    assert page.locator("h1").inner_text().startswith("Velkommen")
    assert page.get_by_role("button", name="Logg ut").is_visible()

    _switch(page, "en")

    assert page.locator("h1").inner_text().startswith("Welcome")
    assert page.get_by_role("heading", name="My region", exact=True).is_visible()
    assert page.get_by_role("button", name="Log out").is_visible()
    screenshot(page, "start-leader_a-en")
    page.goto("/varsler/")
    assert page.locator("h1").inner_text() == "Notifications"

    _switch(page, "nb")

    assert page.locator("h1").inner_text() == "Varsler"


def test_switching_to_nynorsk_and_back_on_the_login_page(browser_page):
    page = browser_page
    page.goto("/konto/logg-inn/")

    _switch(page, "nn")

    assert page.locator("html").get_attribute("lang") == "nn"
    assert page.get_by_role("link", name="Gløymt passordet?").is_visible()
    assert page.get_by_role("button", name="Byt språk").is_visible()

    _switch(page, "nb")

    assert page.locator("html").get_attribute("lang") == "nb"
    assert page.get_by_role("link", name="Glemt passordet?").is_visible()
