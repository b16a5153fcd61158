"""Screening (offentleglova) of agenda items and minutes, and the approval that makes minutes public:
the public selectors return an agenda item once the agenda is published (following its case unless the
item is set itself) and minutes once approved, never what is exempt."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from cases import services as case_services
from core.screening import Access, LegalBasis
from meetings import services
from meetings.selectors import public_agenda_items, public_meetings, public_minutes

from .factories import NOW

pytestmark = pytest.mark.django_db

EXEMPT = {"access": Access.EXEMPT, "legal_basis": LegalBasis.OFFL_13_FVL_13}


@pytest.fixture
def case(leader, region):
    case = case_services.case_create(actor=leader, title="Fylkesvei 120", origin_region=region, now=NOW)
    return case_services.case_submit(case=case, actor=leader, now=NOW)


@pytest.fixture
def agenda(meeting, adviser, case):
    """Two items: a plain one and the region's case."""
    plain = services.agenda_item_add(meeting=meeting, actor=adviser, title="Orienteringssaker", lane="planned", now=NOW)
    of_case = services.case_agenda_add(case=case, actor=adviser, meeting=meeting, lane="planned", now=NOW)
    return plain, of_case


def _hold_with_minutes(meeting, adviser, items):
    services.agenda_publish(meeting=meeting, actor=adviser, now=NOW)
    services.meeting_mark_held(meeting=meeting, actor=adviser)
    for item in items:
        services.minutes_save(item=item, actor=adviser, outcome="discussed", text="Drøftet.")


def test_agenda_items_are_public_once_the_agenda_is_published(meeting, adviser, agenda):
    assert meeting in public_meetings()
    assert not public_agenda_items().exists()
    services.agenda_publish(meeting=meeting, actor=adviser, now=NOW)
    assert set(public_agenda_items()) == set(agenda)


def test_an_item_follows_its_exempt_case_unless_it_is_set_itself(meeting, adviser, agenda, case):
    plain, of_case = agenda
    services.agenda_publish(meeting=meeting, actor=adviser, now=NOW)
    case_services.case_screening_set(case=case, actor=adviser, now=NOW, **EXEMPT)
    assert list(public_agenda_items()) == [plain]
    services.agenda_item_screening_set(
        item=of_case, actor=adviser, access=Access.PUBLIC, title_screened=True, screened_title="Sak om vei", now=NOW
    )
    assert set(public_agenda_items()) == {plain, of_case}
    services.agenda_item_screening_set(item=plain, actor=adviser, now=NOW, **EXEMPT)
    assert list(public_agenda_items()) == [of_case]


def test_minutes_are_public_once_approved_and_never_when_exempt(meeting, adviser, agenda):
    plain, of_case = agenda
    _hold_with_minutes(meeting, adviser, agenda)
    assert not public_minutes().exists()
    services.minutes_screening_set(item=plain, actor=adviser, now=NOW, **EXEMPT)
    services.minutes_approve(meeting=meeting, actor=adviser, now=NOW)
    assert [entry.agenda_item for entry in public_minutes()] == [of_case]


def test_minutes_of_an_exempt_item_are_not_public_either(meeting, adviser, agenda):
    plain, of_case = agenda
    _hold_with_minutes(meeting, adviser, agenda)
    services.agenda_item_screening_set(item=of_case, actor=adviser, now=NOW, **EXEMPT)
    services.minutes_approve(meeting=meeting, actor=adviser, now=NOW)
    assert [entry.agenda_item for entry in public_minutes()] == [plain]


def test_minutes_are_approved_only_once_and_only_for_a_held_meeting(meeting, adviser, agenda):
    with pytest.raises(ValidationError):
        services.minutes_approve(meeting=meeting, actor=adviser, now=NOW)
    _hold_with_minutes(meeting, adviser, agenda)
    services.minutes_approve(meeting=meeting, actor=adviser, now=NOW)
    with pytest.raises(ValidationError):
        services.minutes_approve(meeting=meeting, actor=adviser, now=NOW)


def test_screening_minutes_not_yet_written_is_a_message(meeting, adviser, agenda):
    with pytest.raises(ValidationError):
        services.minutes_screening_set(item=agenda[0], actor=adviser, now=NOW, **EXEMPT)


def test_only_the_coordination_unit_screens_and_approves(meeting, leader, adviser, agenda):
    with pytest.raises(PermissionDenied):
        services.agenda_item_screening_set(item=agenda[0], actor=leader, now=NOW, **EXEMPT)
    _hold_with_minutes(meeting, adviser, agenda)
    with pytest.raises(PermissionDenied):
        services.minutes_approve(meeting=meeting, actor=leader, now=NOW)


def test_an_adviser_screens_items_and_minutes_and_approves_them_on_the_pages(client, meeting, adviser, agenda):
    plain, of_case = agenda
    client.force_login(adviser)
    builder = client.get(reverse("meetings:agenda-builder", kwargs={"pk": meeting.pk})).content.decode()
    assert reverse("meetings:agenda-item-screening", kwargs={"pk": plain.pk}) in builder
    client.post(
        reverse("meetings:agenda-item-screening", kwargs={"pk": plain.pk}),
        {f"item-{plain.pk}-access": "exempt", f"item-{plain.pk}-legal_basis": "offl_14"},
    )
    _hold_with_minutes(meeting, adviser, agenda)
    minutes_page = client.get(reverse("meetings:minutes-edit", kwargs={"pk": meeting.pk})).content.decode()
    assert reverse("meetings:minutes-screening", kwargs={"pk": of_case.pk}) in minutes_page
    client.post(
        reverse("meetings:minutes-screening", kwargs={"pk": of_case.pk}),
        {f"minutes-{of_case.pk}-access": "exempt", f"minutes-{of_case.pk}-legal_basis": "offl_5"},
    )
    detail = client.get(meeting.get_absolute_url()).content.decode()
    assert reverse("meetings:minutes-approve", kwargs={"pk": meeting.pk}) in detail
    response = client.post(reverse("meetings:minutes-approve", kwargs={"pk": meeting.pk}), follow=True)
    assert response.status_code == 200
    assert list(public_agenda_items()) == [of_case]
    assert not public_minutes().exists()  # the plain item is exempt, the case's minutes entry too


def test_a_leader_may_not_screen_an_item_of_their_regions_meeting(client, meeting, leader, agenda):
    client.force_login(leader)
    url = reverse("meetings:agenda-item-screening", kwargs={"pk": agenda[0].pk})
    assert client.post(url, {f"item-{agenda[0].pk}-access": "public"}).status_code == 403
