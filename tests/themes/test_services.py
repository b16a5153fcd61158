"""The rules of theme groups: the lead region is a member, a member is added once at a time, the lead
cannot leave, only the county's advisers change a group, and every change is in the history."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from accounts.models import User
from regions.models import Appointment
from tests.factories import AppointmentFactory, CountyFactory, PersonFactory, RegionFactory, UserFactory
from themes import services
from themes.models import ThemeEntry, ThemeGroup, ThemeMember

from .conftest import NOW, region_case


def test_a_group_whose_lead_region_is_not_a_member_is_refused_in_norwegian(adviser, region, other_region):
    with translation.override("nb"), pytest.raises(ValidationError) as refused:
        services.theme_group_create(
            county=region.host_county, name="Samferdsel", lead_region=other_region, regions=[region], actor=adviser
        )
    assert "Lederregionen må være en av medlemsregionene." in refused.value.messages
    assert not ThemeGroup.objects.exists()


def test_a_region_already_a_member_is_refused_in_norwegian_and_nothing_changes(group, other_region, adviser):
    with translation.override("nb"), pytest.raises(ValidationError) as refused:
        services.theme_member_add(group=group, region=other_region, actor=adviser)
    assert refused.value.messages == ["Follo er allerede medlem av temagruppen."]
    assert ThemeMember.objects.filter(group=group).count() == 2


def test_a_member_can_leave_and_join_again_and_the_history_says_who_and_when(group, other_region, adviser):
    member = group.members.get(region=other_region)
    services.theme_member_remove(member=member, actor=adviser, now=NOW)
    services.theme_member_add(group=group, region=other_region, actor=adviser, now=NOW)
    rows = list(group.members.filter(region=other_region).order_by("pk").values_list("left_on", flat=True))
    assert rows == [NOW.date(), None]
    kinds = list(group.entries.order_by("pk").values_list("kind", "label", "actor"))
    assert kinds[-2:] == [
        (ThemeEntry.Kind.MEMBER_REMOVED, "Follo", adviser.pk),
        (ThemeEntry.Kind.MEMBER_ADDED, "Follo", adviser.pk),
    ]


def test_the_lead_region_cannot_leave_before_another_leads(group, region, other_region, adviser):
    lead = group.members.get(region=region)
    with pytest.raises(ValidationError):
        services.theme_member_remove(member=lead, actor=adviser)
    services.theme_group_update(group=group, name=group.name, lead_region=other_region, actor=adviser)
    services.theme_member_remove(member=lead, actor=adviser)
    group.refresh_from_db()
    assert group.lead_region == other_region
    assert group.entries.filter(kind=ThemeEntry.Kind.LEAD, old_value="Indre Østfold", new_value="Follo").exists()


def test_the_lead_must_stay_a_current_member(group, adviser):
    outsider = RegionFactory(name="Haldenregionen", slug="halden", host_county=group.county)
    with pytest.raises(ValidationError):
        services.theme_group_update(group=group, name=group.name, lead_region=outsider, actor=adviser)
    group.refresh_from_db()
    assert group.lead_region.name == "Indre Østfold"


def test_advisers_of_another_county_and_leaders_cannot_change_the_group(group, leader, other_region):
    elsewhere = UserFactory(username="innlandet", role=User.Role.ADVISER)
    AppointmentFactory(
        person=PersonFactory(user=elsewhere),
        role=Appointment.Role.COORDINATION_ADVISER,
        region=None,
        county=CountyFactory(number="34", name="Innlandet"),
    )
    member = group.members.get(region=other_region)
    for actor in (elsewhere, leader):
        with pytest.raises(PermissionDenied):
            services.theme_member_remove(member=member, actor=actor)
        with pytest.raises(PermissionDenied):
            services.theme_group_update(group=group, name="Noe annet", lead_region=other_region, actor=actor)
    member.refresh_from_db()
    group.refresh_from_db()
    assert (member.left_on, group.name) == (None, "Samferdsel og kollektivtransport")


def test_a_case_belongs_to_a_group_once_and_a_draft_not_at_all(group, leader, region, adviser):
    case = region_case(leader, region, "Bussrute mellom Askim og Ski")
    services.theme_case_add(group=group, case=case, actor=adviser)
    with pytest.raises(ValidationError):
        services.theme_case_add(group=group, case=case, actor=adviser)
    draft = region_case(leader, region, "Utkast", submit=False)
    with pytest.raises(ValidationError):
        services.theme_case_add(group=group, case=draft, actor=adviser)
    assert group.theme_cases.count() == 1


def test_a_removed_case_stays_in_the_history_and_can_be_added_again(group, leader, region, adviser):
    case = region_case(leader, region, "Bussrute mellom Askim og Ski")
    link = services.theme_case_add(group=group, case=case, actor=adviser)
    services.theme_case_remove(theme_case=link, actor=adviser)
    services.theme_case_add(group=group, case=case, actor=adviser)
    assert group.theme_cases.filter(removed_at__isnull=True).count() == 1
    assert list(group.entries.filter(kind__startswith="case").order_by("pk").values_list("kind", flat=True)) == [
        ThemeEntry.Kind.CASE_ADDED,
        ThemeEntry.Kind.CASE_REMOVED,
        ThemeEntry.Kind.CASE_ADDED,
    ]
