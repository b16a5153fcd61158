"""Each member region of a theme group records its own municipalities' anchoring of the group's cases
(cases.hooks.case_extra_regions): on the case page, for a case it may open (shared), never for another
region's municipalities; the group page shows it in the region's cell, and the case's anchoring strength
stays the origin region's."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation

from cases import services as case_services
from cases.models import Anchoring, Case, CaseEvent
from regions.models import Appointment
from tests.conftest import make_leader
from tests.factories import MembershipFactory, MunicipalityFactory, RegionFactory
from themes import services

from .conftest import NOW, region_case, support


def _record_url(case):
    return reverse("cases:anchoring-record", args=[case.pk])


def _post_support(client, case, municipality):
    return client.post(
        _record_url(case),
        {"municipality": municipality.pk, "body": Anchoring.Body.COUNCIL, "stance": Anchoring.Stance.SUPPORTS},
        follow=True,
    )


def _page(response):
    return response.content.decode()


@pytest.fixture
def shared_case(group, adviser, leader, region):
    """Indre Østfold's shared case, belonging to the group (and so to Follo too)."""
    case = region_case(leader, region, "Bussrute mellom Askim og Ski", visibility=Case.Visibility.SHARED)
    services.theme_case_add(group=group, case=case, actor=adviser, now=NOW)
    return case


def test_a_member_regions_leader_records_its_municipality_and_the_group_page_shows_it(
    client, group, shared_case, other_leader, other_members
):
    client.force_login(other_leader)
    page = client.get(shared_case.get_absolute_url())
    assert page.status_code == 200
    offered = [label for value, label in page.context["anchoring_form"].fields["municipality"].choices if value]
    assert offered == [str(m) for m in sorted(other_members, key=lambda m: m.number)]
    assert "Saken hører også til din region" in _page(page)

    response = _post_support(client, shared_case, other_members[0])
    assert "Forankringen er registrert." in _page(response)
    anchoring = Anchoring.objects.get(case=shared_case)
    assert (anchoring.municipality, anchoring.recorded_by) == (other_members[0], other_leader)
    event = shared_case.events.get(action=CaseEvent.Action.ANCHORING_RECORDED)
    assert event.actor_role == Appointment.Role.REGION_COUNCIL_LEADER

    group_page = _page(client.get(reverse("themes:group-detail", args=[group.pk])))
    assert f"1 av 2 kommuner forankret ({other_members[0].name})" in group_page
    assert "0 av 3 kommuner forankret" in group_page  # the origin region's own cell is unchanged


def test_a_member_regions_anchoring_does_not_count_for_the_origin_regions_strength(
    client, shared_case, leader, other_leader, members, other_members
):
    support(shared_case, leader, members[0])
    support(shared_case, other_leader, other_members[0])
    shared_case.refresh_from_db()
    assert (shared_case.members_on_submission, shared_case.councils_supporting) == (3, 1)
    client.force_login(leader)
    response = client.get(shared_case.get_absolute_url())
    assert (response.context["strength"].supporting, response.context["strength"].total) == (1, 3)
    assert [a.municipality for a in response.context["anchorings"]] == [members[0]]
    assert [a.municipality for a in response.context["other_anchorings"]] == [other_members[0]]


def test_a_member_regions_leader_cannot_record_another_regions_municipality(
    client, shared_case, other_leader, members, other_members
):
    client.force_login(other_leader)
    response = _post_support(client, shared_case, members[0])
    assert (
        f"{members[0].name} er en kommune i Indre Østfold: hver region registrerer forankringen i sine egne kommuner."
        in _page(response)
    )
    outsider = MunicipalityFactory(name="Utenfor")
    with translation.override("nb"), pytest.raises(ValidationError) as refused:
        support(shared_case, other_leader, outsider)
    assert refused.value.message_dict["municipality"] == ["Utenfor er ikke en medlemskommune i Follo."]
    assert not Anchoring.objects.filter(case=shared_case).exists()


def test_the_origin_region_records_only_its_own_municipalities_as_before(shared_case, leader, members, other_members):
    with translation.override("nb"), pytest.raises(ValidationError) as refused:
        support(shared_case, leader, other_members[0])
    assert refused.value.message_dict["municipality"] == [
        f"{other_members[0].name} er en kommune i Follo: hver region registrerer forankringen i sine egne kommuner."
    ]
    support(shared_case, leader, members[0])
    assert list(Anchoring.objects.filter(case=shared_case).values_list("municipality", flat=True)) == [members[0].pk]


