"""Shared fixtures: one user per role, a region with members, and its leader."""

import copy
import os

import pytest
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from accounts.models import User
from regions.models import Appointment

from .factories import (
    AppointmentFactory,
    CouncilAreaFactory,
    MembershipFactory,
    MunicipalityFactory,
    PersonFactory,
    RegionFactory,
    UserFactory,
)

IN_CI = os.environ.get("CI") == "true"

# The slow suites that prove the whole (browsers, every URL as every role, fuzzing, real processes and
# faults, the national dataset): marked "quality" by where they live, so `make quick` leaves them out
# and `make quality` runs them alone. `make test` (and CI) runs everything.
QUALITY_DIRS = ("e2e", "security", "reliability", "performance")
QUALITY_FILES = (
    "test_quality_pages.py",
    "test_quality_matrix.py",
    "test_stored_hostile_text.py",
    "test_bench_tools.py",
)


def pytest_collection_modifyitems(config, items):
    for item in items:
        parts = item.path.parts
        inside = parts[parts.index("tests") + 1 :] if "tests" in parts else ()
        if (inside and inside[0] in QUALITY_DIRS) or item.path.name in QUALITY_FILES:
            item.add_marker(pytest.mark.quality)


# Property-based tests (tests/reliability): a few examples per form while developing, more in CI.
# Pass --hypothesis-profile=portal-ci to run the CI amount locally.
hypothesis_settings.register_profile(
    "portal",
    max_examples=5,
    deadline=None,  # a request, a sweep and a rollback per example: time varies with the machine's load
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)
hypothesis_settings.register_profile("portal-ci", parent=hypothesis_settings.get_profile("portal"), max_examples=25)
hypothesis_settings.load_profile("portal-ci" if IN_CI else "portal")


@pytest.fixture(autouse=True, scope="session")
def _force_login_passes_the_second_factor():
    """client.force_login skips the password; for those who must have two-factor sign-in it passes the
    second step too (tests/twofactor.py says how)."""
    from django.test.client import ClientMixin

    from .twofactor import passing_the_second_factor

    original = ClientMixin._login
    ClientMixin._login = passing_the_second_factor(original)
    yield
    ClientMixin._login = original


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Every test's users get their passwords hashed in microseconds instead of PBKDF2's half second.
    Password checks still run through Django's hasher machinery; production keeps PBKDF2."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _no_kept_fragments(settings):
    """Fragments (core/fragments.py) are kept under a generation that moves on when a change commits; a
    test's changes roll back without committing, so a fragment kept in the shared Redis would outlive
    them into the next test. Tests keep none, but those about fragments, which turn them on
    (override_settings(FRAGMENT_CACHE=True)) and commit their changes.

    And each xdist worker has its own keys in the shared cache: one worker's test forgetting a key (the
    case topics, say) must not change what another worker's test counts."""
    settings.FRAGMENT_CACHE = False
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if worker and settings.CACHES["default"].get("KEY_PREFIX") != f"test-{worker}":
        caches = copy.deepcopy(settings.CACHES)
        caches["default"]["KEY_PREFIX"] = f"test-{worker}"
        settings.CACHES = caches


@pytest.fixture(autouse=True)
def _fresh_case_topics():
    """The case topics are cached across requests (cases.topics); a test's rolled-back topics must not
    label the next test's cases."""
    from cases.models import TOPIC_CACHE_KEY
    from core.shared_cache import cache_delete

    cache_delete(TOPIC_CACHE_KEY)
    yield
    cache_delete(TOPIC_CACHE_KEY)


def require_postgres(connection):
    """Skip a PostgreSQL-only test on SQLite; under CI=true the suite must run it, so fail instead."""
    if connection.vendor != "postgresql":
        if IN_CI and os.environ.get("DATABASE_URL", "").startswith("postgres"):
            pytest.fail("CI=true with DATABASE_URL set, but the test database is not PostgreSQL")
        pytest.skip("needs PostgreSQL (set DATABASE_URL)")


@pytest.fixture(scope="session")
def sso_provider(tmp_path_factory):
    """A real OpenID Connect provider in its own process for the session (tests/sso_provider/harness.py)."""
    from tests.sso_provider.harness import running_provider

    with running_provider(tmp_path_factory.mktemp("sso_provider")) as provider:
        yield provider


@pytest.fixture
def adviser(db):
    return UserFactory(username="adviser", role=User.Role.ADVISER)


@pytest.fixture
def admin_user(db):
    return UserFactory(username="admin", role=User.Role.ADMIN, is_staff=True, is_superuser=True)


@pytest.fixture
def region(db):
    return RegionFactory(name="Indre Østfold", slug="indre-ostfold")


@pytest.fixture
def other_region(db):
    return RegionFactory(name="Follo", slug="follo")


@pytest.fixture
def members(region):
    """Three member municipalities of `region` since 2020-01-01."""
    return [MembershipFactory(region=region, municipality=MunicipalityFactory()).municipality for _ in range(3)]


def make_leader(region, username):
    user = UserFactory(username=username, role=User.Role.REGION_LEADER)
    AppointmentFactory(person=PersonFactory(user=user, name=username), region=region)
    return user


@pytest.fixture
def leader(region):
    """The council leader of `region` with a current appointment."""
    return make_leader(region, "leader")


@pytest.fixture
def other_leader(other_region):
    """The council leader of `other_region`."""
    return make_leader(other_region, "other_leader")


@pytest.fixture
def council_area(db):
    return CouncilAreaFactory(name="Samferdsel", slug="samferdsel")


@pytest.fixture
def staff(council_area):
    """Council-area staff working for `council_area`."""
    user = UserFactory(username="staff", role=User.Role.COUNCIL_AREA_STAFF)
    AppointmentFactory(
        person=PersonFactory(user=user, name="staff"),
        role=Appointment.Role.COUNCIL_AREA_STAFF,
        region=None,
        council_area=council_area,
    )
    return user


@pytest.fixture
def kept_cache():
    """The shared cache of tests.kept.KEPT, emptied before the test (nothing kept by an earlier test)."""
    from django.core.cache import cache
    from django.test import override_settings

    from .kept import KEPT

    with override_settings(**KEPT):
        cache.clear()
