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
import dataclasses
import os
import re
from functools import partial
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.shortcuts import resolve_url
from django.test import override_settings
from django.urls import reverse

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
def portal_server(request, django_db_setup):
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


@pytest.fixture(scope="session")
def live_server(portal_server):
    """The live server for a test that writes: pytest-django gives such a test a fresh database."""
    return portal_server


@contextlib.contextmanager
def _page_on(browser, base_url):
    context = browser.new_context(
        base_url=base_url, locale="nb-NO", viewport={"width": 1280, "height": 900}, timezone_id="Europe/Oslo"
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
        lambda req: None if req.url.startswith((base_url, "data:")) else problems.append(req.url),
    )
    yield page
    context.close()
    assert not problems, f"CSP violations or outside requests: {problems}"


@pytest.fixture
def browser_page(browser, live_server):
    """A page in a fresh context (no cookies), Norwegian browser locale, relative URLs on the live server.

    Fails the test if the browser reported a Content-Security-Policy violation (an inline script or
    style slipped into a template) or a request left the live server.
    """
    with _page_on(browser, live_server.url) as page:
        yield page


@dataclasses.dataclass
class SharedWorld:
    world: object
    url: str
    sessions: dict = dataclasses.field(default_factory=dict)

    def sign_in(self, page, role):
        """Give the page the session made for the role when the world was built (made then, so that the
        live server sees it on PostgreSQL too: the test's own writes stay in its transaction)."""
        cookie = {"name": settings.SESSION_COOKIE_NAME, "value": self.sessions[role], "url": self.url}
        page.context.add_cookies([cookie])


@pytest.fixture(scope="module")
def shared_world(request, django_db_setup, portal_server, django_db_blocker):
    """One world and the live server for a module of tests that only read (the page checks): built
    once with a session per role (a module parameter `SHARED_ROLES`), committed, and flushed when the
    module ends, as pytest-django does after a test that writes. The tests take the plain `db` mark
    (a transaction rolled back after each), never `live_server`, which would flush after each test.
    Building the world for each of the accessibility suite's pages took 1.3 s a page."""
    settings_for_server = portal_server._live_server_modified_settings
    with django_db_blocker.unblock():
        shared = SharedWorld(world=build_world(), url=portal_server.url)
        for role in getattr(request.module, "SHARED_ROLES", ()):
            if role != "anonymous":
                shared.sessions[role] = _session_cookie(shared.world.user(role))
        prepare = getattr(request.module, "prepare_shared_world", None)
        if prepare:
            prepare(shared.world)
        settings_for_server.enable()
        try:
            yield shared
        finally:
            settings_for_server.disable()
            call_command("flush", interactive=False, verbosity=0)


@pytest.fixture
def shared_page(browser, shared_world):
    """browser_page on the shared world's server."""
    with _page_on(browser, shared_world.url) as page:
        yield page


@pytest.fixture
def world(transactional_db):
    return build_world()


def _login(page, user, password=PASSWORD):
    """Log in through the login form, as a person would, and wait for the start page. Whoever must have
    two-factor sign-in has an authenticator device (tests/twofactor.py) and enters its current code on
    the code page, computed from the device's key as the app would."""
    from accounts.twofactor import second_factor_required
    from tests.twofactor import code_for, totp_device_for

    device = totp_device_for(user) if second_factor_required(user) else None
    page.goto(resolve_url(settings.LOGIN_URL))
    page.fill("#id_username", user.username)
    page.fill("#id_password", password)
    with page.expect_navigation():
        page.locator("main form [type=submit]").click()
    if device is not None and urlsplit(page.url).path == reverse("twofactor-verify"):
        page.fill("#id_code", code_for(device))
        with page.expect_navigation():
            page.locator("main form [type=submit]").first.click()
    problem = page.locator("main").inner_text()
    assert resolve_url(settings.LOGIN_URL) not in page.url, f"login failed for {user.username}: {problem}"
    return page


@pytest.fixture
def login_as():
    return _login


def _session_cookie(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def _authenticate(page, user, *, base_url):
    """Give the browser a logged-in session without the login form (for pages that are not about login)."""
    cookie = {"name": settings.SESSION_COOKIE_NAME, "value": _session_cookie(user), "url": base_url}
    page.context.add_cookies([cookie])
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
