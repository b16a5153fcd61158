"""Each role logs in through the real form and lands on its own start page."""

from urllib.parse import urlsplit

import pytest

pytestmark = pytest.mark.e2e

# role -> text only that role's start page shows (Norwegian, the default language)
START_PAGE_TEXT = {
    "adviser": "regioner i dag",
    "leader_a": "Indre Østfold",
    "leader_b": "Follo",
    "staff": "Samferdsel",
    "admin": "regioner i dag",
}


@pytest.mark.parametrize("role", list(START_PAGE_TEXT))
def test_each_role_logs_in_and_sees_its_start_page(role, world, browser_page, login_as, screenshot):
    page = login_as(browser_page, world.user(role))

    assert urlsplit(page.url).path == "/"
    assert page.locator("h1").inner_text().startswith("Velkommen")
    assert START_PAGE_TEXT[role] in page.locator("main").inner_text()
    screenshot(page, f"start-{role}")


def test_leader_of_a_does_not_see_region_b_on_the_start_page(world, browser_page, login_as):
    page = login_as(browser_page, world.user("leader_a"))

    assert "Follo" not in page.locator("main").inner_text()


def test_logging_out_by_post_returns_to_the_login_page(world, browser_page, login_as):
    page = login_as(browser_page, world.user("adviser"))

    with page.expect_navigation():
        page.get_by_role("button", name="Logg ut").click()

    assert page.locator("h1").inner_text() == "Logg inn"
    page.goto("/")
    assert page.locator("h1").inner_text() == "Logg inn"
