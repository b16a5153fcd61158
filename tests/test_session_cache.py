"""Sessions through the shared cache (SESSION_ENGINE = "core.sessions", used when REDIS_URL is set): a
page reads no session row once the session is cached, and a cache that is down costs speed, never a
page or a logout."""

import pytest
from django.core.cache.backends.base import BaseCache
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import UserFactory


class UnreachableCache(BaseCache):
    """A cache server that is down: every call fails as the Redis client does."""

    def __init__(self, location, params):
        super().__init__(params)

    def _down(self, *args, **kwargs):
        raise ConnectionError("cache is down")

    get = set = add = delete = has_key = touch = incr = clear = _down


LOCAL = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "session-tests"}}
DOWN = {"default": {"BACKEND": "tests.test_session_cache.UnreachableCache"}}


@pytest.fixture
def user(db):
    return UserFactory(username="okta")


@override_settings(SESSION_ENGINE="core.sessions", CACHES=LOCAL)
def test_a_cached_session_is_not_read_from_the_database(client, user):
    client.force_login(user)
    client.get("/")
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/").status_code == 200
    assert not [q for q in queries.captured_queries if "django_session" in q["sql"]]


@override_settings(SESSION_ENGINE="core.sessions", CACHES=LOCAL)
def test_logout_ends_the_cached_session(client, user):
    client.force_login(user)
    assert client.get("/").status_code == 200
    client.post(reverse("logout"))
    assert client.get("/").status_code == 302  # to the login page


@override_settings(SESSION_ENGINE="core.sessions", CACHES=DOWN)
def test_with_the_cache_down_pages_and_logout_still_work_from_the_database(client, user):
    client.force_login(user)
    assert client.get("/").status_code == 200
    client.post(reverse("logout"))
    assert client.get("/").status_code == 302
