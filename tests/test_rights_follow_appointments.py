"""Rights follow the *current* appointment on every surface: meetings (pages, agenda and minutes PDFs,
.ics), feeds, reminders and invitations, agreements, cases and notifications. Ending an appointment ends
them at once; a new appointee gets them. One setup: a region with its leader, its county councillor and
an upcoming meeting they are both invited to; each test varies one condition."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from accounts.models import User
from cases import services as case_services
from cases.models import Case
from meetings import services as meeting_services
from meetings.models import CalendarFeed, Meeting, Participant
from notifications.models import Message
from notifications.sweep import message_sweep
from partnerships import services as partnership_services
from regions import services as region_services
from regions.models import Appointment
from tests.factories import PersonFactory, UserFactory, an_adviser
from tests.meetings.factories import NOW, appoint, oslo
from tests.partnerships.factories import adopted_general_part, draft_agreement

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox = []


@pytest.fixture
def councillor(region):
    return appoint(region, Appointment.Role.COUNTY_COUNCILLOR, "councillor", with_user=True)


@pytest.fixture
def meeting(adviser, region, leader, councillor):
    """Tuesday 12 February 2030 at 09:00; the leader and the councillor are invited by their appointments."""
    meeting = meeting_services.meeting_create(
        actor=adviser,
        title="Regionrådsmøte",
        start=oslo(2030, 2, 12, 9),
        end=oslo(2030, 2, 12, 12),
        region=region,
        now=NOW,
    )
    meeting_services.agenda_item_add(meeting=meeting, actor=adviser, title="Samferdsel", lane="planned", now=NOW)
    return meeting


def _appointment_of(user):
    return Appointment.objects.get(person__user=user)


def _end(user):
    """The adviser ends the appointment today, through the registry's service."""
    return region_services.appointment_end(
        actor=an_adviser(), appointment=_appointment_of(user), valid_to=timezone.localdate()
    )


def _meeting_urls(meeting):
    return [
        meeting.get_absolute_url(),
        reverse("meetings:meeting-pdf", args=[meeting.pk, "sakliste"]),
        reverse("meetings:meeting-pdf", args=[meeting.pk, "referat"]),
        reverse("meetings:meeting-ics", args=[meeting.pk]),
    ]


def _uids(response):
    return {str(event["UID"]) for event in Calendar.from_ical(response.content).walk("VEVENT")}


def _deliver_everything_due_before_the_meeting(meeting):
    """Sweep as the day before the meeting: every reminder and invitation planned for it is due."""
    return message_sweep(now=meeting.start - datetime.timedelta(hours=12))


def _mail_to(user_or_person):
    """What reached the person: at their registry address or their user account's."""
    addresses = {getattr(user_or_person, "email", "")}
    person = getattr(user_or_person, "person", None)
    if person is not None:
        addresses.add(person.email)
    user = getattr(user_or_person, "user", None)
    if user is not None:
        addresses.add(user.email)
    addresses.discard("")
    return [m for m in mail.outbox if addresses & set(m.to)]


# --- meeting pages --------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["leader", "councillor"])
def test_meeting_pages_answer_404_once_the_appointment_has_ended(client, meeting, leader, councillor, who):
    user = leader if who == "leader" else councillor.user
    client.force_login(user)
    for url in _meeting_urls(meeting):
        assert client.get(url).status_code == 200, url
    _end(user)
    for url in _meeting_urls(meeting):
        assert client.get(url).status_code == 404, url
    listing = client.get(reverse("meetings:index")).content.decode()
    assert meeting.get_absolute_url() not in listing
    calendar = client.get(reverse("meetings:calendar", args=[2030, 2])).content.decode()
    assert meeting.get_absolute_url() not in calendar
    mine = client.get(reverse("meetings:mine")).content.decode()
    assert meeting.get_absolute_url() not in mine


def test_rights_end_on_the_day_the_appointment_ends_not_before(client, meeting, leader):
    """valid_to is the first day without the role: ending it from next month keeps access until then."""
    region_services.appointment_end(
        actor=an_adviser(),
        appointment=_appointment_of(leader),
        valid_to=timezone.localdate() + datetime.timedelta(days=30),
    )
    client.force_login(leader)
    assert client.get(meeting.get_absolute_url()).status_code == 200


