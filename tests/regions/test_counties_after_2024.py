"""The counties as they are on any date (issue 13, item 1): Viken hosts its regions 2020-2023, Østfold,
Akershus and Buskerud (with partner counties for cross-county members) from 2024-01-01."""

import datetime
import io

from django.core.management import call_command
from django.urls import reverse

from regions.models import CouncilArea, County, Region, RegionCounty
from regions.selectors import (
    council_area_list,
    region_counties_on,
    region_host_county_on,
    region_list_for_county,
    registry_export,
)

NEW_YEAR_2020 = datetime.date(2020, 1, 1)
TODAY_2026 = datetime.date(2026, 11, 30)


def _county(number):
    return County.objects.get(number=number)


def _slugs(county_number, day):
    return {r.slug for r in region_list_for_county(county=_county(county_number), on=day)}


def test_ostfold_hosts_its_regions_in_2026_and_viken_none(reference):
    assert {"indre-ostfold", "mosseregionen", "sondre-ostfold"} <= _slugs("31", TODAY_2026)
    # Haldenregionen and Nedre Glomma merged into Søndre Viken/Østfold in 2021 (reference correction K1).
    assert not {"haldenregionen", "nedre-glomma"} & _slugs("31", TODAY_2026)
    assert "follo" not in _slugs("31", TODAY_2026)
    assert _slugs("30", TODAY_2026) == set()


def test_viken_still_has_its_14_regions_on_new_year_2020(reference):
    assert len(_slugs("30", NEW_YEAR_2020)) == 14
    assert _slugs("31", NEW_YEAR_2020) == set()


def test_sondre_ostfold_is_hosted_by_viken_then_ostfold(reference):
    region = Region.objects.get(slug="sondre-ostfold")
    assert region_host_county_on(region=region, on=datetime.date(2022, 6, 1)).number == "30"
    assert region_host_county_on(region=region, on=TODAY_2026).number == "31"
    halden = Region.objects.get(slug="haldenregionen")
    assert region_host_county_on(region=halden, on=datetime.date(2020, 6, 1)).number == "30"
    assert region_host_county_on(region=halden, on=datetime.date(2022, 6, 1)) is None


def test_host_county_follows_the_date(reference):
    region = Region.objects.get(slug="indre-ostfold")
    assert region_host_county_on(region=region, on=NEW_YEAR_2020).number == "30"
    assert region_host_county_on(region=region, on=TODAY_2026).number == "31"


def test_cross_county_regions_have_partner_counties_after_2024(reference):
    hadeland = Region.objects.get(slug="hadeland")
    assert [c.number for c in region_counties_on(region=hadeland, on=TODAY_2026)] == ["32", "34"]
    assert [c.number for c in region_counties_on(region=hadeland, on=NEW_YEAR_2020)] == ["30", "34"]
    kongsberg = Region.objects.get(slug="kongsbergregionen")
    assert [c.number for c in region_counties_on(region=kongsberg, on=TODAY_2026)] == ["33", "40"]
    assert "kongsbergregionen" in _slugs("40", TODAY_2026)
    # A region shared by two counties is seen by both.
    assert "mosseregionen" in _slugs("32", TODAY_2026) and "mosseregionen" in _slugs("31", TODAY_2026)


def test_every_link_has_a_source_and_a_confidence(reference):
    links = RegionCounty.objects.all()
    assert links.count() >= 40
    assert not links.filter(source="").exists()
    assert RegionCounty.objects.get(region__slug="hadeland", county__number="32").confidence == "low"


def test_viken_council_areas_end_with_viken_and_successors_have_their_own(reference):
    viken = _county("30")
    assert not CouncilArea.objects.filter(county=viken, valid_to__isnull=True).exists()
    assert not council_area_list(county=viken, on=TODAY_2026).exists()
    assert {a.name for a in council_area_list(county=_county("32"), on=TODAY_2026)} >= {"Samferdsel", "Fylkesrådsleder"}
    ostfold = council_area_list(county=_county("31"), on=TODAY_2026).get()
    assert ostfold.councillor.name == "Sindre Martinsen-Evje" and "dagsavisen" in ostfold.source


def test_a_second_load_creates_nothing(reference):
    out = io.StringIO()
    call_command("load_reference_data", stdout=out)
    assert "nothing to create" in out.getvalue()


def test_export_names_the_host_county_on_the_date(reference):
    regions = {r["slug"]: r for r in registry_export(on=TODAY_2026)["regions"]}
    assert regions["indre-ostfold"]["host_county"] == "31"
    assert regions["hadeland"]["partner_counties"] == ["32", "34"]
    regions_2020 = {r["slug"]: r for r in registry_export(on=NEW_YEAR_2020)["regions"]}
    assert regions_2020["indre-ostfold"]["host_county"] == "30"


def test_county_page_shows_regions_and_council_areas_on_the_date(client, adviser, reference):
    client.force_login(adviser)
    url = reverse("regions:county-detail", args=[_county("31").pk])
    html = client.get(url, {"dato": "2026-11-30"}).content.decode()
    assert "Indre Østfold" in html and "Fylkesutvalget" in html and "Sindre Martinsen-Evje" in html
    viken = client.get(reverse("regions:county-detail", args=[_county("30").pk]), {"dato": "2026-11-30"})
    assert "Indre Østfold" not in viken.content.decode()
    viken_2020 = client.get(reverse("regions:county-detail", args=[_county("30").pk]), {"dato": "2020-01-01"})
    assert "Indre Østfold" in viken_2020.content.decode()


def test_region_page_names_the_host_of_the_date_and_the_history(client, adviser, reference):
    client.force_login(adviser)
    url = reverse("regions:region-detail", args=["indre-ostfold"])
    html = client.get(url, {"dato": "2026-11-30"}).content.decode()
    host = html.split("Vertsfylke", 1)[1][:300]
    assert "31 Østfold" in host and "Viken" not in host
    assert "30 Viken" in html.split('id="county-history"', 1)[1]  # Viken is history
    html_2020 = client.get(url, {"dato": "2020-01-01"}).content.decode()
    assert "30 Viken" in html_2020.split("Vertsfylke", 1)[1][:300]


def test_a_region_without_dated_counties_keeps_its_host_county(db):
    from tests.factories import CountyFactory, RegionFactory

    county = CountyFactory(number="34", name="Innlandet", valid_to=None)
    region = RegionFactory(host_county=county)
    assert region_host_county_on(region=region, on=TODAY_2026) == county
    assert list(region_list_for_county(county=county, on=TODAY_2026)) == [region]


def test_a_region_has_one_host_county_at_a_time(reference):
    import pytest
    from django.core.exceptions import ValidationError

    region = Region.objects.get(slug="indre-ostfold")
    second_host = RegionCounty(region=region, county=_county("32"), valid_from=datetime.date(2025, 1, 1))
    with pytest.raises(ValidationError):
        second_host.full_clean()
    twice = RegionCounty(region=region, county=_county("31"), role="partner", valid_from=datetime.date(2025, 1, 1))
    with pytest.raises(ValidationError):
        twice.full_clean()
    partner = RegionCounty(region=region, county=_county("32"), role="partner", valid_from=datetime.date(2025, 1, 1))
    partner.full_clean()  # a partner county beside the host is fine
