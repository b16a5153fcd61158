"""Issue 13, item 3: the reference data corrected and sourced (regions/data/corrections.csv)."""

import csv
import datetime
import io
import json

import pytest
from django.core.management import call_command

from regions.models import CouncilArea, County, Municipality, Region, RegionMembership, RegionOrganisationModel
from regions.reference import CARRIED_NOTE, DATA_DIR, reference_data_load
from regions.selectors import (
    council_area_list,
    membership_recorded_from,
    municipality_list_in_region,
    organisation_model_on,
    region_list_for_county,
)

D = datetime.date


def _numbers(slug, day):
    return {m.number for m in municipality_list_in_region(region=Region.objects.get(slug=slug), on=day)}


def _areas(slug, day):
    return [a.councillor.name if a.councillor else "" for a in council_area_list(on=day) if a.slug == slug]


def test_the_southern_ostfold_councils_merge_into_sondre_viken(reference):
    viken = County.objects.get(number="30")
    on_new_year = {r.slug for r in region_list_for_county(county=viken, on=D(2020, 1, 1))}
    assert {"haldenregionen", "nedre-glomma"} <= on_new_year and "sondre-ostfold" not in on_new_year
    assert _numbers("haldenregionen", D(2021, 2, 28)) == {"3001", "3012"}
    assert _numbers("haldenregionen", D(2021, 3, 1)) == set()
    assert _numbers("sondre-ostfold", D(2021, 3, 15)) == {"3001", "3003", "3004", "3011", "3016"}
    assert _numbers("sondre-ostfold", D(2021, 6, 1)) == {"3001", "3003", "3004", "3011"}
    assert _numbers("sondre-ostfold", D(2026, 11, 30)) == {"3101", "3105", "3107", "3110"}
    assert _numbers("indre-ostfold", D(2021, 6, 1)) >= {"3016"}
    southern = Region.objects.get(slug="sondre-ostfold")
    assert "Søndre Viken regionråd" in southern.description and "Søndre Østfold regionråd" in southern.description
    assert "seneste dokumenterte grensen" in southern.notes and "indre24.no" in southern.source
    assert {c.number for c in Region.objects.get(slug="haldenregionen").partner_counties.all()} == {"30"}


def test_aremark_is_medium_because_vikens_own_document_names_halden_and_aremark(reference):
    aremark = RegionMembership.objects.get(municipality__number="3012", region__slug="haldenregionen")
    assert aremark.confidence == "medium"
    assert "Halden og Aremark" in aremark.note


def test_the_two_areas_that_were_not_vikens_are_kept_but_never_offered(reference):
    for slug in ("tannhelse", "kultur-frivillighet-og-folkehelse"):
        area = CouncilArea.objects.get(slug=slug)
        assert area.not_a_portfolio and area.note
        assert not CouncilArea.objects.valid_on(D(2022, 6, 1)).filter(pk=area.pk).exists()
    assert _areas("naering-og-tannhelse", D(2023, 6, 1)) == [""]


def test_the_portfolio_gaps_are_closed(reference):
    assert _areas("utdanning-og-kompetanse", D(2021, 10, 5)) == ["Siv Henriette Jacobsen"]
    assert _areas("utdanning-og-kompetanse", D(2021, 10, 20)) == ["Heidi Westbye Nyhus"]
    assert _areas("utdanning-og-kompetanse", D(2023, 6, 1)) == ["Heidi Westbye Nyhus"]
    day = D(2021, 9, 1)
    while day < D(2022, 2, 1):
        assert len(_areas("plan-klima-og-miljo", day)) == 1, day
        day += datetime.timedelta(days=7)


def test_hedmark_regions_moved_from_coordinators_to_partnership_in_2020(reference):
    models = Region.OrganisationalModel
    hamar = Region.objects.get(slug="hamarregionen")
    assert organisation_model_on(region=hamar, on=D(2019, 6, 1))[0] == models.COUNTY_COORDINATOR
    assert organisation_model_on(region=hamar, on=D(2021, 1, 1))[0] == models.PARTNERSHIP
    assert hamar.organisational_model == models.PARTNERSHIP
    valdres = Region.objects.get(slug="valdres")
    assert organisation_model_on(region=valdres, on=D(2019, 6, 1))[0] == models.PARTNERSHIP
    assert RegionOrganisationModel.objects.filter(region__host_county__number="34").values("region").distinct().count()
    assert organisation_model_on(region=Region.objects.get(slug="follo"), on=D(2021, 1, 1)) == (
        models.OWN_SECRETARIAT,
        None,
    )


