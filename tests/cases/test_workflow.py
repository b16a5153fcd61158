"""Every transition, allowed and refused per role."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cases import services
from cases.models import Case, CaseEvent, RegionRequest, Routing
from notifications.models import Message
from tests.conftest import make_leader
from tests.factories import CouncilAreaFactory, RegionFactory, UserFactory

from .conftest import NOW

pytestmark = pytest.mark.django_db
S = Case.Status


def test_leader_submits_draft_and_gets_a_reference_number(draft, leader, adviser):
    case = services.case_submit(case=draft, actor=leader, now=NOW)
    assert case.status == S.SUBMITTED
    assert case.reference == "2030-0001"
    assert case.events.filter(action=CaseEvent.Action.SUBMITTED, from_status=S.DRAFT, to_status=S.SUBMITTED).exists()
    assert Message.objects.filter(recipient=adviser, kind="cases.event").exists()


def test_reference_numbers_count_up_within_a_year(leader, region, members):
    refs = []
    for n in range(3):
        case = services.case_create(actor=leader, title=f"Sak {n}", origin_region=region, now=NOW)
        refs.append(services.case_submit(case=case, actor=leader, now=NOW).reference)
    assert refs == ["2030-0001", "2030-0002", "2030-0003"]


def test_other_regions_leader_cannot_submit(draft, other_leader):
    with pytest.raises(PermissionDenied):
        services.case_submit(case=draft, actor=other_leader, now=NOW)
    draft.refresh_from_db()
    assert draft.status == S.DRAFT and draft.reference is None


def test_staff_cannot_submit_a_regions_case(draft, staff):
    with pytest.raises(PermissionDenied):
        services.case_submit(case=draft, actor=staff, now=NOW)


def test_leader_cannot_create_case_for_another_region(leader, other_region):
    with pytest.raises(PermissionDenied):
        services.case_create(actor=leader, title="x", origin_region=other_region, now=NOW)


def test_deadline_in_the_past_is_refused(leader, region):
    with pytest.raises(ValidationError) as error:
        services.case_create(actor=leader, title="x", origin_region=region, deadline=datetime.date(2030, 3, 1), now=NOW)
    assert "deadline" in error.value.message_dict
    assert not Case.objects.exists()


@pytest.mark.parametrize("who", ["leader", "staff"])
def test_only_advisers_receive(submitted, who, request):
    with pytest.raises(PermissionDenied):
        services.case_receive(case=submitted, actor=request.getfixturevalue(who), now=NOW)


def test_adviser_receives_and_region_is_told(submitted, adviser, leader):
    case = services.case_receive(case=submitted, actor=adviser, now=NOW)
    assert case.status == S.RECEIVED and case.received_at == NOW
    assert Message.objects.filter(recipient=leader, kind="cases.event").exists()


def test_receiving_twice_is_refused_with_a_message(submitted, adviser):
    services.case_receive(case=submitted, actor=adviser, now=NOW)
    with pytest.raises(ValidationError):
        services.case_receive(case=submitted, actor=adviser, now=NOW)


def test_routing_notifies_council_area_staff_and_plans_deadline_reminders(routed, staff, council_area):
    assert routed.status == S.ROUTED
    assert routed.routings.get().council_area == council_area
    assert Message.objects.filter(recipient=staff, kind="cases.event").exists()
    reminders = Message.objects.filter(recipient=staff, kind="cases.deadline", state=Message.State.PENDING)
    assert sorted(m.payload["days"] for m in reminders) == [1, 3]


def test_leader_cannot_route(submitted, leader, council_area):
    with pytest.raises(PermissionDenied):
        services.case_route(case=submitted, actor=leader, council_areas=[council_area], now=NOW)
    assert not Routing.objects.exists()


def test_routing_without_council_area_is_refused_and_case_stays_in_inbox(submitted, adviser):
    with pytest.raises(ValidationError):
        services.case_route(case=submitted, actor=adviser, council_areas=[], now=NOW)
    submitted.refresh_from_db()
    assert submitted.status == S.SUBMITTED


def test_flagged_case_stays_in_inbox_until_routed(submitted, adviser, council_area):
    from cases.selectors import case_inbox_lanes

    def flagged():
        return case_inbox_lanes(today=NOW.date())[0]["flagged"].cases

    services.case_flag(case=submitted, actor=adviser, problem="Uklart hvilket rådsområde", now=NOW)
    assert flagged() == [submitted]
    services.case_route(case=submitted, actor=adviser, council_areas=[council_area], now=NOW)
    submitted.refresh_from_db()
    assert submitted.routing_problem == ""
    assert flagged() == []


def test_routing_twice_to_the_same_area_is_refused(routed, adviser, council_area):
    with pytest.raises(ValidationError):
        services.case_route(case=routed, actor=adviser, council_areas=[council_area], now=NOW)
    assert routed.routings.count() == 1


def test_staff_of_another_area_cannot_answer(routed):
    other_staff = UserFactory(role="council_area_staff")
    routing = routed.routings.get()
    with pytest.raises(PermissionDenied):
        services.routing_answer(routing=routing, actor=other_staff, answer="Nei", now=NOW)


def test_leader_cannot_answer_a_routing(routed, leader):
    with pytest.raises(PermissionDenied):
        services.routing_answer(routing=routed.routings.get(), actor=leader, answer="Ja", now=NOW)


def test_full_region_to_county_flow(routed, adviser, staff, leader):
    routing = routed.routings.get()
    services.routing_acknowledge(routing=routing, actor=staff, now=NOW)
    services.routing_answer(routing=routing, actor=staff, answer="Vi prioriterer strekningen i 2031.", now=NOW)
    routed.refresh_from_db()
    assert routed.status == S.ANSWERED
    # the reminders for the answered routing are cancelled
    assert not Message.objects.filter(kind="cases.deadline", state=Message.State.PENDING).exists()
    services.case_send_answer(case=routed, actor=adviser, answer="Svar fra fylket: prioritert i 2031.", now=NOW)
    routed.refresh_from_db()
    assert routed.status == S.ANSWER_SENT
    assert Message.objects.filter(recipient=leader, payload__event_id=routed.events.last().pk).exists()
    services.case_close(case=routed, actor=leader, now=NOW)
    routed.refresh_from_db()
    assert routed.status == S.CLOSED
    actions = list(routed.events.values_list("action", flat=True))
    assert actions == [
        "created",
        "submitted",
        "received",
        "routed",
        "acknowledged",
        "routing_answered",
        "answered",
        "answer_sent",
        "closed",
    ]


def test_case_is_answered_only_when_every_routing_is(submitted, adviser, council_area, staff):
    second = CouncilAreaFactory()
    services.case_route(case=submitted, actor=adviser, council_areas=[council_area, second], now=NOW)
    first = submitted.routings.get(council_area=council_area)
    services.routing_answer(routing=first, actor=staff, answer="Svar", now=NOW)
    submitted.refresh_from_db()
    assert submitted.status == S.ROUTED
    services.routing_answer(
        routing=submitted.routings.get(council_area=second), actor=adviser, answer="Svar", on_behalf=True, now=NOW
    )
    submitted.refresh_from_db()
    assert submitted.status == S.ANSWERED


@pytest.mark.parametrize("who", ["leader", "staff"])
def test_only_advisers_send_the_answer(routed, adviser, who, request):
    services.routing_answer(routing=routed.routings.get(), actor=adviser, answer="Svar", on_behalf=True, now=NOW)
    with pytest.raises(PermissionDenied):
        services.case_send_answer(case=routed, actor=request.getfixturevalue(who), answer="x", now=NOW)


def test_close_before_answer_sent_is_refused(routed, adviser):
    with pytest.raises(ValidationError):
        services.case_close(case=routed, actor=adviser, now=NOW)


def test_adviser_returns_case_and_leader_resubmits_with_same_reference(submitted, adviser, leader):
    ref = submitted.reference
    services.case_return(case=submitted, actor=adviser, reason="Legg ved kommunestyrevedtakene.", now=NOW)
    submitted.refresh_from_db()
    assert submitted.status == S.RETURNED
    services.case_update(case=submitted, actor=leader, description="Med vedtak", now=NOW)
    services.case_submit(case=submitted, actor=leader, now=NOW)
    submitted.refresh_from_db()
    assert submitted.status == S.SUBMITTED and submitted.reference == ref


def test_return_needs_a_reason(submitted, adviser):
    with pytest.raises(ValidationError):
        services.case_return(case=submitted, actor=adviser, reason="  ", now=NOW)


def test_leader_cannot_return(submitted, leader):
    with pytest.raises(PermissionDenied):
        services.case_return(case=submitted, actor=leader, reason="x", now=NOW)


def test_leader_withdraws_routed_case_and_routings_are_cancelled(routed, leader, staff):
    services.case_withdraw(case=routed, actor=leader, reason="Løst lokalt", now=NOW)
    routed.refresh_from_db()
    assert routed.status == S.WITHDRAWN
    assert routed.routings.get().state == Routing.State.CANCELLED
    assert not Message.objects.filter(kind="cases.deadline", state=Message.State.PENDING).exists()
    assert Message.objects.filter(recipient=staff, payload__event_id=routed.events.last().pk).exists()


def test_other_leader_and_staff_cannot_withdraw(routed, other_leader, staff):
    for user in (other_leader, staff):
        with pytest.raises(PermissionDenied):
            services.case_withdraw(case=routed, actor=user, now=NOW)


def test_withdrawn_case_cannot_be_withdrawn_again(submitted, leader):
    services.case_withdraw(case=submitted, actor=leader, now=NOW)
    with pytest.raises(ValidationError):
        services.case_withdraw(case=submitted, actor=leader, now=NOW)


def test_deadline_change_replans_reminders(routed, adviser, staff):
    old = set(Message.objects.filter(kind="cases.deadline").values_list("key", flat=True))
    services.case_update(case=routed, actor=adviser, deadline=datetime.date(2030, 5, 1), now=NOW)
    assert set(Message.objects.filter(key__in=old).values_list("state", flat=True)) == {Message.State.CANCELLED}
    pending = Message.objects.filter(kind="cases.deadline", state=Message.State.PENDING)
    assert pending.count() == 2
    assert {m.payload["deadline"] for m in pending} == {"2030-05-01"}


def test_leader_cannot_edit_a_submitted_case(submitted, leader):
    with pytest.raises(ValidationError):
        services.case_update(case=submitted, actor=leader, title="Ny tittel", now=NOW)


def test_adviser_assigns_case_to_an_adviser(submitted, adviser, leader):
    other = UserFactory(role="adviser")
    services.case_assign(case=submitted, actor=adviser, assignee=other, now=NOW)
    submitted.refresh_from_db()
    assert submitted.assigned_to == other
    with pytest.raises(ValidationError):
        services.case_assign(case=submitted, actor=adviser, assignee=leader, now=NOW)
    with pytest.raises(PermissionDenied):
        services.case_assign(case=submitted, actor=leader, assignee=other, now=NOW)


# --- county → regions ---------------------------------------------------------------------


@pytest.fixture
def county_case(staff, council_area):
    case = services.case_create(
        actor=staff,
        title="Høring: regional plan for samferdsel",
        direction=Case.Direction.COUNTY_TO_REGIONS,
        origin_council_area=council_area,
        topic=Case.Topic.REGIONAL_PLAN,
        now=NOW,
    )
    return services.case_submit(case=case, actor=staff, now=NOW)


def test_county_to_regions_flow(county_case, adviser, leader, other_leader, region, other_region, staff):
    services.case_regions_send(case=county_case, actor=adviser, regions=[region, other_region], now=NOW)
    county_case.refresh_from_db()
    assert county_case.status == S.ROUTED
    assert Message.objects.filter(recipient=leader, kind="cases.event").exists()
    first = county_case.region_requests.get(region=region)
    with pytest.raises(PermissionDenied):
        services.region_request_answer(region_request=first, actor=other_leader, answer="x", now=NOW)
    services.region_request_answer(region_request=first, actor=leader, answer="Vi støtter planen.", now=NOW)
    county_case.refresh_from_db()
    assert county_case.status == S.ROUTED
    second = county_case.region_requests.get(region=other_region)
    services.region_request_answer(region_request=second, actor=other_leader, answer="Vi har innspill.", now=NOW)
    county_case.refresh_from_db()
    assert county_case.status == S.ANSWERED
    with pytest.raises(ValidationError):
        services.region_request_answer(region_request=second, actor=other_leader, answer="igjen", now=NOW)
    services.case_send_answer(case=county_case, actor=adviser, answer="Samlede svar fra regionene.", now=NOW)
    county_case.refresh_from_db()
    assert county_case.status == S.ANSWER_SENT
    assert Message.objects.filter(recipient=staff, payload__event_id=county_case.events.last().pk).exists()


def test_county_case_sent_to_all_current_regions(county_case, adviser, region, other_region):
    services.case_regions_send(case=county_case, actor=adviser, regions=None, now=NOW)
    assert set(county_case.region_requests.values_list("region", flat=True)) == {region.pk, other_region.pk}


def test_staff_and_leaders_cannot_send_to_regions(county_case, staff, leader, region):
    for user in (staff, leader):
        with pytest.raises(PermissionDenied):
            services.case_regions_send(case=county_case, actor=user, regions=[region], now=NOW)
    assert not RegionRequest.objects.exists()


def test_leader_not_asked_cannot_answer(county_case, adviser, region):
    services.case_regions_send(case=county_case, actor=adviser, regions=[region], now=NOW)
    outsider = make_leader(RegionFactory(), "outsider")
    with pytest.raises(PermissionDenied):
        services.region_request_answer(
            region_request=county_case.region_requests.get(), actor=outsider, answer="x", now=NOW
        )
