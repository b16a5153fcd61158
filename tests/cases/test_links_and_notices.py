"""Agenda links, panels and outbox rendering of case notices."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cases import services
from notifications.models import Message, Notification
from notifications.sweep import message_sweep

from .conftest import NOW

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(region):
    from meetings.models import Meeting

    start = timezone.now() + datetime.timedelta(days=30)
    return Meeting.objects.create(
        region=region, title="Regionrådsmøte", start=start, end=start + datetime.timedelta(hours=3)
    )


def test_adviser_puts_case_on_regions_meeting_and_page_links_to_it(client, adviser, submitted, meeting):
    client.force_login(adviser)
    page = client.get(submitted.get_absolute_url()).content.decode()
    assert reverse("cases:case-agenda-add", args=[submitted.pk]) in page
    client.post(reverse("cases:case-agenda-add", args=[submitted.pk]), {"meeting": meeting.pk, "lane": "planned"})
    item = submitted.agenda_items.get()
    assert item.meeting == meeting
    assert meeting.get_absolute_url() in client.get(submitted.get_absolute_url()).content.decode()


def test_other_leader_cannot_put_case_on_agenda(client, other_leader, submitted, meeting):
    submitted.visibility = "shared"
    submitted.save()
    client.force_login(other_leader)
    response = client.post(
        reverse("cases:case-agenda-add", args=[submitted.pk]), {"meeting": meeting.pk, "lane": "planned"}
    )
    assert response.status_code == 403
    assert not submitted.agenda_items.exists()


def test_region_page_panel_lists_visible_cases(client, leader, submitted, region):
    from django.test import RequestFactory

    from core.panels import region_panels

    request = RequestFactory().get("/")
    request.user = leader
    panels = region_panels.collect(request, region, NOW.date())
    ours = [p for p in panels if p["template"] == "cases/_region_panel.html"]
    assert ours and submitted in ours[0]["context"]["cases"]


def test_event_notice_is_rendered_in_bokmal_and_shown_in_app(adviser, submitted):
    message_sweep(now=timezone.now())
    notice = Notification.objects.get(user=adviser)
    assert submitted.reference in notice.title
    assert notice.title.startswith("Sak ")
    assert notice.url == submitted.get_absolute_url()


def test_reminder_for_a_moved_deadline_is_cancelled_not_sent(routed, adviser, staff):
    old = Message.objects.filter(kind="cases.deadline", recipient=staff).first()
    # Move the deadline behind the outbox's back: the renderer must see the reminder is obsolete.
    type(routed).objects.filter(pk=routed.pk).update(deadline=datetime.date(2030, 6, 1))
    Message.objects.filter(pk=old.pk).update(available_at=timezone.now() - datetime.timedelta(minutes=1))
    message_sweep(now=timezone.now())
    old.refresh_from_db()
    assert old.state == Message.State.CANCELLED


def test_reminder_is_sent_while_the_routing_waits(routed, staff):
    reminder = Message.objects.filter(kind="cases.deadline", recipient=staff).first()
    Message.objects.filter(pk=reminder.pk).update(available_at=timezone.now() - datetime.timedelta(minutes=1))
    message_sweep(now=timezone.now())
    reminder.refresh_from_db()
    assert reminder.state == Message.State.SENT
    assert "Påminnelse" in reminder.subject


def test_leader_sees_only_shared_events_in_timeline(client, leader, submitted, adviser):
    services.case_flag(case=submitted, actor=adviser, problem="Intern vurdering: uklart", now=NOW)
    client.force_login(leader)
    assert "Intern vurdering" not in client.get(submitted.get_absolute_url()).content.decode()
    client.force_login(adviser)
    assert "Intern vurdering" in client.get(submitted.get_absolute_url()).content.decode()


def test_event_notice_states_the_status_of_its_step_when_the_case_has_moved_on(routed, leader):
    """Sent after the case was routed, the "Mottatt" notice said "Status: Fordelt": it now names the
    status the step led to and adds where the case is now."""
    message_sweep(now=timezone.now())
    received = Message.objects.get(recipient=leader, kind="cases.event", subject__contains=": Mottatt –")
    lines = Notification.objects.get(message=received).body.splitlines()
    assert "Status: Mottatt av fagenheten" in lines
    assert "Status nå: Fordelt" in lines


def test_the_answer_sent_notice_carries_the_answer(routed, adviser, staff, leader):
    """The region's leader was told "Svar sendt" but had to log in to read the answer."""
    routing = routed.routings.get()
    services.routing_answer(routing=routing, actor=staff, answer="Internt svar fra Samferdsel.", now=NOW)
    routed.refresh_from_db()
    services.case_send_answer(case=routed, actor=adviser, answer="Fylket prioriterer strekningen i 2031.", now=NOW)
    message_sweep(now=timezone.now())
    sent = Message.objects.get(recipient=leader, kind="cases.event", subject__contains=": Svar sendt –")
    body = Notification.objects.get(message=sent).body
    assert "Fylkets svar:" in body and "Fylket prioriterer strekningen i 2031." in body
    assert "Internt svar" not in body