def test_a_guest_invited_by_name_keeps_access_without_an_appointment(client, adviser, meeting):
    guest_user = UserFactory(username="gjest")
    guest = PersonFactory(name="Gjest", user=guest_user, email="gjest@example.no")
    meeting_services.participant_add(meeting=meeting, actor=adviser, person=guest, guest_reason="Innleder", now=NOW)
    client.force_login(guest_user)
    assert client.get(meeting.get_absolute_url()).status_code == 200


# --- feeds ----------------------------------------------------------------------------------------


def test_the_region_feed_of_a_former_leader_answers_404(client, meeting, leader, region):
    feed = meeting_services.feed_get_or_create(actor=leader, region=region)
    url = reverse("meetings:feed", args=[feed.token])
    assert meeting.uid in _uids(client.get(url))
    _end(leader)
    assert client.get(url).status_code == 404


def test_the_personal_feed_drops_meetings_of_an_ended_appointment(client, meeting, councillor):
    feed = meeting_services.feed_get_or_create(actor=councillor.user)
    url = reverse("meetings:feed", args=[feed.token])
    assert meeting.uid in _uids(client.get(url))
    _end(councillor.user)
    assert meeting.uid not in _uids(client.get(url))


def test_a_former_leader_cannot_create_a_region_feed(client, meeting, leader, region):
    _end(leader)
    client.force_login(leader)
    # The region is public (the registry), following its meetings no longer theirs: 403, no link made.
    assert client.post(reverse("meetings:feed-create"), {"region": region.slug}).status_code == 403
    assert not CalendarFeed.objects.filter(owner=leader, region=region).exists()


# --- invitations and reminders --------------------------------------------------------------------


def test_ending_an_appointment_takes_the_person_off_upcoming_meetings_and_cancels_their_reminders(
    meeting, leader, councillor
):
    leader_person = _appointment_of(leader).person
    pending = Message.objects.filter(payload__person_id=leader_person.pk, state=Message.State.PENDING)
    assert pending.exists()
    _end(leader)
    assert not Participant.objects.filter(meeting=meeting, person=leader_person).exists()
    assert not pending.exists()
    assert Participant.objects.filter(meeting=meeting, person=councillor).exists()


def test_a_reminder_due_after_the_appointment_ended_is_not_sent(meeting, leader, councillor):
    """Also when the end was recorded past the services (an import, a database fix): the reminder is
    checked against the appointment when it is sent."""
    Appointment.objects.filter(person__user=leader).update(valid_to=timezone.localdate())
    _deliver_everything_due_before_the_meeting(meeting)
    assert _mail_to(councillor), "the councillor still gets the reminders"
    assert not _mail_to(leader), [m.subject for m in _mail_to(leader)]


def test_an_invitation_is_not_sent_to_a_former_leader(adviser, meeting, leader, councillor):
    Appointment.objects.filter(person__user=leader).update(valid_to=timezone.localdate())
    meeting_services.agenda_publish(meeting=meeting, actor=adviser, now=NOW)
    message_sweep(now=NOW)
    assert any("Invitasjon" in m.subject or "Innkalling" in m.subject for m in _mail_to(councillor))
    assert not _mail_to(leader)


def test_the_cutoff_notice_goes_to_the_current_leader_only(meeting, leader, region):
    old = _appointment_of(leader).person
    _end(leader)
    successor = UserFactory(username="ny_leder", email="ny.leder@example.no", role=User.Role.REGION_LEADER)
    region_services.appointment_start(
        actor=an_adviser(),
        person=PersonFactory(name="Ny Leder", user=successor, email=successor.email),
        role=Appointment.Role.REGION_COUNCIL_LEADER,
        region=region,
        valid_from=timezone.localdate(),
    )
    cutoff = Message.objects.filter(kind="meetings.cutoff", state=Message.State.PENDING)
    assert set(cutoff.values_list("payload__person_id", flat=True)) == {successor.person.pk}
    assert old.pk not in set(cutoff.values_list("payload__person_id", flat=True))


