"""Races on PostgreSQL with real threads, each on its own database connection."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from cases import services
from cases.models import Case, Routing
from tests.conftest import require_postgres

from .conftest import NOW

pytestmark = pytest.mark.django_db(transaction=True)


def _run_in_threads(target, count):
    barrier = threading.Barrier(count)
    results, errors = [], []

    def worker(index):
        try:
            barrier.wait(timeout=10)
            results.append(target(index))
        except Exception as exc:  # collected and asserted on below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results, errors


def test_reference_numbers_are_unique_under_concurrent_submissions(leader, region):
    require_postgres(connection)
    count = 8
    drafts = [services.case_create(actor=leader, title=f"Sak {i}", origin_region=region, now=NOW) for i in range(count)]

    def submit(index):
        return services.case_submit(case=Case.objects.get(pk=drafts[index].pk), actor=leader, now=NOW).reference

    results, errors = _run_in_threads(submit, count)
    assert errors == []
    assert sorted(results) == [f"2030-{n:04d}" for n in range(1, count + 1)]
    assert Case.objects.filter(reference__isnull=False).values("reference").distinct().count() == count


def test_two_advisers_routing_one_case_at_once_route_it_once(leader, region, adviser, council_area):
    require_postgres(connection)
    from tests.factories import UserFactory

    second = UserFactory(username="adviser2", role="adviser")
    case = services.case_create(actor=leader, title="Sak", origin_region=region, now=NOW)
    services.case_submit(case=case, actor=leader, now=NOW)
    actors = [adviser, second]

    def route(index):
        return services.case_route(
            case=Case.objects.get(pk=case.pk), actor=actors[index], council_areas=[council_area], now=NOW
        )

    results, errors = _run_in_threads(route, 2)
    assert len(results) == 1
    assert len(errors) == 1 and isinstance(errors[0], ValidationError)
    assert Routing.objects.filter(case=case).count() == 1