def test_each_region_removes_only_its_own_anchoring_and_an_adviser_any(
    client, shared_case, adviser, leader, other_leader, members, other_members
):
    own = support(shared_case, other_leader, other_members[0])
    origins = support(shared_case, leader, members[0])
    client.force_login(other_leader)
    page = _page(client.get(shared_case.get_absolute_url()))
    assert f"Fjern forankringen for {other_members[0].name} (" in page
    assert f"Fjern forankringen for {members[0].name} (" not in page

    response = client.post(reverse("cases:anchoring-remove", args=[origins.pk]), follow=True)
    assert "hver region registrerer forankringen i sine egne kommuner" in _page(response)
    assert Anchoring.objects.filter(pk=origins.pk).exists()
    with pytest.raises(ValidationError):
        case_services.anchoring_remove(anchoring=own, actor=leader, now=NOW)
    assert Anchoring.objects.filter(pk=own.pk).exists()

    client.post(reverse("cases:anchoring-remove", args=[own.pk]))
    assert not Anchoring.objects.filter(pk=own.pk).exists()
    case_services.anchoring_remove(anchoring=origins, actor=adviser, now=NOW)
    assert not Anchoring.objects.filter(case=shared_case).exists()


def test_a_non_member_regions_leader_cannot_record_and_is_not_offered_to(client, group, shared_case, adviser):
    halden = RegionFactory(name="Haldenregionen", slug="halden", host_county=group.county)
    town = MembershipFactory(region=halden, municipality=MunicipalityFactory()).municipality
    outsider = make_leader(halden, "halden_leader")
    client.force_login(outsider)
    page = client.get(shared_case.get_absolute_url())
    assert page.status_code == 200  # a shared case: visible, but not theirs to anchor
    assert page.context["anchoring_form"] is None
    assert _post_support(client, shared_case, town).status_code == 403
    with pytest.raises(PermissionDenied):
        support(shared_case, outsider, town)
    assert not Anchoring.objects.filter(case=shared_case).exists()


def test_a_region_that_left_the_group_or_a_case_removed_from_it_is_no_longer_anchored_by_the_member(
    client, group, shared_case, adviser, other_leader, other_region, other_members
):
    link = group.theme_cases.get(case=shared_case)
    services.theme_case_remove(theme_case=link, actor=adviser, now=NOW)
    client.force_login(other_leader)
    assert _post_support(client, shared_case, other_members[0]).status_code == 403
    services.theme_case_add(group=group, case=shared_case, actor=adviser, now=NOW)
    services.theme_member_remove(member=group.members.get(region=other_region), actor=adviser, now=NOW)
    assert _post_support(client, shared_case, other_members[0]).status_code == 403
    assert not Anchoring.objects.filter(case=shared_case).exists()


def test_another_regions_internal_case_in_the_group_stays_invisible_and_unanchorable(
    client, group, adviser, leader, region, other_leader, other_members
):
    internal = region_case(leader, region, "Intern sak fra Indre Østfold")
    services.theme_case_add(group=group, case=internal, actor=adviser, now=NOW)
    client.force_login(other_leader)
    assert client.get(internal.get_absolute_url()).status_code == 404
    assert _post_support(client, internal, other_members[0]).status_code == 404
    assert "Intern sak fra Indre Østfold" not in _page(client.get(reverse("themes:group-detail", args=[group.pk])))
    with pytest.raises(PermissionDenied):
        support(internal, other_leader, other_members[0])
    assert not Anchoring.objects.filter(case=internal).exists()
    # The county's adviser records for any member region, internal case or not.
    support(internal, adviser, other_members[1])
    assert Anchoring.objects.filter(case=internal, municipality=other_members[1]).exists()


def test_a_closed_case_is_refused_with_a_message_not_a_403(shared_case, adviser, other_leader, other_members):
    Case.objects.filter(pk=shared_case.pk).update(status=Case.Status.CLOSED)
    shared_case.refresh_from_db()
    with translation.override("nb"), pytest.raises(ValidationError):
        support(shared_case, other_leader, other_members[0])
    assert not Anchoring.objects.filter(case=shared_case).exists()


def test_the_group_page_links_a_member_regions_leader_to_its_anchoring_of_each_case_it_may_anchor(
    client, group, shared_case, leader, region, other_leader
):
    internal = region_case(leader, region, "Intern sak fra Indre Østfold")
    services.theme_case_add(group=group, case=internal, actor=group.created_by, now=NOW)
    client.force_login(other_leader)
    page = _page(client.get(reverse("themes:group-detail", args=[group.pk])))
    assert page.count(f'href="{shared_case.get_absolute_url()}#anchoring"') == 1
    assert "Registrer forankringen for Follo" in page
    assert "Registrer forankringen for Indre Østfold" not in page
    client.force_login(leader)
    page = _page(client.get(reverse("themes:group-detail", args=[group.pk])))
    assert "Registrer forankringen for Indre Østfold" in page and "Registrer forankringen for Follo" not in page
