"""Viken's agreements end with Viken; a successor county's agreement can start from Viken's text (issue 13)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from partnerships import services
from partnerships.models import Agreement
from regions.models import RegionCounty
from tests.factories import CountyFactory
from tests.partnerships.factories import adopted_agreement, adopted_general_part

SPLIT = datetime.date(2024, 1, 1)


@pytest.fixture
def ostfold(region):
    viken = region.host_county
    ostfold = CountyFactory(number="31", name="Østfold", valid_from=SPLIT, valid_to=None)
    ostfold.predecessors.add(viken)
    RegionCounty.objects.create(region=region, county=viken, valid_from=datetime.date(2020, 1, 1), valid_to=SPLIT)
    RegionCounty.objects.create(region=region, county=ostfold, valid_from=SPLIT)
    return ostfold


def test_viken_agreement_ends_with_viken_and_is_history(region, ostfold):
    adopted_general_part(region.host_county)
    agreement = adopted_agreement(region)
    assert services.agreements_end_with_county(county=region.host_county) == 2
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.TERMINATED and agreement.valid_to == SPLIT
    assert services.agreements_end_with_county(county=region.host_county) == 0


def test_successor_continues_from_vikens_text_linked_to_the_old_agreement(region, ostfold, adviser, client):
    adopted_general_part(region.host_county)
    old = adopted_agreement(region)
    services.agreements_end_with_county(county=region.host_county)
    adopted_general_part(ostfold, title="Østfolds generelle del")
    new = services.agreement_continue(agreement=old, county=ostfold, actor=adviser)
    assert new.county == ostfold and new.status == Agreement.Status.DRAFT and new.replaces == old
    assert new.special_part.previous == old.special_part and new.special_part.county == ostfold
    assert [p.text for p in new.special_part.priorities.all()] == [p.text for p in old.special_part.priorities.all()]
    assert new.general_part.title == "Østfolds generelle del"
    old.refresh_from_db()
    assert old.status == Agreement.Status.TERMINATED  # unchanged history
    with pytest.raises(ValidationError):
        services.agreement_continue(agreement=old, county=ostfold, actor=adviser)
    # The agreement page shows the history across the county change.
    client.force_login(adviser)
    html = client.get(reverse("partnerships:agreement-detail", args=[new.pk])).content.decode()
    assert reverse("partnerships:agreement-detail", args=[old.pk]) in html


def test_only_a_successor_county_may_continue(region, ostfold, adviser):
    adopted_general_part(region.host_county)
    old = adopted_agreement(region)
    other = CountyFactory(number="34", name="Innlandet", valid_to=None)
    adopted_general_part(other)
    with pytest.raises(ValidationError):
        services.agreement_continue(agreement=old, county=other, actor=adviser)
    assert not Agreement.objects.filter(county=other).exists()


def test_region_page_shows_the_successors_row_and_vikens_agreement_as_history(region, ostfold, adviser, client):
    adopted_general_part(region.host_county)
    old = adopted_agreement(region)
    services.agreements_end_with_county(county=region.host_county)
    client.force_login(adviser)
    html = client.get(reverse("regions:region-detail", args=[region.slug]), {"dato": "2026-11-30"}).content.decode()
    panel = html.split('id="pp-region-panel"', 1)[1]
    assert "Østfold" in panel.split("</table>")[0] and "Viken" not in panel.split("</table>")[0]
    assert reverse("partnerships:agreement-detail", args=[old.pk]) in panel
    county_page = client.get(reverse("regions:county-detail", args=[region.host_county.pk]), {"dato": "2022-01-01"})
    assert reverse("partnerships:agreement-detail", args=[old.pk]) in county_page.content.decode()


def test_adviser_continues_from_the_agreement_page_and_others_are_refused(region, ostfold, adviser, leader, client):
    adopted_general_part(region.host_county)
    old = adopted_agreement(region)
    services.agreements_end_with_county(county=region.host_county)
    adopted_general_part(ostfold, title="Østfolds generelle del")
    url = reverse("partnerships:agreement-continue", args=[old.pk])
    client.force_login(leader)
    # The leader sees the adopted agreement but may never continue it: 403 (docs/adr/0004-404-not-403.md).
    assert client.post(url, {"county": ostfold.pk}).status_code == 403
    client.force_login(adviser)
    page = client.get(reverse("partnerships:agreement-detail", args=[old.pk])).content.decode()
    assert url in page
    assert client.post(url, {"county": "x"}).status_code == 302  # a clear message, nothing created
    assert not Agreement.objects.filter(county=ostfold).exists()
    response = client.post(url, {"county": ostfold.pk})
    new = Agreement.objects.get(county=ostfold)
    assert response.url == new.get_absolute_url() and new.replaces == old
    assert url not in client.get(reverse("partnerships:agreement-detail", args=[old.pk])).content.decode()
