import datetime

import pytest
from django.core import mail
from icalendar import Calendar

from meetings import services
from meetings.models import AgendaItem, Participant
from notifications.models import Message, Notification
from notifications.sweep import message_sweep

from .factories import NOW, oslo


def reminder_mail(subject_part):
    return [m for m in mail.outbox if subject_part in m.subject]


def test_sweep_run_twice_sends_each_reminder_once(meeting):
    day_before = oslo(2030, 2, 11, 9, 1)
    message_sweep(now=day_before)
    first = len(mail.outbox)
    message_sweep(now=day_before)
    assert first == len(mail.outbox)
    # Three invited people, two lead times (7 and 1 days), and the leader's cut-off reminder.
    reminders = Message.objects.filter(kind="meetings.reminder")
    assert reminders.count() == 6
    assert set(reminders.values_list("state", flat=True)) == {Message.State.SENT}
    recipients = sorted(m.to[0] for m in mail.outbox if m.subject.endswith(("7 days", "7 dager")))
    assert len(recipients) == len(set(recipients)) == 3


def test_reminder_has_ics_attachment_and_in_app_notification(meeting, councillor):
    message_sweep(now=oslo(2030, 2, 5, 9, 1))
    sent = [m for m in mail.outbox if m.to == ["councillor@example.no"]]
    assert len(sent) == 1
    filename, content, mimetype = sent[0].attachments[0]
    assert mimetype == "text/calendar"
    event = Calendar.from_ical(content).walk("VEVENT")[0]
    assert str(event["UID"]) == f"meeting-{meeting.pk}@regionportalen"
    assert Notification.objects.filter(user=councillor.user).count() == 1


def test_moved_meetings_old_reminders_are_not_sent_and_new_ones_are(meeting, adviser):
    services.meeting_move(
        meeting=meeting, actor=adviser, start=oslo(2030, 2, 19, 9), end=oslo(2030, 2, 19, 12), now=NOW
    )
    # When the old 7-day reminders would have been due nothing goes out.
    message_sweep(now=oslo(2030, 2, 5, 9, 1))
    assert reminder_mail("Regionrådsmøte") == []
    # A week later the reminders planned for the new start go out.
    message_sweep(now=oslo(2030, 2, 12, 9, 1))
    sent = [m for m in reminder_mail("Regionrådsmøte") if m.attachments]  # the leader's cut-off notice has none
    assert len(sent) == 3
    event = Calendar.from_ical(sent[0].attachments[0][1]).walk("VEVENT")[0]
    assert event.decoded("DTSTART") == oslo(2030, 2, 19, 9)
    assert Message.objects.filter(kind="meetings.reminder", state=Message.State.CANCELLED).count() == 6


def test_reminder_rows_are_cancelled_by_the_renderer_when_the_start_changed_behind_its_back(meeting):
    # A change made outside the services (e.g. in the admin) does not re-plan, but the stale
    # reminders still are not sent: the renderer compares the planned start with the meeting's.
    type(meeting).objects.filter(pk=meeting.pk).update(start=oslo(2030, 2, 12, 10))
    counts = message_sweep(now=oslo(2030, 2, 5, 9, 1))
    assert counts["sent"] == 0 and counts["cancelled"] >= 3
    assert mail.outbox == []


def test_cancelling_sends_a_cancellation_with_method_cancel_and_drops_reminders(meeting, adviser):
    services.meeting_cancel(meeting=meeting, actor=adviser, reason="Sykdom", now=NOW)
    message_sweep(now=oslo(2030, 2, 11, 9, 1))
    assert len(mail.outbox) == 3
    cal = Calendar.from_ical(mail.outbox[0].attachments[0][1])
    assert str(cal["METHOD"]) == "CANCEL"
    assert str(cal.walk("VEVENT")[0]["STATUS"]) == "CANCELLED"
    assert not Message.objects.filter(kind="meetings.reminder", state=Message.State.SENT).exists()


def test_declined_participant_gets_no_reminders(meeting, adviser, rep):
    participant = Participant.objects.get(meeting=meeting, person=rep)
    services.participant_set_status(participant=participant, actor=adviser, status=Participant.Status.DECLINED)
    message_sweep(now=oslo(2030, 2, 11, 9, 1))
    assert all(m.to != ["rep@example.no"] for m in mail.outbox if "Regionrådsmøte" in m.subject)


