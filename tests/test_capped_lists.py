"""Lists that can hold a county's whole history count at most LIST_COUNT_CAP rows (core/pagination.py):
past it the page says "more than" and pages through the newest rows, and the database stops counting
at the cap."""

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.models import Case
from tests.cases.factories import CaseFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def adviser():
    return UserFactory(username="capped-adviser", role="adviser")


def _cases(adviser, count):
    return [
        CaseFactory(status=Case.Status.SUBMITTED, title=f"Sak nummer {i}", created_by=adviser) for i in range(count)
    ]


@override_settings(LIST_COUNT_CAP=3)
def test_a_list_longer_than_the_cap_says_more_than_and_pages_the_newest(client, adviser):
    _cases(adviser, 5)
    client.force_login(adviser)
    with CaptureQueriesContext(connection) as queries:
        html = client.get(reverse("cases:index")).content.decode()
    assert "Mer enn 3 saker" in html
    counts = [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"].upper() and "cases_case" in q["sql"]]
    assert counts and all("LIMIT 4" in sql for sql in counts)  # the database stops at the cap


@override_settings(LIST_COUNT_CAP=10)
def test_a_list_within_the_cap_shows_its_exact_count(client, adviser):
    _cases(adviser, 5)
    client.force_login(adviser)
    html = client.get(reverse("cases:index")).content.decode()
    assert "5 saker" in html
    assert "Mer enn" not in html
