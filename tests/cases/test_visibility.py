import pytest

from cases.models import Case, RegionRequest, Routing
from cases.selectors import case_list_visible_to
from tests.cases.factories import CaseFactory
from tests.factories import CouncilAreaFactory

pytestmark = pytest.mark.django_db


def test_leader_sees_own_region_cases_but_not_other_regions_internal(leader, region, other_region):
    own = CaseFactory(origin_region=region)
    other_internal = CaseFactory(origin_region=other_region, status=Case.Status.SUBMITTED)
    other_shared = CaseFactory(
        origin_region=other_region, status=Case.Status.SUBMITTED, visibility=Case.Visibility.SHARED
    )
    visible = set(case_list_visible_to(user=leader))
    assert own in visible
    assert other_shared in visible
    assert other_internal not in visible


def test_leader_sees_county_case_sent_to_their_region(leader, region, other_region, adviser, council_area):
    targeted = CaseFactory(
        origin_region=None,
        origin_council_area=council_area,
        direction=Case.Direction.COUNTY_TO_REGIONS,
        status=Case.Status.ROUTED,
    )
    RegionRequest.objects.create(case=targeted, region=region, sent_by=adviser, sent_at="2026-01-01T10:00Z")
    elsewhere = CaseFactory(
        origin_region=None,
        origin_council_area=council_area,
        direction=Case.Direction.COUNTY_TO_REGIONS,
        status=Case.Status.ROUTED,
    )
    RegionRequest.objects.create(case=elsewhere, region=other_region, sent_by=adviser, sent_at="2026-01-01T10:00Z")
    visible = list(case_list_visible_to(user=leader))
    assert visible == [targeted]


def test_staff_sees_only_cases_routed_to_their_area(staff, council_area, region, adviser):
    routed = CaseFactory(origin_region=region, status=Case.Status.ROUTED)
    Routing.objects.create(case=routed, council_area=council_area, routed_by=adviser, routed_at="2026-01-01T10:00Z")
    other = CaseFactory(origin_region=region, status=Case.Status.ROUTED)
    Routing.objects.create(
        case=other, council_area=CouncilAreaFactory(), routed_by=adviser, routed_at="2026-01-01T10:00Z"
    )
    assert list(case_list_visible_to(user=staff)) == [routed]


def test_adviser_sees_everything(adviser, region, other_region):
    CaseFactory(origin_region=region)
    CaseFactory(origin_region=other_region)
    assert case_list_visible_to(user=adviser).count() == 2


def test_another_regions_cancelled_request_or_another_areas_cancelled_routing_hides_nothing(
    leader, region, other_region, adviser, council_area, staff
):
    """Each request and routing counts by its own state: a county case sent to two regions stays
    visible to the first when the second's request is cancelled, and a case routed to two areas stays
    visible to the first area's staff when the other routing is cancelled (the whole case was hidden)."""
    from cases.selectors import case_get_for_user

    sent = CaseFactory(
        origin_region=None,
        origin_council_area=CouncilAreaFactory(),
        direction=Case.Direction.COUNTY_TO_REGIONS,
        status=Case.Status.ROUTED,
    )
    RegionRequest.objects.create(case=sent, region=region, sent_by=adviser, sent_at="2026-01-01T10:00Z")
    RegionRequest.objects.create(
        case=sent,
        region=other_region,
        sent_by=adviser,
        sent_at="2026-01-01T10:00Z",
        state=RegionRequest.State.CANCELLED,
    )
    routed = CaseFactory(origin_region=other_region, status=Case.Status.ROUTED)
    at = "2026-01-01T10:00Z"
    Routing.objects.create(case=routed, council_area=council_area, routed_by=adviser, routed_at=at)
    Routing.objects.create(
        case=routed, council_area=CouncilAreaFactory(), routed_by=adviser, routed_at=at, state=Routing.State.CANCELLED
    )

    assert list(case_list_visible_to(user=leader)) == [sent]
    assert case_get_for_user(user=leader, pk=sent.pk) == sent
    assert list(case_list_visible_to(user=staff)) == [routed]
    assert case_get_for_user(user=staff, pk=routed.pk) == routed
