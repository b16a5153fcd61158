"""The demo's theme group: Indre Østfold and another region of Østfold on transport, built once."""

import io

import pytest

from accounts.models import User
from regions.models import County
from tests.factories import MembershipFactory, MunicipalityFactory, RegionFactory, UserFactory
from themes.demo import NAME, load_demo
from themes.models import ThemeGroup


@pytest.mark.django_db
def test_the_demo_builds_one_theme_group_led_by_indre_ostfold_and_a_second_run_changes_nothing():
    county = County.objects.create(number="31", name="Østfold", valid_from="2024-01-01")
    indre = RegionFactory(name="Indre Østfold", slug="indre-ostfold", host_county=county)
    other = RegionFactory(name="Haldenregionen", slug="halden", host_county=county)
    for region in (indre, other):
        MembershipFactory(region=region, municipality=MunicipalityFactory(county=county))
    UserFactory(username="radgiver", role=User.Role.ADVISER)
    load_demo(stdout=io.StringIO())
    load_demo(stdout=io.StringIO())
    group = ThemeGroup.objects.get()
    assert (group.name, group.lead_region) == (NAME, indre)
    assert set(group.members.values_list("region__slug", flat=True)) == {"indre-ostfold", "halden"}
    assert group.entries.count() == 4  # created, two members, the lead: once


@pytest.mark.django_db
def test_the_demo_shows_the_other_member_regions_own_anchoring_of_a_group_case():
    from cases.models import Anchoring
    from tests.conftest import make_leader

    from .conftest import region_case

    county = County.objects.create(number="31", name="Østfold", valid_from="2024-01-01")
    indre = RegionFactory(name="Indre Østfold", slug="indre-ostfold", host_county=county)
    other = RegionFactory(name="Haldenregionen", slug="halden", host_county=county)
    MembershipFactory(region=indre, municipality=MunicipalityFactory(county=county))
    halden = MembershipFactory(
        region=other, municipality=MunicipalityFactory(county=county, name="Halden")
    ).municipality
    UserFactory(username="radgiver", role=User.Role.ADVISER)
    case = region_case(make_leader(indre, "indre"), indre, "Bussrute mellom Askim og Halden")
    load_demo(stdout=io.StringIO())
    load_demo(stdout=io.StringIO())
    assert list(Anchoring.objects.values_list("case", "municipality", "stance")) == [
        (case.pk, halden.pk, Anchoring.Stance.SUPPORTS)
    ]
    case.refresh_from_db()
    assert case.councils_supporting == 0  # the origin region's strength is its own
