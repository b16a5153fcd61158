"""The region secretariat acts for its region as the leader does (issue 14, item 3): it submits and
follows the region's cases, proposes agenda items and takes part in the negotiation of the special part,
every act records that it was done as the secretariat, and the rights end the day the appointment ends.
One setup: region A with its secretariat (a user with only a secretariat appointment); each test varies
one condition."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from cases import services as case_services
from cases.models import Case, CaseEvent
from meetings import services as meeting_services
from notifications.sweep import message_sweep
from partnerships import services as partnership_services
from regions import services as region_services
from regions.models import Appointment
from regions.selectors import region_ids_led_now, role_acted_in
from tests.factories import AppointmentFactory, PersonFactory, UserFactory, an_adviser
from tests.meetings.factories import NOW, oslo
from tests.partnerships.factories import adopted_general_part, draft_agreement

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox = []


@pytest.fixture
def secretariat(region):
    user = UserFactory(username="sekretariat", role=User.Role.REGION_LEADER, email="sekretariat@example.no")
    AppointmentFactory(
        person=PersonFactory(user=user, name="Siri Sekretariat"),
        role=Appointment.Role.REGION_SECRETARIAT,
        region=region,
    )
    return user


def _end(user, *, on=None):
    appointment = Appointment.objects.get(person__user=user, role=Appointment.Role.REGION_SECRETARIAT)
    return region_services.appointment_end(
        actor=an_adviser(), appointment=appointment, valid_to=on or timezone.localdate()
    )


def _submitted_case(actor, region):
    case = case_services.case_create(actor=actor, title="Ny fylkesvei", origin_region=region)
    return case_services.case_submit(case=case, actor=actor)


def test_the_secretariat_submits_a_case_for_its_region_and_the_trail_says_in_which_role(client, secretariat, region):
    case = _submitted_case(secretariat, region)
    events = list(CaseEvent.objects.filter(case=case).order_by("pk"))
    assert [e.action for e in events] == [CaseEvent.Action.CREATED, CaseEvent.Action.SUBMITTED]
    assert {(e.actor, e.actor_role) for e in events} == {(secretariat, Appointment.Role.REGION_SECRETARIAT)}
    client.force_login(secretariat)
    page = client.get(case.get_absolute_url()).content.decode()
    assert "Regionsekretariat" in page


def test_the_leader_and_the_adviser_are_recorded_in_their_own_roles(adviser, leader, region):
    case = _submitted_case(leader, region)
    case_services.case_receive(case=case, actor=adviser)
    roles = list(CaseEvent.objects.filter(case=case).order_by("pk").values_list("actor_role", flat=True))
    assert roles == [Appointment.Role.REGION_COUNCIL_LEADER, Appointment.Role.REGION_COUNCIL_LEADER, "adviser"]


def test_the_secretariat_follows_the_regions_cases_it_did_not_write(adviser, leader, secretariat, region):
    """The leader submits; the secretariat is told when the county receives it, and sees it."""
    case = _submitted_case(leader, region)
    message_sweep()
    mail.outbox = []
    case_services.case_receive(case=case, actor=adviser)
    message_sweep()
    assert any("sekretariat@example.no" in m.to for m in mail.outbox)


def test_the_secretariat_sees_nothing_internal_of_another_region(client, secretariat, other_region, other_leader):
    case = case_services.case_create(
        actor=other_leader, title="Follos interne sak", origin_region=other_region, visibility=Case.Visibility.INTERNAL
    )
    client.force_login(secretariat)
    assert client.get(case.get_absolute_url()).status_code == 404
    assert client.get(reverse("cases:case-update", args=[case.pk])).status_code == 404


def test_the_secretariat_proposes_an_agenda_item_recorded_as_the_secretariats(adviser, secretariat, region):
    meeting = meeting_services.meeting_create(
        actor=adviser,
        title="Regionrådsmøte",
        start=oslo(2030, 2, 12, 9),
        end=oslo(2030, 2, 12, 12),
        region=region,
        now=NOW,
    )
    item = meeting_services.agenda_item_add(
        meeting=meeting, actor=secretariat, title="Bussruter", lane="planned", now=NOW
    )
    assert item.state == item.State.PROPOSED
    assert item.proposed_by == secretariat
    assert item.proposed_by_role == Appointment.Role.REGION_SECRETARIAT
    assert str(item.proposed_by_role_display) == "Regionsekretariat"


def test_the_secretariat_comments_and_proposes_on_the_special_part(client, secretariat, region):
    adopted_general_part(region.host_county)
    agreement = draft_agreement(region)
    part = agreement.special_part
    comment = partnership_services.comment_add(special_part=part, section="strengths", text="Godt.", actor=secretariat)
    proposal = partnership_services.proposal_create(
        special_part=part,
        section="introduction",
        proposed_text="Regionen har svært sterke fagmiljøer.",
        actor=secretariat,
    )
    assert comment.author_role == proposal.author_role == Appointment.Role.REGION_SECRETARIAT
    client.force_login(secretariat)
    page = client.get(reverse("partnerships:special-part-negotiation", args=[part.pk])).content.decode()
    assert "Regionsekretariat" in page


def test_the_secretariat_loses_access_the_day_the_appointment_ends(client, secretariat, region):
    case = case_services.case_create(actor=secretariat, title="Utkast", origin_region=region)
    adopted_general_part(region.host_county)
    agreement = draft_agreement(region)
    urls = [case.get_absolute_url(), agreement.get_absolute_url(), reverse("cases:case-update", args=[case.pk])]
    client.force_login(secretariat)
    for url in urls:
        assert client.get(url).status_code == 200, url
    _end(secretariat)
    for url in urls:
        assert client.get(url).status_code == 404, url
    with pytest.raises(PermissionDenied):
        case_services.case_create(actor=User.objects.get(pk=secretariat.pk), title="Ny", origin_region=region)


def test_the_secretariat_keeps_access_until_the_day_the_appointment_ends(client, secretariat, region):
    case = case_services.case_create(actor=secretariat, title="Utkast", origin_region=region)
    _end(secretariat, on=timezone.localdate() + datetime.timedelta(days=1))
    client.force_login(secretariat)
    assert client.get(case.get_absolute_url()).status_code == 200
    assert region.pk in region_ids_led_now(user=User.objects.get(pk=secretariat.pk))


def test_an_act_after_the_appointment_ended_keeps_the_role_it_was_done_in(secretariat, region):
    case = _submitted_case(secretariat, region)
    _end(secretariat)
    event = CaseEvent.objects.filter(case=case, action=CaseEvent.Action.SUBMITTED).get()
    assert event.actor_role == Appointment.Role.REGION_SECRETARIAT
    assert role_acted_in(user=User.objects.get(pk=secretariat.pk), region_ids=[region.pk]) == ""


def test_the_secretariat_is_told_of_the_agenda_cutoff_until_its_appointment_ends(adviser, secretariat, region):
    """It prepares the meetings: the notice to propose agenda items reaches it as it reaches the leader."""
    from notifications.models import Message

    meeting_services.meeting_create(
        actor=adviser,
        title="Regionrådsmøte",
        start=oslo(2030, 2, 12, 9),
        end=oslo(2030, 2, 12, 12),
        region=region,
        now=NOW,
    )
    person = secretariat.person
    cutoff = Message.objects.filter(kind="meetings.cutoff", state=Message.State.PENDING)
    assert person.pk in set(cutoff.values_list("payload__person_id", flat=True))
    _end(secretariat)
    assert person.pk not in set(cutoff.values_list("payload__person_id", flat=True))