def test_a_new_appointee_is_invited_to_upcoming_meetings_and_gets_their_reminders(client, meeting, leader, region):
    _end(leader)
    successor = UserFactory(username="ny_leder", email="ny.leder@example.no", role=User.Role.REGION_LEADER)
    person = PersonFactory(name="Ny Leder", user=successor, email=successor.email)
    region_services.appointment_start(
        actor=an_adviser(),
        person=person,
        role=Appointment.Role.REGION_COUNCIL_LEADER,
        region=region,
        valid_from=timezone.localdate(),
    )
    assert Participant.objects.filter(meeting=meeting, person=person).exists()
    client.force_login(successor)
    assert client.get(meeting.get_absolute_url()).status_code == 200
    _deliver_everything_due_before_the_meeting(meeting)
    subjects = [m.subject for m in _mail_to(successor)]
    assert any("Regionrådsmøte" in subject for subject in subjects), subjects
    assert not _mail_to(leader)


def test_a_cancelled_or_past_meeting_keeps_its_participant_list(adviser, meeting, leader):
    """History is not rewritten: only meetings still ahead change their invitations."""
    meeting_services.meeting_cancel(meeting=meeting, actor=adviser, reason="Ingen saker", now=NOW)
    _end(leader)
    assert Participant.objects.filter(meeting=meeting, person__user=leader).exists()
    assert Meeting.objects.get(pk=meeting.pk).status == Meeting.Status.CANCELLED


# --- agreements -----------------------------------------------------------------------------------


def test_a_former_leader_gets_404_for_the_regions_draft_agreement(client, region, leader):
    adopted_general_part(region.host_county)
    agreement = draft_agreement(region)
    client.force_login(leader)
    urls = [agreement.get_absolute_url(), reverse("partnerships:special-part-detail", args=[agreement.special_part_id])]
    for url in urls:
        assert client.get(url).status_code == 200, url
    _end(leader)
    for url in urls:
        assert client.get(url).status_code == 404, url


def test_a_proposal_decision_is_not_sent_to_a_former_leader(adviser, region, leader):
    adopted_general_part(region.host_county)
    agreement = draft_agreement(region)
    proposal = partnership_services.proposal_create(
        special_part=agreement.special_part,
        section="introduction",
        proposed_text="Regionen har svært sterke fagmiljøer.",
        actor=leader,
    )
    _end(leader)
    partnership_services.proposal_reject(proposal=proposal, actor=adviser, note="Ikke nå")
    message_sweep()
    assert not _mail_to(leader)


# --- cases and their notifications ----------------------------------------------------------------


def test_a_case_notification_due_after_the_appointment_ended_is_not_sent(client, adviser, region, leader):
    case = case_services.case_create(
        actor=leader, title="Ny fylkesvei", origin_region=region, visibility=Case.Visibility.INTERNAL
    )
    case_services.case_submit(case=case, actor=leader)
    message_sweep()
    mail.outbox = []
    _end(leader)
    client.force_login(leader)
    assert client.get(case.get_absolute_url()).status_code == 404
    case_services.case_receive(case=case, actor=adviser)
    message_sweep()
    assert not _mail_to(leader)


def test_ending_an_appointment_in_the_admin_has_the_same_consequences(client, admin_user, meeting, leader):
    appointment = _appointment_of(leader)
    client.force_login(admin_user)
    url = reverse("admin:regions_appointment_change", args=[appointment.pk])
    form = {
        "person": appointment.person_id,
        "role": appointment.role,
        "region": appointment.region_id,
        "valid_from": appointment.valid_from.isoformat(),
        "valid_to": timezone.localdate().isoformat(),
        "appointed_by": "",
        "decision_reference": "",
        "party": "",
        "side": "",
        "note": "",
    }
    response = client.post(url, form)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert not Participant.objects.filter(meeting=meeting, person=appointment.person).exists()
    assert not Message.objects.filter(payload__person_id=appointment.person_id, state=Message.State.PENDING).exists()