def test_innlandets_ten_councils_are_recorded_from_2018(reference):
    assert _numbers("hamarregionen", D(2019, 1, 1)) == {"0403", "0412", "0415", "0417"}
    assert "0533" in _numbers("hadeland", D(2019, 1, 1))  # Lunner, then in Oppland
    assert _numbers("hamarregionen", D(2018, 1, 1)) == set()
    assert membership_recorded_from(county=County.objects.get(number="04")) == D(2018, 6, 5)
    assert membership_recorded_from(county=County.objects.get(number="01")) is None
    assert membership_recorded_from(county=County.objects.get(number="30")) == D(2020, 1, 1)


def _dump():
    rows = []
    for r in Region.objects.order_by("slug"):
        partners = sorted(c.number for c in r.partner_counties.all())
        rows.append((r.slug, r.valid_from, r.valid_to, r.notes, r.source, r.organisational_model, partners))
    for m in RegionMembership.objects.order_by("region__slug", "municipality__number", "valid_from"):
        rows.append(
            (m.region.slug, m.municipality.number, m.valid_from, m.valid_to, m.confidence, m.note, m.source_note)
        )
    # Each county has its own "fylkesutvalget" from the same day: the county decides the order, not
    # where an update left the row in the table.
    for a in CouncilArea.objects.order_by("slug", "valid_from", "county__number"):
        rows.append((a.slug, a.valid_from, a.valid_to, a.period_note, a.source, a.not_a_portfolio, a.note))
    return rows


def _corrections():
    with open(DATA_DIR / "corrections.csv", encoding="utf-8", newline="") as handle:
        return [row for row in csv.DictReader(handle) if row["field"] != "added"]


def _put_back_the_earlier_values():
    """The database as the loader before the corrections left it."""
    from regions.reference import Loader

    loader = Loader()
    for row in reversed(_corrections()):
        key, what = row["key"], row["field"]
        if what == "valid_from":
            key = key.replace(row["was"], row["becomes"])
        target = loader.correction_target(row["model"], key)
        if what == "delete":
            slug, number, day = key.split("|")
            RegionMembership.objects.create(
                region=Region.objects.get(slug=slug),
                municipality=Municipality.objects.get(number=number),
                valid_from=datetime.date.fromisoformat(day),
                note=CARRIED_NOTE,
            )
        elif what == "partner_counties":
            target.partner_counties.add(*County.objects.filter(number__in=row["was"].split(";")))
        else:
            field = target._meta.get_field(what)
            value = row["was"]
            if field.get_internal_type() == "DateField":
                value = datetime.date.fromisoformat(value) if value else None
            elif field.get_internal_type() == "BooleanField":
                value = value == "True"
            type(target).objects.filter(pk=target.pk).update(**{what: value})


def test_reloading_corrects_a_database_loaded_before_the_corrections(reference):
    corrected = _dump()
    _put_back_the_earlier_values()
    assert _dump() != corrected
    report = reference_data_load()
    assert "K1" in str(report) and not report.kept
    assert _dump() == corrected
    assert "nothing to create" in str(reference_data_load())


def test_reloading_keeps_what_users_entered(reference):
    _put_back_the_earlier_values()
    nedre_glomma = Region.objects.get(slug="nedre-glomma")
    nedre_glomma.valid_to = D(2020, 11, 1)  # an admin's own reading of the merger
    nedre_glomma.save(update_fields=["valid_to"])
    tannhelse = CouncilArea.objects.get(slug="tannhelse")
    lier = Municipality.objects.get(number="3312")
    own = RegionMembership.objects.create(
        region=Region.objects.get(slug="asker-og-baerum"), municipality=lier, valid_from=D(2026, 1, 1), note="Vedtak."
    )
    report = reference_data_load()
    nedre_glomma.refresh_from_db()
    assert nedre_glomma.valid_to == D(2020, 11, 1)
    assert any("nedre-glomma valid_to" in kept for kept in report.kept)
    tannhelse.refresh_from_db()
    assert tannhelse.not_a_portfolio
    assert RegionMembership.objects.get(pk=own.pk).note == "Vedtak."


def test_a_continued_membership_a_user_edited_is_not_deleted(reference):
    _put_back_the_earlier_values()
    edited = RegionMembership.objects.get(region__slug="haldenregionen", municipality__number="3101")
    edited.note = "Bekreftet av Halden kommune."
    edited.save(update_fields=["note"])
    reference_data_load()
    assert RegionMembership.objects.filter(pk=edited.pk).exists()


