import datetime
import io
import time

from django.core.management import call_command

from regions.models import CouncilArea, County, Municipality, Person, Region, RegionMembership
from regions.reference import parse_period
from regions.selectors import (
    municipality_list_for_county,
    municipality_list_in_region,
    region_list_for_county,
    region_list_for_municipality,
)

NEW_YEAR_2020 = datetime.date(2020, 1, 1)
NEW_YEAR_2021 = datetime.date(2021, 1, 1)


def _county(number):
    return County.objects.get(number=number)


def _municipality(number):
    return Municipality.objects.get(number=number)


def _numbers(region_slug, day):
    return {m.number for m in municipality_list_in_region(region=Region.objects.get(slug=region_slug), on=day)}


def test_viken_has_51_municipalities_and_14_regions_on_new_year_2020(reference):
    viken = _county("30")
    assert municipality_list_for_county(county=viken, on=NEW_YEAR_2020).count() == 51
    assert region_list_for_county(county=viken, on=NEW_YEAR_2020).count() == 14


def test_innlandet_has_46_municipalities_and_10_regions(reference):
    innlandet = _county("34")
    assert municipality_list_for_county(county=innlandet, on=NEW_YEAR_2020).count() == 46
    assert region_list_for_county(county=innlandet, on=NEW_YEAR_2020).count() == 10


def test_lier_belongs_to_no_region_in_2020(reference):
    assert not region_list_for_municipality(municipality=_municipality("3049"), on=NEW_YEAR_2020).exists()


def test_jevnaker_is_in_ringeriksregionen_and_hadeland(reference):
    regions = region_list_for_municipality(municipality=_municipality("3053"), on=NEW_YEAR_2020)
    assert {r.slug for r in regions} == {"ringeriksregionen", "hadeland"}


def test_kongsbergregionen_includes_notodden_from_the_neighbouring_county(reference):
    numbers = _numbers("kongsbergregionen", NEW_YEAR_2020)
    assert {"3808", "3818", "3819", "3006"} <= numbers
    assert _municipality("3808").county.number == "38"


def test_hadeland_is_one_region_partnering_with_viken_and_innlandet(reference):
    assert Region.objects.filter(name__startswith="Hadeland").count() == 1
    hadeland = Region.objects.get(slug="hadeland")
    assert {"30", "34"} <= {c.number for c in hadeland.partner_counties.all()}
    assert _numbers("hadeland", NEW_YEAR_2020) == {"3053", "3054", "3446"}
    assert hadeland in region_list_for_county(county=_county("34"), on=NEW_YEAR_2020)


def test_midt_buskerud_is_empty_in_2021_and_modum_has_moved(reference):
    assert _numbers("midt-buskerud", NEW_YEAR_2021) == set()
    assert "3047" in _numbers("ringeriksregionen", NEW_YEAR_2021)
    assert "3047" in _numbers("midt-buskerud", datetime.date(2020, 12, 31))


def test_halden_is_renumbered_3101_in_2024(reference):
    halden = Municipality.objects.get(number="3001")
    successor = halden.successors.get()
    assert successor.number == "3101"
    assert successor.county.name == "Østfold"
    assert successor.valid_from == datetime.date(2024, 1, 1)
    assert halden.valid_to == datetime.date(2024, 1, 1)
    assert {p.number for p in halden.predecessors.all()} == {"0101"}
    assert Municipality.objects.get(number="0101").county.name == "Østfold"


def test_memberships_continue_under_the_2024_numbers(reference):
    assert "3101" in _numbers("sondre-ostfold", datetime.date(2024, 6, 1))
    assert "3001" not in _numbers("sondre-ostfold", datetime.date(2024, 6, 1))
    assert "3001" in _numbers("sondre-ostfold", datetime.date(2023, 12, 31))


def test_counties_know_their_predecessors_and_successors(reference):
    viken = _county("30")
    assert {c.number for c in viken.successors.all()} == {"31", "32", "33"}
    assert {c.number for c in _county("34").predecessors.all()} == {"04", "05"}


def test_drammen_has_three_predecessors(reference):
    assert {p.number for p in _municipality("3005").predecessors.all()} == {"0602", "0625", "0711"}


