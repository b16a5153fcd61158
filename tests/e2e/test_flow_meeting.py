"""A meeting series made in the browser, an agenda with a case published, and the leader's invitation
delivered by a real Celery worker with an .ics that a calendar program can read (PostgreSQL only)."""

import datetime
import re

import icalendar
import pytest

from cases.models import Case
from meetings.models import Meeting
from notifications.models import Message
from regions.models import Person
from tests.cases.factories import CaseFactory
from tests.reliability.processes import message_key, wait_until

pytestmark = pytest.mark.e2e

SERIES_TITLE = "Regionrådsmøte Indre Østfold (e2e)"
CASE_TITLE = "Felles innspill til regional transportplan"


def test_adviser_publishes_an_agenda_and_the_leader_gets_an_invitation_with_a_calendar_file(
    world, celery_worker, browser_page, login_as, screenshot
):
    leader, adviser = world.user("leader_a"), world.user("adviser")
    case = CaseFactory(
        title=CASE_TITLE,
        origin_region=world.region_a,
        created_by=leader,
        status=Case.Status.SUBMITTED,
        reference="2026-0901",
    )
    first_date = datetime.date.today() + datetime.timedelta(days=45)
    page = login_as(browser_page, adviser)

    # A monthly series for the region, from the series form.
    page.goto("/moter/serier/ny/")
    screenshot(page, "flow-meeting-1-series-new-adviser")
    page.fill("#id_title", SERIES_TITLE)
    page.select_option("#id_region", str(world.region_a.pk))
    page.fill("#id_rrule", "FREQ=MONTHLY")
    page.fill("#id_first_date", first_date.isoformat())
    page.fill("#id_start_time", "09:00")
    page.fill("#id_location", "Rådhuset i Askim")
    with page.expect_navigation():
        page.locator("main form [type=submit]").last.click()
    assert page.locator("h1").inner_text() == SERIES_TITLE, page.locator("main").inner_text()[:500]
    screenshot(page, "flow-meeting-2-series-adviser")
    meeting = Meeting.objects.filter(series__title=SERIES_TITLE).order_by("start").first()
    assert meeting is not None, "creating the series generates its meetings"
    assert meeting.start.date() == first_date
    assert meeting.participants.filter(person__user=leader).exists(), "the leader is invited by default"

    # The agenda: the builder offers the region's open case; it is put on the meeting from the case page.
    page.goto(meeting.get_absolute_url())
    with page.expect_navigation():
        page.locator("main a[href$='/sakliste/']").first.click()
    assert CASE_TITLE in page.locator("main").inner_text(), "the builder offers the region's open case"
    screenshot(page, "flow-meeting-3-agenda-builder-adviser")
    page.goto(case.get_absolute_url())
    page.locator("main details:has(form[action$='/motekart/']) summary").click()
    agenda = page.locator("main form[action$='/motekart/']")
    agenda.locator("select[name=meeting]").select_option(str(meeting.pk))
    agenda.locator("select[name=lane]").select_option("planned")
    with page.expect_navigation():
        agenda.locator("button").click()
    assert meeting.agenda_items.filter(case=case).exists(), page.locator("main").inner_text()[:800]
    page.goto(meeting.get_absolute_url())
    with page.expect_navigation():
        page.locator("main form[action$='/publiser/'] button").click()
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.PUBLISHED
    assert CASE_TITLE in page.locator("main").inner_text()
    screenshot(page, "flow-meeting-4-published-adviser")

    # The worker delivers the leader's invitation, with an .ics attachment.
    prefix = f"meetings:{meeting.pk}:invitation:p"
    invitations = Message.objects.filter(key__startswith=prefix, recipient=leader)
    assert invitations.count() == 1, list(Message.objects.filter(key__startswith=prefix).values("key", "recipient"))
    key = invitations.get().key
    wait_until(
        lambda: Message.objects.filter(key=key, state=Message.State.SENT).exists(),
        timeout=60,
        what="the worker to deliver the invitation",
    )
    mails = [mail for mail in celery_worker.mail_messages() if message_key(mail).startswith(key)]
    assert len(mails) == 1, "one e-mail for the invitation"
    mail = mails[0]
    # The registry address comes first (meetings.services._person_address), the account address second.
    assert Person.objects.get(user=leader).email in mail["To"]
    calendars = [part for part in mail.walk() if part.get_content_type() == "text/calendar"]
    assert len(calendars) == 1, [part.get_content_type() for part in mail.walk()]
    assert re.match(r"mote-\d+\.ics", calendars[0].get_filename() or "")
    calendar = icalendar.Calendar.from_ical(calendars[0].get_payload(decode=True))
    assert str(calendar["METHOD"]) == "REQUEST"
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 1
    event = events[0]
    assert str(event["UID"]) == f"meeting-{meeting.pk}@regionportalen"
    assert event.decoded("DTSTART") == meeting.start
    assert event.decoded("DTEND") == meeting.end
    assert "Rådhuset i Askim" in str(event.get("LOCATION", ""))

    # The leader sees the published meeting and its agenda.
    page.context.clear_cookies()
    login_as(page, leader)
    page.goto(meeting.get_absolute_url())
    assert CASE_TITLE in page.locator("main").inner_text()
    screenshot(page, "flow-meeting-5-meeting-leader")