def test_the_export_reflects_every_correction_with_its_source(reference):
    out = io.StringIO()
    call_command("export_registry", "--as-of", "2021-06-01", stdout=out)
    data = json.loads(out.getvalue())
    ids = {c["id"] for c in data["corrections"]}
    assert ids == {row["id"] for row in _corrections()} | {"K7"}
    assert all(c["source"] and c["confidence"] for c in data["corrections"])
    southern = next(r for r in data["regions"] if r["slug"] == "sondre-ostfold")
    assert "indre24.no" in southern["source"] and southern["confidence"] == "medium"
    assert {m["number"] for m in southern["members"]} == {"3001", "3003", "3004", "3011"}
    assert all(m["source_note"] for m in southern["members"])
    assert not any(r["slug"] == "haldenregionen" for r in data["regions"])
    hamar = next(r for r in json.loads(_export("2019-06-01"))["regions"] if r["slug"] == "hamarregionen")
    assert hamar["organisational_model"] == "county_coordinator" and "Seed 002" in hamar["organisational_model_source"]


def _export(day):
    out = io.StringIO()
    call_command("export_registry", "--as-of", day, stdout=out)
    return out.getvalue()


@pytest.mark.parametrize("day", ["2018-01-01", "2019-06-01"])
def test_before_the_recorded_history_a_municipality_is_not_recorded_not_in_no_region(client, adviser, reference, day):
    client.force_login(adviser)
    ostfold_1919 = County.objects.get(number="01")
    page = client.get(ostfold_1919.get_absolute_url(), {"dato": day}).content.decode()
    assert "Ikke registrert" in page and ">Ingen<" not in page


def test_a_municipality_page_says_not_recorded_before_the_recorded_history(client, adviser, reference):
    client.force_login(adviser)
    hamar_2019 = Municipality.objects.get(number="0403")
    page = client.get(hamar_2019.get_absolute_url()).content.decode()
    assert "Før 5.6.2018: ikke registrert." in page and "Hamarregionen" in page
    halden_2019 = Municipality.objects.get(number="0101")
    page = client.get(halden_2019.get_absolute_url()).content.decode()
    assert "Ikke registrert: registeret har ingen regionmedlemskap for dette fylket." in page
    assert "Ikke medlem av noen region" not in page


def test_the_county_overview_shows_the_organisational_model_of_the_date(client, adviser, reference):
    client.force_login(adviser)
    hedmark = County.objects.get(number="04")
    page = client.get(hedmark.get_absolute_url(), {"dato": "2019-06-01"}).content.decode()
    assert "Regionkoordinator ansatt i fylkeskommunen" in page
    innlandet = County.objects.get(number="34")
    page = client.get(innlandet.get_absolute_url(), {"dato": "2021-06-01"}).content.decode()
    assert "Regionkoordinator ansatt i fylkeskommunen" not in page


def test_the_region_page_shows_the_source_and_the_dated_models(client, adviser, reference):
    client.force_login(adviser)
    page = client.get(Region.objects.get(slug="hamarregionen").get_absolute_url(), {"dato": "2019-06-01"})
    html = page.content.decode()
    assert "Regionkoordinator ansatt i fylkeskommunen" in html and "Seed 002" in html
    southern = client.get(Region.objects.get(slug="sondre-ostfold").get_absolute_url()).content.decode()
    assert "indre24.no" in southern and "Søndre Viken regionråd" in southern


def test_a_council_area_that_was_not_vikens_says_so(client, adviser, reference):
    client.force_login(adviser)
    page = client.get(CouncilArea.objects.get(slug="tannhelse").get_absolute_url()).content.decode()
    assert "Ikke et rådsområde i Viken" in page and "registrert ved en feil" in page


def test_sondre_ostfold_keeps_both_names_with_dates(client, adviser, reference):
    from regions.selectors import region_name_on

    southern = Region.objects.get(slug="sondre-ostfold")
    assert region_name_on(region=southern, on=D(2022, 1, 1)) == "Søndre Viken regionråd"
    assert region_name_on(region=southern, on=D(2026, 11, 30)) == "Søndre Østfold regionråd"
    data = json.loads(_export("2022-01-01"))
    assert next(r for r in data["regions"] if r["slug"] == "sondre-ostfold")["name_on_date"] == "Søndre Viken regionråd"
    client.force_login(adviser)
    page = client.get(southern.get_absolute_url(), {"dato": "2022-01-01"}).content.decode()
    assert "Navn på datoen" in page and "Søndre Viken regionråd" in page and "R22" in page
