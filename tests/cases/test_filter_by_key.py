"""A filter by ids read first (cases.selectors.ids_by_key, by_key) gives PostgreSQL the ids as one array
(core.lookups.AnyOf): a region's decade of requests compiled as thousands of parameters, each prepared
and quoted by Django, twice per list page. The answers are those of an `in` lookup on every database."""

import pytest
from django.db import connection
from django.urls import reverse

from cases.models import Case, RegionRequest
from cases.selectors import by_key, ids_by_key
from tests.cases.factories import CaseFactory
from tests.conftest import require_postgres

pytestmark = pytest.mark.django_db


def test_any_of_finds_what_in_finds_and_nothing_for_no_ids(region):
    cases = [CaseFactory(origin_region=region) for _ in range(4)]
    wanted = [cases[0].pk, cases[2].pk, 10**9]
    assert (
        set(Case.objects.filter(pk__any_of=wanted))
        == set(Case.objects.filter(pk__in=wanted))
        == {
            cases[0],
            cases[2],
        }
    )
    assert list(Case.objects.filter(pk__any_of=[])) == []
    assert set(Case.objects.exclude(pk__any_of=[cases[0].pk])) == set(cases[1:])
    assert set(Case.objects.filter(by_key(ids_by_key(Case.objects.values_list("pk", flat=True))))) == set(cases)


def test_a_region_filter_costs_the_same_to_compile_whatever_the_region_was_sent(client, adviser, region):
    """On PostgreSQL the list page's query has as many parameters for 2 cases sent to the region as for
    400 (SQLite gets an IN list: it has no arrays)."""
    require_postgres(connection)
    from cases.filters import case_filter_for, filtered_cases
    from tests.factories import RegionFactory

    elsewhere = RegionFactory(name="Fjernregionen")

    def params(count):
        RegionRequest.objects.all().delete()
        sent = [CaseFactory(origin_region=elsewhere, status=Case.Status.ROUTED) for _ in range(count)]
        RegionRequest.objects.bulk_create(
            RegionRequest(case=case, region=region, sent_by=adviser, sent_at=case.created_at) for case in sent
        )
        cases = filtered_cases(case_filter_for(user=adviser, data={"region": str(region.pk)}))
        assert cases.count() == count
        return len(cases.query.sql_with_params()[1])

    assert params(2) == params(400)
    client.force_login(adviser)
    assert client.get(reverse("cases:index"), {"region": region.pk}).status_code == 200
