"""The agreement rules, through the services."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings

from notifications.models import Message
from notifications.registry import get_renderer
from partnerships import services
from partnerships.models import Agreement, GeneralPart, Proposal, SpecialPart
from regions.models import County
from tests.factories import CountyFactory, RegionFactory

from .factories import adopted_agreement, adopted_general_part, an_adviser, draft_agreement

NOW = datetime.datetime(2021, 5, 3, 10, 0, tzinfo=datetime.UTC)


@pytest.fixture
def general(region):
    return adopted_general_part(region.host_county)


def test_adopted_general_part_cannot_be_edited(general):
    with pytest.raises(ValidationError) as error:
        services.general_part_update(
            actor=an_adviser(), general_part=general, title="Ny tittel", changelog="", sections=[]
        )
    assert "Vedtatt versjon endres aldri" in str(error.value)
    general.refresh_from_db()
    assert general.title == "Generell del"
    assert general.sections.count() == 2


def test_adopted_special_part_cannot_be_edited_and_a_new_version_is_made_instead(general, region, adviser):
    agreement = adopted_agreement(region)
    special = agreement.special_part
    with pytest.raises(ValidationError):
        services.special_part_update(
            actor=an_adviser(),
            special_part=special,
            title="Endret",
            introduction="",
            changelog="",
            strengths=[],
            challenges=[],
            priorities=["Noe annet"],
        )
    special.refresh_from_db()
    assert list(special.priorities.values_list("text", flat=True)) == [
        "Grønn næringsutvikling",
        "Bedre kollektivtilbud",
    ]

    new_agreement = services.agreement_create(
        county=region.host_county, region=region, actor=adviser, changelog="Ny satsing på reiseliv"
    )
    new_special = new_agreement.special_part
    assert new_special.version == 2
    assert new_special.status == SpecialPart.Status.DRAFT
    assert new_special.changelog == "Ny satsing på reiseliv"
    assert new_special.previous == special
    # Copies keep their lineage, so cases tagged with a priority follow it to the new version.
    assert list(new_special.priorities.values_list("lineage", flat=True)) == list(
        special.priorities.values_list("lineage", flat=True)
    )
    assert new_agreement.replaces == agreement


def test_new_general_part_marks_older_agreements_readoption_due(general, region, other_region, adviser):
    agreement = adopted_agreement(region)
    assert agreement.readoption_due is False

    version2 = services.general_part_revise(general_part=general, actor=adviser, changelog="Nye roller")
    services.general_part_adopt(
        actor=an_adviser(),
        general_part=version2,
        adopted_on=datetime.date(2023, 2, 1),
        decision_reference="FT-sak 5/23",
    )

    agreement.refresh_from_db()
    general.refresh_from_db()
    assert general.status == GeneralPart.Status.SUPERSEDED
    assert agreement.readoption_due is True
    assert Agreement.objects.filter(status="adopted", general_part__status="superseded").count() == 1

    # Re-adopting on the new general part clears the flag; the old agreement is superseded.
    renewal = services.agreement_create(county=region.host_county, region=region, actor=adviser)
    assert renewal.general_part == version2
    renewed = services.agreement_adopt(
        actor=an_adviser(),
        agreement=renewal,
        county_adopted_on=datetime.date(2023, 6, 1),
        county_decision_reference="FT-sak 30/23",
    )
    agreement.refresh_from_db()
    assert renewed.readoption_due is False
    assert agreement.status == Agreement.Status.SUPERSEDED
    assert agreement.valid_to == datetime.date(2023, 6, 1)
    assert agreement.special_part.status == SpecialPart.Status.SUPERSEDED


def test_adoption_without_decision_reference_is_refused_and_nothing_changes(general, region):
    agreement = draft_agreement(region)
    with pytest.raises(ValidationError) as error:
        services.agreement_adopt(
            actor=an_adviser(),
            agreement=agreement,
            county_adopted_on=datetime.date(2021, 6, 1),
            county_decision_reference="  ",
        )
    assert "Vedtak krever en vedtaksreferanse." in str(error.value)
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.DRAFT
    assert agreement.special_part.status == SpecialPart.Status.DRAFT


def test_adoption_without_date_is_refused(general, region):
    agreement = draft_agreement(region)
    with pytest.raises(ValidationError):
        services.agreement_adopt(
            actor=an_adviser(), agreement=agreement, county_adopted_on=None, county_decision_reference="FT-sak 1/21"
        )
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.DRAFT


def test_general_part_adoption_requires_decision_reference(region):
    part = services.general_part_create(county=region.host_county, title="Generell del", actor=an_adviser())
    with pytest.raises(ValidationError):
        services.general_part_adopt(
            actor=an_adviser(), general_part=part, adopted_on=datetime.date(2021, 1, 1), decision_reference=""
        )
    part.refresh_from_db()
    assert part.status == GeneralPart.Status.DRAFT


def test_second_overlapping_adopted_agreement_is_refused(general, region, adviser):
    first = adopted_agreement(region)
    renewal = services.agreement_create(county=region.host_county, region=region, actor=adviser)
    # Starting on or before the current agreement would overlap it.
    with pytest.raises(ValidationError) as error:
        services.agreement_adopt(
            actor=an_adviser(),
            agreement=renewal,
            county_adopted_on=datetime.date(2021, 6, 1),
            county_decision_reference="FT-sak 41/21",
        )
    assert "valid_from" in error.value.error_dict
    first.refresh_from_db()
    renewal.refresh_from_db()
    assert first.status == Agreement.Status.ADOPTED and first.valid_to is None
    assert renewal.status == Agreement.Status.DRAFT


def test_agreement_that_does_not_replace_the_adopted_one_is_refused(general, region, adviser):
    first = adopted_agreement(region)
    renewal = services.agreement_create(county=region.host_county, region=region, actor=adviser)
    Agreement.objects.filter(pk=renewal.pk).update(replaces=None)
    renewal.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        services.agreement_adopt(
            actor=an_adviser(),
            agreement=renewal,
            county_adopted_on=datetime.date(2022, 6, 1),
            county_decision_reference="FT-sak 9/22",
        )
    assert "Bare én vedtatt avtale om gangen." in str(error.value)
    first.refresh_from_db()
    assert first.status == Agreement.Status.ADOPTED


def test_region_with_two_counties_holds_one_agreement_with_each(db):
    viken = CountyFactory()
    innlandet = County.objects.create(number="34", name="Innlandet", valid_from=datetime.date(2020, 1, 1))
    hadeland = RegionFactory(name="Hadeland", slug="hadeland", host_county=innlandet)
    hadeland.partner_counties.add(viken)
    adopted_general_part(viken)
    adopted_general_part(innlandet)
    with_innlandet = services.agreement_create(county=innlandet, region=hadeland, actor=an_adviser())
    with_viken = services.agreement_create(county=viken, region=hadeland, actor=an_adviser())
    for agreement in (with_innlandet, with_viken):
        services.agreement_adopt(
            actor=an_adviser(),
            agreement=agreement,
            county_adopted_on=datetime.date(2021, 6, 1),
            county_decision_reference="Sak 1/21",
        )
    assert Agreement.objects.filter(region=hadeland, status="adopted").count() == 2


def test_agreement_with_a_county_the_region_has_no_partnership_with_is_refused(region):
    stranger = County.objects.create(number="11", name="Rogaland")
    adopted_general_part(stranger)
    with pytest.raises(ValidationError):
        services.agreement_create(county=stranger, region=region, actor=an_adviser())
    assert not Agreement.objects.exists()


@override_settings(CELERY_BROKER_URL="memory://")
def test_proposal_accepted_replaces_the_text_and_notifies_the_leader(general, region, leader, adviser):
    agreement = draft_agreement(region)
    special = agreement.special_part
    proposal = services.proposal_create(
        special_part=special,
        section="priorities",
        proposed_text="Grønn næringsutvikling\nReiseliv i Indre Østfold\nBedre kollektivtilbud",
        justification="Reiseliv er viktig for oss.",
        actor=leader,
        now=NOW,
    )
    assert proposal.current_text == "Grønn næringsutvikling\nBedre kollektivtilbud"
    assert Message.objects.filter(recipient=adviser, key__contains=f"proposal.{proposal.pk}.made").exists()

    services.proposal_accept(proposal=proposal, actor=adviser, now=NOW)
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.ACCEPTED
    assert proposal.decided_by == adviser and proposal.decided_at == NOW
    assert list(special.priorities.values_list("text", flat=True)) == [
        "Grønn næringsutvikling",
        "Reiseliv i Indre Østfold",
        "Bedre kollektivtilbud",
    ]
    message = Message.objects.get(recipient=leader, key=f"partnerships.proposal.{proposal.pk}.accepted")
    assert get_renderer(message.kind)(message).subject == "Forslaget ditt ble godtatt"


@override_settings(CELERY_BROKER_URL="memory://")
def test_proposal_rejected_keeps_the_text_and_notifies_the_leader(general, region, leader, adviser):
    agreement = draft_agreement(region)
    special = agreement.special_part
    proposal = services.proposal_create(
        special_part=special, section="introduction", proposed_text="Helt ny innledning.", actor=leader, now=NOW
    )
    with pytest.raises(ValidationError):
        services.proposal_reject(proposal=proposal, actor=adviser, note="", now=NOW)
    services.proposal_reject(proposal=proposal, actor=adviser, note="Passer ikke med den generelle delen.", now=NOW)
    proposal.refresh_from_db()
    special.refresh_from_db()
    assert proposal.status == Proposal.Status.REJECTED
    assert special.introduction == "Regionen har sterke fagmiljøer."
    message = Message.objects.get(recipient=leader, key=f"partnerships.proposal.{proposal.pk}.rejected")
    # The leader reads why in the message itself (it used to say only that it was rejected).
    assert "Passer ikke med den generelle delen." in get_renderer(message.kind)(message).body
    # A decided proposal cannot be decided again.
    with pytest.raises(ValidationError):
        services.proposal_accept(proposal=proposal, actor=adviser, now=NOW)


def test_no_proposals_or_comments_on_an_adopted_special_part(general, region, leader):
    agreement = adopted_agreement(region)
    with pytest.raises(ValidationError):
        services.proposal_create(
            special_part=agreement.special_part, section="introduction", proposed_text="x", actor=leader, now=NOW
        )
    with pytest.raises(ValidationError):
        services.comment_add(special_part=agreement.special_part, section="strengths", text="x", actor=leader, now=NOW)
    assert not Proposal.objects.exists()


def test_postgres_refuses_overlapping_adopted_agreements_in_the_database(general, region):
    from django.db import IntegrityError, connection, transaction

    from tests.conftest import require_postgres

    require_postgres(connection)
    first = adopted_agreement(region)
    Agreement.objects.filter(pk=first.pk).update(status=Agreement.Status.SUPERSEDED)
    special = services.special_part_revise(special_part=first.special_part, actor=an_adviser())
    with pytest.raises(IntegrityError), transaction.atomic():
        Agreement.objects.create(
            county=first.county,
            region=region,
            general_part=general,
            special_part=special,
            status=Agreement.Status.ADOPTED,
            valid_from=datetime.date(2022, 1, 1),
            county_adopted_on=datetime.date(2022, 1, 1),
            county_decision_reference="Sak 1/22",
        )


def test_advisers_start_page_counts_agreements_by_state_and_those_due_for_readoption(
    client, general, region, other_region, adviser
):
    readopt = adopted_agreement(region)
    adopted_agreement(other_region)
    draft_agreement(RegionFactory(host_county=region.host_county))
    version2 = services.general_part_revise(general_part=general, actor=adviser, changelog="Nye roller")
    services.general_part_adopt(
        actor=an_adviser(),
        general_part=version2,
        adopted_on=datetime.date(2023, 2, 1),
        decision_reference="FT-sak 5/23",
    )
    current = adopted_agreement(RegionFactory(host_county=region.host_county), on=datetime.date(2023, 3, 1))
    assert readopt.general_part == general and current.general_part == version2

    client.force_login(adviser)
    page = client.get("/").content.decode()

    assert "3 vedtatte avtaler" in page
    assert "0 under forhandling" in page
    assert "1 utkast" in page
    assert "2 må vedtas på nytt" in page


@override_settings(CELERY_BROKER_URL="memory://")
def test_a_proposal_reaches_its_countys_advisers_and_the_answer_follows_a_nynorsk_regions_language(
    general, region, leader, adviser
):
    """What the county sends a region follows the region's målform for a person without a choice, as
    for cases and meetings; a proposal is told to the agreement's county's advisers (and the national
    ones), not to another county's."""
    from notifications.delivery import FALLBACK_LANGUAGE_KEY, _language
    from regions.models import Appointment
    from tests.factories import AppointmentFactory, PersonFactory, UserFactory

    elsewhere = UserFactory(username="radgiver-rogaland", role="adviser")
    AppointmentFactory(
        person=PersonFactory(user=elsewhere, name="Rogaland-rådgiver"),
        role=Appointment.Role.COORDINATION_ADVISER,
        region=None,
        county=County.objects.create(number="11", name="Rogaland"),
    )
    region.malform = "nynorsk"
    region.save(update_fields=["malform"])
    special = draft_agreement(region).special_part
    proposal = services.proposal_create(
        special_part=special, section="introduction", proposed_text="Ny innleiing.", actor=leader, now=NOW
    )
    told = set(Message.objects.filter(key__contains=f"proposal.{proposal.pk}.made").values_list("recipient", flat=True))
    assert adviser.pk in told and elsewhere.pk not in told

    services.proposal_reject(proposal=proposal, actor=adviser, note="Ikkje no.", now=NOW)
    message = Message.objects.get(recipient=leader, key=f"partnerships.proposal.{proposal.pk}.rejected")
    assert message.payload[FALLBACK_LANGUAGE_KEY] == "nn"
    with _language(message):
        assert get_renderer(message.kind)(message).subject == "Forslaget ditt vart avvist"
