"""Two advisers allocating at once, on PostgreSQL with real threads on their own connections."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from funds import services
from funds.models import Allocation
from tests.conftest import require_postgres

from .factories import fund_year, priorities_of

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_advisers_cannot_both_allocate_the_last_krone(region, adviser):
    require_postgres(connection)
    year = fund_year(region, adviser=adviser, municipal_amount=None)  # 2.5 MNOK
    priority = priorities_of(region, adviser=adviser)[0]
    barrier = threading.Barrier(2)
    errors = []

    def allocate():
        try:
            barrier.wait(timeout=10)
            services.allocation_add(fund_year=year, priority=priority, amount="2000000", actor=adviser)
        except ValidationError as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=allocate) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(errors) == 1
    assert Allocation.objects.count() == 1
