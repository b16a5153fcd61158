"""The case list's search and date filters find what they should, and on PostgreSQL through an index."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.urls import reverse

from cases.models import Case
from cases.selectors import case_list_visible_to, case_search
from tests.conftest import require_postgres

from .factories import CaseFactory

pytestmark = pytest.mark.django_db

OSLO = ZoneInfo("Europe/Oslo")


def _listed(client, **params):
    return sorted(case.title for case in client.get(reverse("cases:index"), params).context["cases"])


def test_the_submitted_dates_are_whole_norwegian_days(client, adviser, region):
    """Just after midnight on the 4th in Oslo is still the 3rd in UTC: it belongs to the 4th."""
    CaseFactory(origin_region=region, title="Kveld", submitted_at=datetime.datetime(2030, 3, 3, 23, 30, tzinfo=OSLO))
    CaseFactory(origin_region=region, title="Natt", submitted_at=datetime.datetime(2030, 3, 4, 0, 30, tzinfo=OSLO))
    client.force_login(adviser)

    assert _listed(client, submitted_to="2030-03-03") == ["Kveld"]
    assert _listed(client, submitted_from="2030-03-04") == ["Natt"]
    assert _listed(client, submitted_from="2030-03-03", submitted_to="2030-03-04") == ["Kveld", "Natt"]


def test_a_date_far_out_is_refused_without_an_error(client, adviser, region):
    CaseFactory(origin_region=region, title="Sak", submitted_at=datetime.datetime(2030, 3, 3, tzinfo=OSLO))
    client.force_login(adviser)
    response = client.get(reverse("cases:index"), {"submitted_to": "9999-12-31"})
    assert response.status_code == 200


def test_postgresql_finds_words_in_norwegian_forms_and_the_reference(adviser, region):
    require_postgres(connection)
    CaseFactory(origin_region=region, title="Bompenger på E18", reference="2030-0001")
    CaseFactory(origin_region=region, title="Skolebuss", description="Bompengene rammer skoleskyssen.")
    CaseFactory(origin_region=region, title="Bredbånd", reference="2030-0002")
    visible = case_list_visible_to(user=adviser)

    assert sorted(c.title for c in case_search(visible, "bompenger")) == ["Bompenger på E18", "Skolebuss"]
    assert [c.title for c in case_search(visible, "2030-0002")] == ["Bredbånd"]
    # Title before description: the title's words weigh more.
    assert [c.title for c in case_search(visible, "skolebuss")] == ["Skolebuss"]


def _plan(query):
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # three rows: the planner would scan them
        return query.explain()


def test_postgresql_searches_through_the_full_text_and_trigram_indexes(adviser, region):
    """Each part of the search has its index (on a large table the planner joins them in a bitmap OR;
    on three rows it may prefer another plan for the whole, so each part is checked on its own)."""
    from django.contrib.postgres.search import SearchQuery

    require_postgres(connection)
    CaseFactory.create_batch(3, origin_region=region, status=Case.Status.SUBMITTED)
    words = SearchQuery("bompenger", config="norwegian", search_type="websearch")
    assert "case_search_document" in _plan(Case.objects.filter(search_document=words).order_by())
    assert "case_title_trgm" in _plan(Case.objects.filter(title__icontains="vei").order_by())


def test_postgresql_finds_a_part_of_a_compound_word_in_the_title(adviser, region):
    """People type "vei" and expect "Fylkesvei 120" (the full-text search matches whole words only)."""
    require_postgres(connection)
    CaseFactory(origin_region=region, title="Fylkesvei 120 trenger gang- og sykkelvei")
    CaseFactory(origin_region=region, title="Bredbånd")
    visible = case_list_visible_to(user=adviser)
    assert [c.title for c in case_search(visible, "vei")] == ["Fylkesvei 120 trenger gang- og sykkelvei"]


def test_postgresql_keeps_the_words_of_every_written_title_and_description(adviser, region):
    """The database writes the search words itself: a case saved, a field changed alone, a bulk update
    outside the ORM's save (as a data migration or the admin's action would) are all found by their new
    words, and no longer by the old ones."""
    require_postgres(connection)
    case = CaseFactory(origin_region=region, title="Bredbånd", description="Fiber til hyttefeltet.")
    visible = case_list_visible_to(user=adviser)
    assert [c.pk for c in case_search(visible, "hyttefeltet")] == [case.pk]

    case.title = "Ferjeavgang"
    case.save(update_fields=["title"])
    assert [c.pk for c in case_search(visible, "ferjeavgangen")] == [case.pk]
    Case.objects.filter(pk=case.pk).update(description="Snøbrøyting på fylkesveiene.")
    assert [c.pk for c in case_search(visible, "snøbrøytingen")] == [case.pk]
    assert list(case_search(visible, "hyttefeltet")) == []
    # A save that writes a stale value of the column itself is corrected by the database.
    case.refresh_from_db()
    case.search_document = None
    case.save()
    assert [c.pk for c in case_search(visible, "fylkesvei")] == [case.pk]
