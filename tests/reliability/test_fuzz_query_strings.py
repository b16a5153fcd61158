"""Hypothesis fuzzes the query strings of list pages: whatever the parameters, never a 500.

Apps add their list pages in tests/<app>/quality.py as FUZZ_PAGES = [(url name, role, [parameter names])].
"""

from urllib.parse import urlencode

import pytest
from django.test import Client
from django.urls import NoReverseMatch, reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.security.extensions import collect_list
from tests.security.world import build_world

COMMON = ["page", "p", "q", "o", "sort", "order", "status", "state", "region", "year", "month", "from", "to", "fmt"]

FOUNDATION_PAGES = [
    ("notifications:list", "leader_a", ["page"]),
    ("portal:home", "adviser", []),
    ("regions:index", "adviser", ["on", "county", "q"]),
    ("partnerships:index", "adviser", ["region", "status"]),
    ("meetings:index", "leader_a", ["region", "from", "to"]),
    ("cases:index", "leader_a", ["status", "region", "topic", "q"]),
    ("cases:inbox", "adviser", ["status", "region", "topic", "q"]),
    ("cases:tracking", "adviser", ["status", "region", "overdue"]),
    ("admin:accounts_user_changelist", "admin", ["role__exact", "is_staff__exact", "is_active__exact", "all", "e"]),
    (
        "admin:notifications_message_changelist",
        "admin",
        ["state__exact", "kind__exact", "due_at__year", "due_at__month"],
    ),
]

VALUES = st.one_of(
    st.text(max_size=30),
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.sampled_from(
        ["", "0", "-1", "1e9", "2024-02-30", "2024-13-01", "9999-12-31", "null", "' OR 1=1 --", "%00", "..", "[]"]
    ),
)


def _pages():
    pages = []
    for url_name, role, names in FOUNDATION_PAGES + collect_list("FUZZ_PAGES"):
        try:
            pages.append(pytest.param(reverse(url_name), role, names, id=url_name))
        except NoReverseMatch:
            pages.append(pytest.param("", role, names, id=url_name))
    return pages


@pytest.mark.parametrize("url,role,names", _pages())
def test_fuzzed_query_strings_never_give_a_server_error(url, role, names, db):
    if not url:
        pytest.skip("URL name does not exist yet")
    world = build_world()
    client = Client(raise_request_exception=False)
    client.force_login(world.user(role))
    keys = st.sampled_from(sorted(set(names + COMMON))) | st.text(min_size=1, max_size=12)

    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(params=st.lists(st.tuples(keys, VALUES), max_size=5))
    def check(params):
        query = urlencode(params)
        response = client.get(f"{url}?{query}")
        assert response.status_code < 500, f"{url}?{query} answered {response.status_code}"

    check()
