"""Anchoring strength counts the region's members as of the submission date."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from cases import services
from cases.models import Anchoring
from cases.selectors import case_anchoring_strength
from tests.factories import MembershipFactory, MunicipalityFactory

from .conftest import NOW

pytestmark = pytest.mark.django_db


def _support(case, actor, municipality, stance=Anchoring.Stance.SUPPORTS, body=Anchoring.Body.COUNCIL):
    return services.anchoring_record(
        case=case, actor=actor, municipality=municipality, body=body, stance=stance, now=NOW
    )


def test_strength_counts_supporting_councils(submitted, leader, members):
    _support(submitted, leader, members[0])
    _support(submitted, leader, members[1])
    _support(submitted, leader, members[2], stance=Anchoring.Stance.AGAINST)
    strength = case_anchoring_strength(case=submitted)
    assert (strength.supporting, strength.total) == (2, 3)


def test_executive_committee_or_mayor_does_not_count_as_council(submitted, leader, members):
    _support(submitted, leader, members[0], body=Anchoring.Body.MAYOR)
    assert case_anchoring_strength(case=submitted).supporting == 0


def test_strength_uses_membership_on_the_submission_date(submitted, leader, members, region):
    _support(submitted, leader, members[0])
    # After submission one member leaves and two join: the case still counts the old membership.
    membership = members[2].memberships.get()
    membership.valid_to = datetime.date(2030, 6, 1)
    membership.save()
    for _ in range(2):
        MembershipFactory(region=region, municipality=MunicipalityFactory(), valid_from=datetime.date(2030, 6, 1))
    strength = case_anchoring_strength(case=submitted)
    assert (strength.supporting, strength.total) == (1, 3)
    assert strength.day == NOW.date()


def test_municipality_leaving_before_submission_is_not_counted(draft, leader, members, region):
    membership = members[2].memberships.get()
    membership.valid_to = datetime.date(2030, 1, 1)
    membership.save()
    case = services.case_submit(case=draft, actor=leader, now=NOW)
    assert case_anchoring_strength(case=case).total == 2
    with pytest.raises(ValidationError):
        _support(case, leader, members[2])


def test_anchoring_for_a_municipality_outside_the_region_is_refused(submitted, leader):
    outsider = MunicipalityFactory()
    with pytest.raises(ValidationError) as error:
        _support(submitted, leader, outsider)
    assert "municipality" in error.value.message_dict
    assert not Anchoring.objects.exists()


def test_recording_again_updates_instead_of_duplicating(submitted, leader, members):
    _support(submitted, leader, members[0], stance=Anchoring.Stance.NOT_TREATED)
    _support(submitted, leader, members[0], stance=Anchoring.Stance.SUPPORTS)
    assert Anchoring.objects.count() == 1
    assert case_anchoring_strength(case=submitted).supporting == 1


def test_other_regions_leader_cannot_record(submitted, other_leader, members):
    with pytest.raises(PermissionDenied):
        _support(submitted, other_leader, members[0])


def test_case_page_shows_strength_as_n_of_m(client, leader, submitted, members):
    _support(submitted, leader, members[0])
    client.force_login(leader)
    page = client.get(submitted.get_absolute_url()).content.decode()
    assert "1 av 3 kommunestyrer" in page or "1 of 3 municipal councils" in page


def test_a_decision_dated_in_the_future_is_refused_and_nothing_recorded(submitted, leader, members):
    """A council cannot have decided on a day still to come (the planned meeting is the deadline
    for treatment); the form used to accept it and count it as support."""
    with pytest.raises(ValidationError) as refused:
        services.anchoring_record(
            case=submitted,
            actor=leader,
            municipality=members[0],
            stance=Anchoring.Stance.SUPPORTS,
            decision_date=NOW.date() + datetime.timedelta(days=7),
            now=NOW,
        )
    assert "decision_date" in refused.value.message_dict
    assert not Anchoring.objects.filter(case=submitted).exists()
    services.anchoring_record(case=submitted, actor=leader, municipality=members[0], decision_date=NOW.date(), now=NOW)
    assert Anchoring.objects.filter(case=submitted).count() == 1


def test_case_page_counts_strength_as_the_selector_does_and_offers_the_members_of_the_submission_date(
    client, leader, submitted, members, region
):
    """The case page counts the strength from the members and anchorings it lists (no counting queries of
    its own): the same figures as case_anchoring_strength, and the anchoring form offers those members."""
    _support(submitted, leader, members[0])
    _support(submitted, leader, members[1], body=Anchoring.Body.MAYOR)
    _support(submitted, leader, members[2], stance=Anchoring.Stance.AGAINST)
    membership = members[2].memberships.get()
    membership.valid_to = datetime.date(2030, 6, 1)
    membership.save()
    newcomer = MunicipalityFactory(name="Nykommer")
    MembershipFactory(region=region, municipality=newcomer, valid_from=datetime.date(2030, 6, 1))

    client.force_login(leader)
    response = client.get(submitted.get_absolute_url())
    shown, expected = response.context["strength"], case_anchoring_strength(case=submitted)
    assert (
        (shown.supporting, shown.total, shown.day)
        == (expected.supporting, expected.total, expected.day)
        == (
            1,
            3,
            NOW.date(),
        )
    )
    choices = [label for value, label in response.context["anchoring_form"].fields["municipality"].choices if value]
    assert choices == [str(m) for m in sorted(members, key=lambda m: m.number)]
    assert "Nykommer" not in response.content.decode()

    posted = client.post(
        reverse("cases:anchoring-record", args=[submitted.pk]),
        {"municipality": newcomer.pk, "body": "council", "stance": "supports"},
    )
    assert posted.status_code in (200, 302)
    assert not Anchoring.objects.filter(municipality=newcomer).exists()


def test_case_page_lists_its_priorities_by_special_part_and_order_and_its_instruments_by_name(
    client, adviser, submitted, region, other_region
):
    from partnerships.models import Priority
    from tests.partnerships.factories import adopted_general_part, draft_agreement, instrument

    adopted_general_part(region.host_county)
    own = list(draft_agreement(region).special_part.priorities.order_by("order"))
    other = list(draft_agreement(other_region).special_part.priorities.order_by("order"))
    submitted.priorities.add(*reversed(own), other[0])
    submitted.instruments.add(instrument("Tilskudd B"), instrument("Arena A"))

    client.force_login(adviser)
    response = client.get(submitted.get_absolute_url())
    expected = Priority.objects.filter(cases=submitted)  # the model's own order
    assert [p.text for p in response.context["priorities"]] == [p.text for p in expected]
    assert [str(i) for i in response.context["instruments"]] == ["Arena A", "Tilskudd B"]
    page = response.content.decode()
    assert all(p.text[:80] in page for p in own + other[:1])
    assert page.index("Arena A") < page.index("Tilskudd B")


def _kept(case):
    case.refresh_from_db()
    return case.members_on_submission, case.councils_supporting


def test_the_services_keep_each_cases_anchoring_strength_for_tracking(draft, leader, adviser, members, region):
    """Tracking groups the strength kept in each case; every change the services make keeps it equal to
    what case_anchoring_strength counts: submission, a council's stance recorded and removed, and a
    membership of the submission day corrected in the registry (regions.hooks)."""
    from cases.selectors import tracking_data
    from regions import services as registry

    assert _kept(draft) == (None, None)
    case = services.case_submit(case=draft, actor=leader, now=NOW)
    assert _kept(case) == (3, 0)
    anchoring = _support(case, leader, members[0])
    _support(case, leader, members[1], stance=Anchoring.Stance.AGAINST)
    assert _kept(case) == (3, 1)
    rows = tracking_data(user=adviser, today=NOW.date())["anchoring"][0]["rows"]
    assert [(row["region"], row["cases"], row["percent"]) for row in rows] == [(region, 1, 33)]

    # The registry learns of a fourth member since 2030-01-01: the case counts it from then on.
    registry.membership_start(
        actor=adviser, municipality=MunicipalityFactory(), region=region, valid_from=datetime.date(2030, 1, 1)
    )
    assert _kept(case) == (4, 1)
    # One who joins after the submission day does not count.
    registry.membership_start(
        actor=adviser, municipality=MunicipalityFactory(), region=region, valid_from=datetime.date(2030, 6, 1)
    )
    assert _kept(case) == (4, 1)
    services.anchoring_remove(anchoring=anchoring, actor=leader, now=NOW)
    assert _kept(case) == (4, 0)
    strength = case_anchoring_strength(case=case)
    assert (strength.total, strength.supporting) == (4, 0)


def test_an_anchoring_changed_in_the_admin_is_counted_too(submitted, leader, members, admin_client):
    anchoring = _support(submitted, leader, members[0])
    assert _kept(submitted) == (3, 1)
    url = reverse("admin:cases_anchoring_delete", args=[anchoring.pk])
    assert admin_client.post(url, {"post": "yes"}).status_code == 302
    assert _kept(submitted) == (3, 0)
