"""The browser harness: Debian's Chromium driven by Playwright against pytest-django's live server.

Fixtures for flows (the case, meeting and agreement flows use the same ones):
    browser_page          a fresh browser context and page on the live server (Norwegian locale);
    login_as(page, user)  logs in through the real login form and lands on the start page;
    screenshot(page, name) saves test-artifacts/screenshots/<name>.png (a full page);
    world                 a user per role and their objects (tests/security/world.py);
    celery_worker         a real `celery worker --pool=solo` subprocess on the same test database
                          (PostgreSQL only: an in-memory SQLite test database cannot be shared).

Never downloads a browser: without /usr/bin/chromium (or CHROMIUM_PATH) the tests skip locally and
fail under CI=true.
"""

import contextlib
import os
import re
from functools import partial
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.shortcuts import resolve_url
from django.test import override_settings

from tests.reliability.processes import CeleryWorker, RedisServer, celery_broker
from tests.security.world import PASSWORD, build_world

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
IN_CI = os.environ.get("CI") == "true"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def browser():
    """One Chromium per test module; Playwright gives each launch a fresh temporary user-data-dir.

    Module scope, so that Playwright's event loop and DJANGO_ALLOW_ASYNC_UNSAFE end with the browser
    tests instead of leaking into the rest of the session (and into subprocesses it starts).
    """
    if not os.path.exists(CHROMIUM):
        message = f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread; the ORM calls the tests make
    # between browser steps are still plain synchronous calls.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
    try:
        yield browser
    finally:
        browser.close()
        playwright.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="session")
def live_server(request):
    """pytest-django's live server, with Django's test media handler kept away from real paths.

    settings.MEDIA_URL is None (uploads are served only through permission-checked views); Django's
    live server builds a media handler from MEDIA_URL and fails on None (and would serve MEDIA_ROOT
    at "/" on ""), so while it starts, MEDIA_URL names a path that no page links to.
    """
    from pytest_django.live_server_helper import LiveServer

    address = request.config.getvalue("liveserver") or os.getenv("DJANGO_LIVE_TEST_SERVER_ADDRESS") or "localhost"
    with override_settings(MEDIA_URL="/__uploads-are-not-served-here__/"):
        server = LiveServer(address)
    yield server
    server.stop()


@pytest.fixture
def browser_page(browser, live_server):
    """A page in a fresh context (no cookies), Norwegian browser locale, relative URLs on the live server.

    Fails the test if the browser reported a Content-Security-Policy violation (an inline script or
    style slipped into a template) or a request left the live server.
    """
    context = browser.new_context(
        base_url=live_server.url, locale="nb-NO", viewport={"width": 1280, "height": 900}, timezone_id="Europe/Oslo"
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    problems = []
    page.on(
        "console",
        lambda msg: problems.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    page.on(
        "request",
        lambda req: None if req.url.startswith((live_server.url, "data:")) else problems.append(req.url),
    )
    yield page
    context.close()
    assert not problems, f"CSP violations or outside requests: {problems}"


@pytest.fixture
def world(transactional_db):
    return build_world()


def _login(page, user, password=PASSWORD):
    """Log in through the login form, as a person would, and wait for the start page."""
    page.goto(resolve_url(settings.LOGIN_URL))
    page.fill("#id_username", user.username)
    page.fill("#id_password", password)
    with page.expect_navigation():
        page.locator("main form [type=submit]").click()
    problem = page.locator("main").inner_text()
    assert resolve_url(settings.LOGIN_URL) not in page.url, f"login failed for {user.username}: {problem}"
    return page


@pytest.fixture
def login_as():
    return _login


def _authenticate(page, user, *, base_url):
    """Give the browser a logged-in session without the login form (for pages that are not about login)."""
    from django.test import Client

    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": base_url}])
    return page


@pytest.fixture
def authenticate(live_server):
    return partial(_authenticate, base_url=live_server.url)


def _screenshot(page, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{re.sub(r'[^a-zA-Z0-9_.-]+', '-', name)}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


@pytest.fixture
def screenshot():
    return _screenshot


@pytest.fixture(scope="session")
def celery_worker(django_db_setup, django_db_blocker, tmp_path_factory):
    """A real Celery worker on the test database, with its own redis-server as broker.

    Only on PostgreSQL: the worker is another process and must see what the live server writes.
    Never the shared REDIS_URL: with tests in several processes (pytest-xdist), each process has its
    own test database, and a worker consuming the shared queue would take tasks meant for another.
    """
    from tests.conftest import require_postgres

    require_postgres(connection)
    with contextlib.ExitStack() as stack:
        redis = RedisServer().start()
        stack.callback(redis.stop)
        broker_url = redis.url
        stack.enter_context(celery_broker(broker_url))
        worker = CeleryWorker(broker_url=broker_url, var_dir=tmp_path_factory.mktemp("worker")).start()
        stack.callback(worker.stop)
        yield worker
