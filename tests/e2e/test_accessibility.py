"""axe-core (bundled with axe-playwright-python) with the WCAG 2.1 A and AA rules on every main page, in
Norwegian and English: zero violations. Each page is also screenshotted per language."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.db import transaction
from django.urls import NoReverseMatch, reverse

from notifications.sweep import message_sweep
from tests.outbox import notify

from .pages import LANGUAGES, WCAG_TAGS, main_pages

pytestmark = pytest.mark.e2e

AXE_OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}


def _url(page_spec, world):
    if page_spec.path:
        return page_spec.path
    kwargs = page_spec.kwargs(world) if page_spec.kwargs else {}
    return reverse(page_spec.url_name, kwargs=kwargs) + (f"?{page_spec.query}" if page_spec.query else "")


def _give_leader_a_notification(world):
    with transaction.atomic():
        notify(
            user=world.user("leader_a"),
            key="a11y:notification",
            subject="Sak besvart: Fylkesvei 120",
            body="Rådsområdet har svart.\nSe saken.",
            url="/",
        )
    message_sweep()


@pytest.mark.parametrize("page_spec", main_pages(), ids=str)
def test_page_has_no_wcag_21_aa_violations(page_spec, world, live_server, browser_page, authenticate, screenshot):
    """Each page in both languages, in one test: the world (every app's objects) is built once per page."""
    try:
        url = _url(page_spec, world)
    except NoReverseMatch:
        print(f"note: {page_spec.url_name} does not exist yet; {page_spec.name} not checked")
        pytest.skip(f"URL name {page_spec.url_name} does not exist yet")
    page = browser_page
    if page_spec.role != "anonymous":
        authenticate(page, world.user(page_spec.role))
    if page_spec.name == "notifications-leader_a":
        _give_leader_a_notification(world)

    reports = []
    for language in LANGUAGES:
        page.context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
        response = page.goto(url)

        assert response.status == page_spec.status, f"{url} ({language}) answered {response.status}"
        assert page.locator("html").get_attribute("lang") == language
        assert page.locator("h1").count() == 1, f"one h1 per page ({language})"
        screenshot(page, f"{page_spec.name}-{language}")
        results = Axe().run(page, options=AXE_OPTIONS)
        if results.violations_count:
            reports.append(f"{url} ({language}):\n{results.generate_report()}")
    assert not reports, "\n\n".join(reports)