def test_low_confidence_rows_keep_their_confidence_and_note(reference):
    stor_elvdal = RegionMembership.objects.get(municipality__number="3423", region__slug="sor-osterdal")
    assert stor_elvdal.confidence == "low"
    assert "Placed here only so all 46 kommuner are covered" in stor_elvdal.source_note


def test_demo_slugs_exist(reference):
    assert Region.objects.get(slug="indre-ostfold").name == "Indre Østfold"
    assert Region.objects.filter(slug="follo").exists()
    samferdsel = CouncilArea.objects.filter(county__number="30", slug="samferdsel").order_by("-valid_from").first()
    assert samferdsel.councillor.name == "Olav Skinnes"
    assert samferdsel.valid_from == datetime.date(2020, 9, 1)
    assert "Sep 2020" in samferdsel.period_note


def test_one_person_per_councillor(reference):
    assert Person.objects.filter(name__contains="Tvinnereim").count() == 1
    assert Person.objects.filter(name="Olav Skinnes").count() == 1


def test_period_texts_are_read_with_valid_to_exclusive():
    assert parse_period("2019-10-17 to 2020-08-24 (MDG left)") == (
        datetime.date(2019, 10, 17),
        datetime.date(2020, 8, 24),
    )
    assert parse_period("2019-10-17 to at least Aug 2020") == (datetime.date(2019, 10, 17), None)
    assert parse_period("Sep 2020 to Oct 2021 (x)") == (datetime.date(2020, 9, 1), datetime.date(2021, 10, 1))
    assert parse_period("from 2021-10-14 (konstituert) to 2023") == (
        datetime.date(2021, 10, 14),
        datetime.date(2024, 1, 1),
    )
    assert parse_period("-") == (None, None)


def test_loading_twice_creates_nothing_and_is_fast(reference):
    counts = [m.objects.count() for m in (County, Municipality, Region, RegionMembership, CouncilArea, Person)]
    out = io.StringIO()
    started = time.monotonic()
    call_command("load_reference_data", stdout=out)
    assert time.monotonic() - started < 30
    assert "nothing to create" in out.getvalue()
    assert [m.objects.count() for m in (County, Municipality, Region, RegionMembership, CouncilArea, Person)] == counts


def test_loading_keeps_an_advisers_correction(reference):
    aremark = RegionMembership.objects.get(municipality__number="3012", region__slug="haldenregionen")
    aremark.valid_to = datetime.date(2021, 1, 1)
    aremark.save(update_fields=["valid_to"])
    call_command("load_reference_data", stdout=io.StringIO())
    aremark.refresh_from_db()
    assert aremark.valid_to == datetime.date(2021, 1, 1)
    assert not RegionMembership.objects.filter(municipality__number="3012", valid_from=datetime.date(2021, 1, 1))


def test_the_migration_moves_only_the_sources_words_out_of_a_stored_note(transactional_db):
    """Databases loaded before the source note existed had it mixed into the bokmål note."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    executor.migrate([("regions", "0003_bokmal_loader_notes")])
    old = executor.loader.project_state([("regions", "0003_bokmal_loader_notes")]).apps
    county = old.get_model("regions", "County").objects.create(number="30", name="Viken")
    region = old.get_model("regions", "Region").objects.create(name="Haldenregionen", slug="h", host_county=county)
    Municipality = old.get_model("regions", "Municipality")
    Membership = old.get_model("regions", "RegionMembership")
    aremark = Municipality.objects.create(number="3112", name="Aremark", county=county)
    moss = Municipality.objects.create(number="3103", name="Moss", county=county)
    mixed = Membership.objects.create(
        region=region,
        municipality=aremark,
        valid_from=datetime.date(2024, 1, 1),
        note="membership assumed; not verified Videreført med kommunenummeret fra 2024 (bare nytt nummer).",
    )
    own = Membership.objects.create(
        region=region, municipality=moss, valid_from=datetime.date(2024, 1, 1), note="Vedtak i kommunestyret."
    )
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    mixed = RegionMembership.objects.get(pk=mixed.pk)
    assert mixed.note == "Videreført med kommunenummeret fra 2024 (bare nytt nummer)."
    assert mixed.source_note == "membership assumed; not verified"
    own = RegionMembership.objects.get(pk=own.pk)
    assert (own.note, own.source_note) == ("Vedtak i kommunestyret.", "")
