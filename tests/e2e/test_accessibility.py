"""axe-core (bundled with axe-playwright-python) with the WCAG 2.1 A and AA rules on every main page, in
Norwegian and English: zero violations. Each page is also screenshotted per language."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.db import transaction
from django.urls import NoReverseMatch, reverse

from notifications.sweep import message_sweep
from tests.outbox import notify

from .pages import LANGUAGES, WCAG_TAGS, main_pages

# The plain db mark: a transaction per test (rolled back), while the world the pages show is built
# once for the module (shared_world) and committed, so the live server sees it on any database.
pytestmark = [pytest.mark.e2e, pytest.mark.django_db]
SHARED_ROLES = sorted({page.role for page in main_pages()})

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


def prepare_shared_world(world):
    """The pages only read, so one world serves them all; the leader has one unread notification."""
    _give_leader_a_notification(world)


@pytest.mark.parametrize("page_spec", main_pages(), ids=str)
def test_page_has_no_wcag_21_aa_violations(page_spec, shared_world, shared_page, screenshot):
    """Each page in every language, in one test, on the world built once for the module."""
    try:
        url = _url(page_spec, shared_world.world)
    except NoReverseMatch:
        print(f"note: {page_spec.url_name} does not exist yet; {page_spec.name} not checked")
        pytest.skip(f"URL name {page_spec.url_name} does not exist yet")
    page = shared_page
    if page_spec.role != "anonymous":
        shared_world.sign_in(page, page_spec.role)

    reports = []
    for language in LANGUAGES:
        page.context.add_cookies([{"name": "django_language", "value": language, "url": shared_world.url}])
        response = page.goto(url)

        assert response.status == page_spec.status, f"{url} ({language}) answered {response.status}"
        assert page.locator("html").get_attribute("lang") == language
        assert page.locator("h1").count() == 1, f"one h1 per page ({language})"
        screenshot(page, f"{page_spec.name}-{language}")
        results = Axe().run(page, options=AXE_OPTIONS)
        if results.violations_count:
            reports.append(f"{url} ({language}):\n{results.generate_report()}")
    assert not reports, "\n\n".join(reports)