def test_leader_gets_the_agenda_cutoff_reminder_before_the_cutoff(meeting, leader):
    message_sweep(now=oslo(2030, 2, 2, 9, 1))  # cut-off 5 Feb 09:00, reminder three days before
    cutoff = [m for m in mail.outbox if m.to == [leader.person.email]]
    assert len(cutoff) == 1


@pytest.fixture
def broker_down():
    """Point the Celery app at a closed port, as when Redis is unreachable."""
    from viken.celery import app

    saved = (app.conf.broker_url, app.conf.broker_transport_options)
    app.conf.broker_url = "redis://127.0.0.1:1/0"
    app.conf.broker_transport_options = {"socket_connect_timeout": 0.2, "max_retries": 0}
    app.pool.force_close_all()
    app._pool = None
    try:
        yield
    finally:
        app.conf.broker_url, app.conf.broker_transport_options = saved
        app.pool.force_close_all()
        app._pool = None


def test_publishing_while_the_broker_is_unreachable_succeeds_and_the_next_sweep_sends(
    meeting, adviser, broker_down, django_capture_on_commit_callbacks
):
    services.agenda_item_add(meeting=meeting, actor=adviser, title="NTP", lane=AgendaItem.Lane.PLANNED, now=NOW)
    with django_capture_on_commit_callbacks(execute=True):
        published = services.agenda_publish(meeting=meeting, actor=adviser, now=datetime.datetime.now(datetime.UTC))
    assert published.status == "published"
    # The leader, the councillor and the representative, and the organising adviser as its chair.
    assert Message.objects.filter(kind="meetings.invitation", state=Message.State.PENDING).count() == 4
    message_sweep()
    invitations = [m for m in mail.outbox if "NTP" in m.body]
    assert len(invitations) == 4
    assert not Message.objects.filter(kind="meetings.invitation").exclude(state=Message.State.SENT).exists()


def test_an_invitation_names_its_organiser_who_gets_it_too_and_replies_reach_a_person(meeting, adviser, settings):
    """Calendar replies went to a no-reply address and the organising adviser was not invited."""
    from icalendar import Calendar

    settings.REPLY_TO_EMAIL = "postmottak@fylke.example.no"
    services.agenda_item_add(meeting=meeting, actor=adviser, title="NTP", lane=AgendaItem.Lane.PLANNED, now=NOW)
    services.agenda_publish(meeting=meeting, actor=adviser, now=NOW)
    message_sweep(now=NOW)
    invitations = [m for m in mail.outbox if m.subject.startswith("Innkalling")]
    assert adviser.email in {m.to[0] for m in invitations}
    for email in invitations:
        assert email.reply_to == [adviser.email]
        assert f"Et svar går til {adviser.email}." in email.body
        ics = next(content for name, content, _type in email.attachments if name.endswith(".ics"))
        event = Calendar.from_ical(ics).walk("VEVENT")[0]
        assert str(event["ORGANIZER"]) == f"mailto:{adviser.email}"
        assert event["ORGANIZER"].params["CN"] == adviser.get_full_name()
        role = "CHAIR" if email.to[0] == adviser.email else "REQ-PARTICIPANT"
        assert event["ATTENDEE"].params["ROLE"] == role and str(event["ATTENDEE"]) == f"mailto:{email.to[0]}"


def test_without_an_organiser_replies_go_to_the_coordination_unit_or_the_e_mail_says_none_are_read(
    adviser, region, settings
):
    from tests.outbox import notify

    notify(user=adviser, key="t.1", subject="Hei", body="Tekst")
    message_sweep()
    assert mail.outbox[-1].reply_to == []
    assert "Ikke svar på den." in mail.outbox[-1].body or "Ikke svar" in mail.outbox[-1].body
    settings.REPLY_TO_EMAIL = "postmottak@fylke.example.no"
    notify(user=adviser, key="t.2", subject="Hei", body="Tekst")
    message_sweep()
    assert mail.outbox[-1].reply_to == ["postmottak@fylke.example.no"]
