"""Database constraint violations come back as form errors, never as a 500.

Each case posts a form that breaks a unique or check constraint. Apps add cases in
tests/<app>/quality.py as CONSTRAINT_CASES = [ConstraintCase(...)].
"""

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import NoReverseMatch, reverse

from tests.security.extensions import collect_list
from tests.security.world import build_world


@dataclass(frozen=True)
class ConstraintCase:
    name: str
    url_name: str
    role: str
    data: Callable  # world -> POST data that violates a constraint
    expected_error: str  # (part of) the Norwegian error message shown
    count: Callable  # () -> rows of the affected model, unchanged by the refused POST
    kwargs: Callable | None = None


def _user_count():
    from accounts.models import User

    return User.objects.count()


def _county_count():
    from regions.models import County

    return County.objects.count()


FOUNDATION_CASES = [
    ConstraintCase(
        "duplicate user name",
        "admin:accounts_user_add",
        "admin",
        lambda world: {
            "username": "leader",
            "email": "ny@example.no",
            "role": "adviser",
            "usable_password": "true",
            "password1": "Et-langt-passord-9",
            "password2": "Et-langt-passord-9",
        },
        "Det eksisterer allerede en bruker med dette brukernavnet",
        _user_count,
    ),
    ConstraintCase(
        "duplicate county number and name",
        "admin:regions_county_add",
        "admin",
        lambda world: {"number": world.county.number, "name": world.county.name, "valid_from": "2020-01-01"},
        "finnes allerede",
        _county_count,
    ),
    ConstraintCase(
        "county period ending before it starts",
        "admin:regions_county_add",
        "admin",
        lambda world: {"number": "31", "name": "Østfold", "valid_from": "2024-01-01", "valid_to": "2020-01-01"},
        "Sluttdatoen må være etter startdatoen.",
        _county_count,
    ),
]


@pytest.mark.parametrize("case", FOUNDATION_CASES + collect_list("CONSTRAINT_CASES"), ids=lambda c: c.name)
def test_constraint_violation_is_a_form_error_not_a_500(case, db):
    world = build_world()
    try:
        url = reverse(case.url_name, kwargs=case.kwargs(world) if case.kwargs else None)
    except NoReverseMatch:
        pytest.skip(f"{case.url_name} does not exist yet")
    client = Client(raise_request_exception=False)
    client.force_login(world.user(case.role))
    before = case.count()

    response = client.post(url, case.data(world))

    assert response.status_code == 200, f"{case.name}: {response.status_code}"
    page = response.content.decode()
    assert "errorlist" in page or "invalid-feedback" in page or "alert-danger" in page, "no form error shown"
    if case.expected_error:
        assert case.expected_error in page
    assert case.count() == before
