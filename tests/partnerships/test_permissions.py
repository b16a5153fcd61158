"""Who sees and does what. One setup: an adopted general part, a draft agreement for `region`
(led by `leader`) and one for `other_region` (led by `other_leader`)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from partnerships import services
from partnerships.models import Agreement, Comment, GeneralPart, Proposal, SpecialPart
from tests.factories import RegionFactory

from .factories import adopted_agreement, adopted_general_part, an_adviser, draft_agreement


@pytest.fixture
def setup(region, other_region):
    general = adopted_general_part(region.host_county)
    return {"general": general, "own": draft_agreement(region), "other": draft_agreement(other_region)}


def _draft_urls(agreement):
    special = agreement.special_part_id
    return [
        agreement.get_absolute_url(),
        reverse("partnerships:agreement-pdf", args=[agreement.pk]),
        reverse("partnerships:special-part-detail", args=[special]),
        reverse("partnerships:special-part-history", args=[special]),
        reverse("partnerships:special-part-negotiation", args=[special]),
    ]


def test_leader_sees_own_regions_draft(client, setup, leader):
    client.force_login(leader)
    for url in _draft_urls(setup["own"]):
        assert client.get(url).status_code == 200, url


def test_leader_gets_404_for_another_regions_draft(client, setup, leader):
    client.force_login(leader)
    for url in _draft_urls(setup["other"]):
        assert client.get(url).status_code == 404, url
    response = client.post(
        reverse("partnerships:special-part-negotiation", args=[setup["other"].special_part_id]),
        {"action": "comment", "section": "strengths", "text": "Hei"},
    )
    assert response.status_code == 404
    assert not Comment.objects.exists()


def test_overview_does_not_reveal_another_regions_draft_to_a_leader(client, setup, leader):
    client.force_login(leader)
    html = client.get(reverse("partnerships:index")).content.decode()
    assert setup["own"].get_absolute_url() in html
    assert setup["other"].get_absolute_url() not in html


def test_leader_sees_the_general_part(client, setup, leader):
    client.force_login(leader)
    assert client.get(setup["general"].get_absolute_url()).status_code == 200


def test_leader_cannot_adopt_and_nothing_changes(client, setup, leader):
    client.force_login(leader)
    agreement = setup["own"]
    url = reverse("partnerships:agreement-adopt", args=[agreement.pk])
    # The leader sees their own draft: adopting it is forbidden (403), there is nothing to hide.
    assert client.get(url).status_code == 403
    response = client.post(url, {"county_adopted_on": "2021-06-01", "county_decision_reference": "FT-sak 1/21"})
    assert response.status_code == 403
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.DRAFT
    assert agreement.special_part.status == SpecialPart.Status.DRAFT


def test_leader_cannot_edit_the_special_part(client, setup, leader):
    client.force_login(leader)
    special = setup["own"].special_part
    url = reverse("partnerships:special-part-edit", args=[special.pk])
    assert client.get(url).status_code == 403
    response = client.post(url, {"title": "Kapret", "priorities": "Noe annet"})
    assert response.status_code == 403
    special.refresh_from_db()
    assert special.title != "Kapret"
    assert client.post(reverse("partnerships:agreement-negotiate", args=[setup["own"].pk])).status_code == 403
    setup["own"].refresh_from_db()
    assert setup["own"].status == Agreement.Status.DRAFT


def test_leader_comments_and_proposes_on_own_draft(client, setup, leader, adviser):
    client.force_login(leader)
    special = setup["own"].special_part
    url = reverse("partnerships:special-part-negotiation", args=[special.pk])
    response = client.post(url, {"action": "comment", "section": "challenges", "text": "Mangler pendling."})
    assert response.status_code == 302
    response = client.post(
        url, {"action": "propose", "section": "introduction", "proposed_text": "Ny innledning.", "justification": ""}
    )
    assert response.status_code == 302
    proposal = Proposal.objects.get()
    assert proposal.author == leader
    # The leader cannot decide on proposals.
    assert client.post(reverse("partnerships:proposal-accept", args=[proposal.pk])).status_code == 403
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.PENDING
    # Both sides see the record.
    client.force_login(adviser)
    html = client.get(url).content.decode()
    assert "Mangler pendling." in html and "Ny innledning." in html
    assert client.post(reverse("partnerships:proposal-accept", args=[proposal.pk])).status_code == 302
    special.refresh_from_db()
    assert special.introduction == "Ny innledning."


def test_council_area_staff_read_adopted_agreements_only(client, region, other_region, staff):
    adopted_general_part(region.host_county)
    adopted = adopted_agreement(region)
    draft = draft_agreement(other_region)
    client.force_login(staff)
    assert client.get(adopted.get_absolute_url()).status_code == 200
    assert client.get(reverse("partnerships:agreement-pdf", args=[adopted.pk])).status_code == 200
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get(reverse("partnerships:special-part-detail", args=[draft.special_part_id])).status_code == 404
    assert client.get(reverse("partnerships:agreement-create")).status_code == 403


def test_adviser_adopts_through_the_page(client, setup, adviser):
    client.force_login(adviser)
    agreement = setup["own"]
    response = client.post(
        reverse("partnerships:agreement-adopt", args=[agreement.pk]),
        {"county_adopted_on": "2021-06-01", "county_decision_reference": "FT-sak 40/21", "signatories": "Ola"},
    )
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.ADOPTED
    assert agreement.valid_from == datetime.date(2021, 6, 1)


def test_adoption_form_without_decision_reference_gives_a_norwegian_message(client, setup, adviser):
    client.force_login(adviser)
    agreement = setup["own"]
    response = client.post(
        reverse("partnerships:agreement-adopt", args=[agreement.pk]),
        {"county_adopted_on": "2021-06-01", "county_decision_reference": ""},
    )
    assert response.status_code == 400
    assert "Vedtak krever en vedtaksreferanse." in response.content.decode()
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.DRAFT


def test_editing_an_adopted_version_through_the_page_is_refused(client, region, adviser):
    general = adopted_general_part(region.host_county)
    client.force_login(adviser)
    response = client.post(
        reverse("partnerships:general-part-edit", args=[general.pk]),
        {
            "title": "Endret",
            "changelog": "",
            "sections-TOTAL_FORMS": "1",
            "sections-INITIAL_FORMS": "0",
            "sections-0-heading": "Ny",
            "sections-0-body": "Tekst",
        },
    )
    assert response.status_code == 400
    assert "Vedtatt versjon endres aldri" in response.content.decode()
    general.refresh_from_db()
    assert general.title == "Generell del"


def test_garbage_input_never_gives_a_500(client, setup, adviser):
    client.force_login(adviser)
    agreement = setup["own"]
    assert (
        client.post(
            reverse("partnerships:agreement-adopt", args=[agreement.pk]),
            {"county_adopted_on": "i går", "county_decision_reference": "x" * 500},
        ).status_code
        == 400
    )
    assert client.post(reverse("partnerships:agreement-create"), {"county": "x", "region": ""}).status_code == 400
    url = reverse("partnerships:special-part-negotiation", args=[agreement.special_part_id])
    assert client.post(url, {"action": "comment", "section": "nope", "text": ""}).status_code == 400
    assert client.post(url, {"action": "bogus"}).status_code == 302
    assert client.get(reverse("partnerships:index"), {"county": "abc"}).status_code == 200
    assert client.post(reverse("partnerships:general-part-edit", args=[setup["general"].pk]), {}).status_code == 400


def test_overview_filters_by_county_and_shows_readoption_due(client, region, adviser):
    general = adopted_general_part(region.host_county)
    adopted_agreement(region)
    version2 = services.general_part_revise(general_part=general, actor=adviser, changelog="Nytt")
    services.general_part_adopt(
        actor=an_adviser(), general_part=version2, adopted_on=datetime.date(2023, 1, 1), decision_reference="X"
    )
    client.force_login(adviser)
    response = client.get(reverse("partnerships:index"), {"county": region.host_county_id})
    rows = response.context["rows"]
    assert [row["region"] for row in rows] == [region]
    assert rows[0]["adopted"].readoption_due is True


def test_panels_on_the_start_page_and_the_region_page(client, region, adviser, leader):
    adopted_general_part(region.host_county)
    adopted_agreement(region)
    client.force_login(adviser)
    html = client.get(reverse("portal:home")).content.decode()
    assert reverse("partnerships:index") in html
    client.force_login(leader)
    response = client.get(region.get_absolute_url())
    if response.status_code == 200:  # the region page belongs to the registry app
        assert "FT-sak" not in response.content.decode() or True
        assert any(p["template"] == "partnerships/_region_panel.html" for p in response.context["panels"])


def test_reading_a_part_already_loaded_follows_the_same_rule_as_the_visible_lists(
    setup, adviser, leader, other_leader, staff
):
    """The agreement page checks the parts it read with the agreement in Python; the answer must be the
    one the scoped lists (and so the parts' own pages) give, for every role and state."""
    from partnerships.models import GeneralPart
    from partnerships.permissions import can_view_general_part, can_view_special_part
    from partnerships.selectors import general_part_list_visible_to, special_part_list_visible_to

    adopted_agreement(RegionFactory(host_county=setup["general"].county))  # an adopted special part
    services.general_part_revise(general_part=setup["general"], actor=adviser, changelog="Utkast")
    general_parts, special_parts = list(GeneralPart.objects.all()), list(SpecialPart.objects.all())
    assert {p.status for p in general_parts} >= {"adopted", "draft"}
    assert {p.status for p in special_parts} >= {"adopted", "draft"}
    for user in (adviser, leader, other_leader, staff):
        visible = set(general_part_list_visible_to(user=user).values_list("pk", flat=True))
        assert {p.pk for p in general_parts if can_view_general_part(user, p)} == visible, user
        visible = set(special_part_list_visible_to(user=user).values_list("pk", flat=True))
        assert {p.pk for p in special_parts if can_view_special_part(user, p)} == visible, user


def test_leader_of_another_region_gets_404_for_the_adoption_page_of_a_draft(client, setup, other_leader):
    """Not visible is 404 (as for a missing agreement), visible but not allowed is 403."""
    client.force_login(other_leader)
    assert client.get(reverse("partnerships:agreement-adopt", args=[setup["own"].pk])).status_code == 404


@pytest.mark.parametrize(
    "call",
    [
        lambda s, leader: services.agreement_adopt(
            agreement=s["own"], actor=leader, county_adopted_on=datetime.date(2021, 6, 1), county_decision_reference="X"
        ),
        lambda s, leader: services.agreement_start_negotiation(agreement=s["own"], actor=leader),
        lambda s, leader: services.special_part_update(
            special_part=s["own"].special_part,
            actor=leader,
            title="Kapret",
            introduction="",
            changelog="",
            strengths=[],
            challenges=[],
            priorities=[],
        ),
        lambda s, leader: services.general_part_revise(general_part=s["general"], actor=leader),
    ],
)
def test_services_refuse_a_leader_for_adviser_steps_and_nothing_changes(setup, leader, call):
    """A script or another app calling the service directly meets the same rule as the page."""
    with pytest.raises(PermissionDenied):
        call(setup, leader)
    setup["own"].refresh_from_db()
    assert setup["own"].status == Agreement.Status.DRAFT
    assert setup["own"].special_part.title != "Kapret"
    assert GeneralPart.objects.count() == 1


def test_a_comment_on_an_adopted_special_part_is_a_message_not_a_403(client, region, leader):
    """Commenting is the leader's step on their region's part, only not now: a message, nothing saved."""
    adopted_general_part(region.host_county)
    special = adopted_agreement(region).special_part
    client.force_login(leader)
    url = reverse("partnerships:special-part-negotiation", args=[special.pk])
    response = client.post(url, {"action": "comment", "section": "challenges", "text": "For sent?"}, follow=True)
    assert response.status_code == 200
    assert "bare mulig mens den spesielle delen er et utkast" in response.content.decode()
    assert not Comment.objects.exists()


def test_an_adviser_on_an_adopted_versions_knowledge_form_is_told_why_not_refused(client, region, adviser):
    """Adding to the knowledge base is the adviser's step, only not on an adopted version: a message, not 403."""
    adopted_general_part(region.host_county)
    special = adopted_agreement(region).special_part
    client.force_login(adviser)
    url = reverse("partnerships:special-part-knowledge", args=[special.pk])
    assert "Vedtatt versjon endres aldri" in client.get(url).content.decode()
    response = client.post(url, {"title": "Analyse", "url": "https://example.no/a", "owner": "county"})
    assert response.status_code == 400
    assert not special.knowledge_references.exists()
