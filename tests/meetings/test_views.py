import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from icalendar import Calendar

from meetings import services
from meetings.models import AgendaItem, CalendarFeed, Meeting, Participant
from regions.models import Appointment
from tests.factories import PersonFactory

from .factories import NOW, appoint, oslo


@pytest.fixture
def other_meeting(adviser, other_region):
    return services.meeting_create(
        actor=adviser,
        title="Follo regionråd",
        start=oslo(2030, 2, 14, 9),
        end=oslo(2030, 2, 14, 12),
        region=other_region,
        now=NOW,
    )


def test_leader_sees_their_regions_meeting_and_gets_404_for_another_regions(client, leader, meeting, other_meeting):
    client.force_login(leader)
    assert client.get(meeting.get_absolute_url()).status_code == 200
    assert client.get(other_meeting.get_absolute_url()).status_code == 404
    assert client.get(reverse("meetings:meeting-ics", args=[other_meeting.pk])).status_code == 404
    assert client.get(reverse("meetings:meeting-pdf", args=[other_meeting.pk, "sakliste"])).status_code == 404
    listing = client.get(reverse("meetings:index")).content.decode()
    assert "Regionrådsmøte" in listing and "Follo regionråd" not in listing


def test_leader_cannot_open_the_agenda_builder(client, leader, other_leader, meeting):
    """The leader sees their region's meeting, so the builder is forbidden (403); the leader of
    another region does not see it, so for them it is not there (404). docs/adr/0004."""
    client.force_login(leader)
    assert client.get(reverse("meetings:agenda-builder", args=[meeting.pk])).status_code == 403
    client.force_login(other_leader)
    assert client.get(reverse("meetings:agenda-builder", args=[meeting.pk])).status_code == 404


def test_leader_proposes_an_item_for_their_region_before_the_cutoff(client, leader, meeting):
    client.force_login(leader)
    url = reverse("meetings:agenda-propose", args=[meeting.pk])
    response = client.post(url, {"title": "Fylkesvei 120", "lane": "planned", "description": "Trafikksikkerhet"})
    assert response.status_code == 302
    item = AgendaItem.objects.get(meeting=meeting)
    assert item.state == AgendaItem.State.PROPOSED and item.presenter_side == "region"


def test_leader_cannot_propose_for_another_region(client, leader, other_meeting):
    client.force_login(leader)
    response = client.post(
        reverse("meetings:agenda-propose", args=[other_meeting.pk]), {"title": "x", "lane": "planned"}
    )
    assert response.status_code == 404
    assert not AgendaItem.objects.exists()


def test_cutoff_rule(meeting, leader, adviser):
    after_cutoff = oslo(2030, 2, 6, 9)  # cut-off was 5 February 09:00
    with pytest.raises(ValidationError):
        services.agenda_item_add(meeting=meeting, actor=leader, title="For sent", lane="planned", now=after_cutoff)
    with pytest.raises(ValidationError) as planned:
        services.agenda_item_add(meeting=meeting, actor=adviser, title="Plan", lane="planned", now=after_cutoff)
    assert "lane" in planned.value.error_dict
    with pytest.raises(ValidationError) as no_reason:
        services.agenda_item_add(meeting=meeting, actor=adviser, title="Akutt", lane="urgent", now=after_cutoff)
    assert "reason" in no_reason.value.error_dict
    assert not AgendaItem.objects.exists()
    item = services.agenda_item_add(
        meeting=meeting, actor=adviser, title="Akutt", lane="urgent", reason="Frist fra staten", now=after_cutoff
    )
    assert item.late_reason == "Frist fra staten"
    before = oslo(2030, 2, 5, 8, 59)
    assert services.agenda_item_add(meeting=meeting, actor=leader, title="I tide", lane="planned", now=before)


def test_urgent_item_after_cutoff_without_reason_is_refused_in_the_builder_with_a_message(client, adviser, region):
    soon = services.meeting_create(
        actor=adviser,
        title="Snart",
        start=datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=2),
        end=datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=2, hours=2),
        region=region,
    )
    client.force_login(adviser)
    response = client.post(
        reverse("meetings:agenda-builder", args=[soon.pk]),
        {"title": "Akutt", "lane": "urgent", "presenter_side": "county", "reason": ""},
    )
    assert response.status_code == 200
    assert "hastesak" in response.content.decode().lower()
    assert not AgendaItem.objects.filter(meeting=soon).exists()


def test_adviser_builds_publishes_and_the_page_shows_two_lanes(client, adviser, meeting):
    client.force_login(adviser)
    builder = reverse("meetings:agenda-builder", args=[meeting.pk])
    client.post(builder, {"title": "NTP", "lane": "planned", "presenter_side": "county"})
    client.post(builder, {"title": "Flom", "lane": "urgent", "presenter_side": "region"})
    assert client.get(builder).status_code == 200
    response = client.post(reverse("meetings:meeting-publish", args=[meeting.pk]))
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.PUBLISHED
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "NTP" in page and "Flom" in page


def test_agenda_and_minutes_pdf(client, adviser, meeting):
    item = services.agenda_item_add(meeting=meeting, actor=adviser, title="NTP", lane="planned", now=NOW)
    services.minutes_save(item=item, actor=adviser, outcome="decision", text="Vedtatt")
    client.force_login(adviser)
    for document in ("sakliste", "referat"):
        response = client.get(reverse("meetings:meeting-pdf", args=[meeting.pk, document]))
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF")


def test_participant_outside_the_region_is_refused_unless_a_guest_with_a_reason(adviser, meeting, other_region):
    outsider = appoint(other_region, Appointment.Role.REGION_COUNCIL_LEADER, "outsider")
    with pytest.raises(ValidationError) as error:
        services.participant_add(meeting=meeting, actor=adviser, person=outsider, now=NOW)
    assert "outsider" in str(error.value)
    assert not Participant.objects.filter(person=outsider).exists()
    guest = services.participant_add(
        meeting=meeting, actor=adviser, person=outsider, guest_reason="Felles sak om fylkesvei", now=NOW
    )
    assert guest.is_guest


def test_admin_participant_of_the_region_can_be_added(adviser, meeting, region):
    official = appoint(region, Appointment.Role.ADMINISTRATIVE_PARTICIPANT, "official")
    participant = services.participant_add(meeting=meeting, actor=adviser, person=official, now=NOW)
    assert participant.side == Participant.Side.ADMINISTRATIVE and not participant.is_guest


def test_feeds_parse_and_keep_uids_stable_across_changes(client, adviser, leader, meeting, region):
    feed = services.feed_get_or_create(actor=leader, region=region)
    url = reverse("meetings:feed", args=[feed.token])

    def events():
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == "text/calendar; charset=utf-8"
        return {str(e["UID"]): e for e in Calendar.from_ical(response.content).walk("VEVENT")}

    first = events()
    uid = f"meeting-{meeting.pk}@regionportalen"
    assert uid in first
    assert meeting.get_absolute_url() in str(first[uid]["DESCRIPTION"])
    services.meeting_move(
        meeting=meeting, actor=adviser, start=oslo(2030, 2, 13, 9), end=oslo(2030, 2, 13, 12), now=NOW
    )
    moved = events()
    assert uid in moved and int(moved[uid]["SEQUENCE"]) > int(first[uid]["SEQUENCE"])
    services.meeting_cancel(meeting=meeting, actor=adviser, now=NOW)
    cancelled = events()
    assert str(cancelled[uid]["STATUS"]) == "CANCELLED"
    assert int(cancelled[uid]["SEQUENCE"]) > int(moved[uid]["SEQUENCE"])


def test_personal_feed_shows_the_meetings_i_am_invited_to(client, councillor, meeting, other_meeting):
    feed = services.feed_get_or_create(actor=councillor.user)
    response = client.get(reverse("meetings:feed", args=[feed.token]))
    uids = {str(e["UID"]) for e in Calendar.from_ical(response.content).walk("VEVENT")}
    assert uids == {meeting.uid}


def test_wrong_or_revoked_feed_token_gives_404(client, leader, region):
    feed = services.feed_get_or_create(actor=leader, region=region)
    assert client.get(reverse("meetings:feed", args=["x" * 43])).status_code == 404
    new = services.feed_revoke(feed=feed, actor=leader)
    assert client.get(reverse("meetings:feed", args=[feed.token])).status_code == 404
    assert client.get(reverse("meetings:feed", args=[new.token])).status_code == 200


def test_feed_of_a_region_the_owner_no_longer_leads_answers_404(client, leader, meeting, region):
    """The link stops working like a revoked one (an empty calendar would still confirm the region)."""
    feed = services.feed_get_or_create(actor=leader, region=region)
    Appointment.objects.filter(person__user=leader).update(valid_to=datetime.date(2021, 1, 1))
    assert client.get(reverse("meetings:feed", args=[feed.token])).status_code == 404


def test_pages_render(client, adviser, meeting, councillor):
    client.force_login(adviser)
    for name, args in [
        ("meetings:index", []),
        ("meetings:calendar", [2030, 2]),
        ("meetings:calendar-current", []),
        ("meetings:mine", []),
        ("meetings:councillors", []),
        ("meetings:series-list", []),
        ("meetings:series-create", []),
        ("meetings:meeting-create", []),
        ("meetings:meeting-move", [meeting.pk]),
        ("meetings:meeting-edit", [meeting.pk]),
        ("meetings:meeting-cancel", [meeting.pk]),
        ("meetings:participant-add", [meeting.pk]),
        ("meetings:minutes-edit", [meeting.pk]),
    ]:
        response = client.get(reverse(name, args=args))
        assert response.status_code == 200, name
    calendar_page = client.get(reverse("meetings:calendar", args=[2030, 2])).content.decode()
    assert "Regionrådsmøte" in calendar_page and "<caption>" in calendar_page


def test_councillor_overview_marks_clashes(client, adviser, meeting, councillor, region):
    clash = services.meeting_create(
        actor=adviser,
        title="Kollisjon",
        start=oslo(2030, 2, 12, 11),
        end=oslo(2030, 2, 12, 13),
        body="Dialogmøte",
        now=NOW,
    )
    services.participant_add(meeting=clash, actor=adviser, person=councillor, now=NOW)
    from meetings.selectors import councillor_schedule

    row = next(r for r in councillor_schedule(now=NOW) if r["person"] == councillor)
    assert [entry["clash"] for entry in row["meetings"]] == [True, True]


def test_series_form_refuses_a_bad_rrule_with_a_message(client, adviser, region):
    client.force_login(adviser)
    response = client.post(
        reverse("meetings:series-create"),
        {
            "title": "Serie",
            "kind": "region_council",
            "region": region.pk,
            "rrule": "FREQ=SOMETIMES",
            "first_date": "2030-01-01",
            "start_time": "09:00",
            "duration_minutes": 180,
            "agenda_cutoff_days": 7,
            "reminder_lead_days": "7,1",
        },
    )
    assert response.status_code == 200
    assert "FREQ=MONTHLY;BYDAY=2TU" in response.content.decode()


def test_create_meeting_with_end_before_start_is_refused_by_the_form(client, adviser, region):
    client.force_login(adviser)
    response = client.post(
        reverse("meetings:meeting-create"),
        {
            "title": "x",
            "kind": "region_council",
            "region": region.pk,
            "date": "2030-03-01",
            "start_time": "12:00",
            "end_time": "09:00",
            "agenda_cutoff_days": 7,
            "reminder_lead_days": "7,1",
        },
    )
    assert response.status_code == 200
    assert not Meeting.objects.exists()


def test_home_and_region_panels(client, leader, meeting, region, rf):
    from meetings.panels import home_panel, region_panel

    request = rf.get("/")
    request.user = leader
    assert meeting in home_panel(request)["context"]["meetings"]
    assert meeting in region_panel(request, region, None)["context"]["meetings"]


def test_someone_without_a_region_sees_only_county_wide_meetings(client, meeting, adviser):
    from tests.factories import UserFactory

    wide = services.meeting_create(
        actor=adviser,
        title="Dialogmøte",
        start=oslo(2030, 3, 1, 9),
        end=oslo(2030, 3, 1, 15),
        body="Alle kommuner",
        kind="dialogue",
        now=NOW,
    )
    user = UserFactory(username="someone")
    PersonFactory(user=user)
    client.force_login(user)
    assert client.get(wide.get_absolute_url()).status_code == 200
    assert client.get(meeting.get_absolute_url()).status_code == 404
    assert CalendarFeed.objects.count() == 0


def test_ics_keeps_long_norwegian_titles_and_special_characters(client, adviser, meeting):
    title = "Møte om fylkesvei; bru, ferje og gang- og sykkelvei – " + "æøå " * 30
    services.meeting_update(meeting=meeting, actor=adviser, title=title.strip(), location="Rådhuset, sal 2")
    client.force_login(adviser)
    response = client.get(reverse("meetings:meeting-ics", args=[meeting.pk]))
    event = Calendar.from_ical(response.content).walk("VEVENT")[0]
    assert str(event["SUMMARY"]) == title.strip()
    assert str(event["LOCATION"]) == "Rådhuset, sal 2"
    assert all(len(line) <= 75 for line in response.content.split(b"\r\n"))


def test_adviser_pulls_a_case_onto_the_agenda_from_the_builder(client, adviser, meeting, region, other_region):
    from cases.models import Case
    from tests.cases.factories import CaseFactory

    case = CaseFactory(origin_region=region, status=Case.Status.RECEIVED, title="Bussveien")
    foreign = CaseFactory(origin_region=other_region, status=Case.Status.RECEIVED)
    client.force_login(adviser)
    url = reverse("meetings:agenda-case-add", kwargs={"pk": meeting.pk})

    response = client.post(url, {"case": case.pk, "lane": AgendaItem.Lane.PLANNED})

    assert response.status_code == 302
    assert AgendaItem.objects.filter(meeting=meeting, case=case).exists()
    # Another region's case, garbage and a case already on the agenda are not offered: 404, nothing added.
    for bad in (foreign.pk, "abc", case.pk):
        assert client.post(url, {"case": bad}).status_code == 404
    assert AgendaItem.objects.filter(meeting=meeting, case__isnull=False).count() == 1


def test_the_start_page_panel_writes_the_meeting_date_the_norwegian_way(client, leader, meeting):
    client.force_login(leader)

    page = client.get(reverse("portal:home")).content.decode()

    assert "tirsdag 12. februar 09:00" in page
    assert "Feb" not in page


def test_the_admin_cannot_move_or_cancel_a_meeting_past_its_reminders(client, admin_user, meeting):
    """Moving and cancelling re-plan reminders on the meeting page; the admin shows time and status read-only."""
    client.force_login(admin_user)

    page = client.get(reverse("admin:meetings_meeting_change", args=[meeting.pk])).content.decode()
    new_page = client.get(reverse("admin:meetings_meeting_add")).content.decode()

    assert 'name="start_0"' not in page and 'name="status"' not in page
    assert 'name="title"' in page
    assert 'name="start_0"' in new_page, "a new meeting still gets its time in the admin"


def test_a_regions_case_on_the_agenda_is_presented_by_the_region_and_named_once(client, adviser, meeting, region):
    """Pulled in from the agenda builder or put on from the case page, the item reads "Legges fram av:
    Regionen" (not "Fylket") and shows the case's reference once, beside the case's title."""
    from cases.models import Case
    from tests.cases.factories import CaseFactory

    from_builder = CaseFactory(origin_region=region, status=Case.Status.RECEIVED, title="Bussveien", reference="2030-7")
    from_case_page = CaseFactory(origin_region=region, status=Case.Status.RECEIVED, title="Fylkesvei 120")
    from_case_page.reference = "2030-8"
    from_case_page.save()
    client.force_login(adviser)
    client.post(reverse("meetings:agenda-case-add", kwargs={"pk": meeting.pk}), {"case": from_builder.pk})
    services.case_agenda_add(case=from_case_page, actor=adviser, meeting=meeting, lane="planned", now=NOW)

    page = client.get(meeting.get_absolute_url()).content.decode()
    for case in (from_builder, from_case_page):
        item = AgendaItem.objects.get(meeting=meeting, case=case)
        assert item.presenter_side == AgendaItem.PresenterSide.REGION
        assert item.title == case.title
        assert page.count(case.reference) == 1, case.reference
    assert "Legges fram av: Regionen" in page


def test_case_page_lists_its_agenda_items_and_offers_the_regions_upcoming_meetings(
    client, adviser, meeting, other_meeting, region
):
    """The case page reads its agenda items and the meetings it may be put on in one query: the same
    items as case.agenda_items, and the region's upcoming meetings that are not cancelled."""
    from cases.models import Case
    from meetings.selectors import meeting_list_upcoming_for
    from tests.cases.factories import CaseFactory

    case = CaseFactory(origin_region=region, status=Case.Status.RECEIVED, title="Bussveien")
    march = services.meeting_create(
        actor=adviser, title="Marsmøte", start=oslo(2030, 3, 12, 9), end=oslo(2030, 3, 12, 12), region=region, now=NOW
    )
    cancelled = services.meeting_create(
        actor=adviser, title="Avlyst møte", start=oslo(2030, 4, 2, 9), end=oslo(2030, 4, 2, 12), region=region, now=NOW
    )
    Meeting.objects.filter(pk=cancelled.pk).update(status=Meeting.Status.CANCELLED)
    item = AgendaItem.objects.create(meeting=march, case=case, title="Bussveien", lane=AgendaItem.Lane.PLANNED)

    client.force_login(adviser)
    response = client.get(case.get_absolute_url())

    panel = next(p["context"] for p in response.context["panels"] if p["template"] == "meetings/_case_panel.html")
    assert panel["agenda_items"] == [item]
    assert panel["agenda_items"][0].meeting == march
    offered = [m for value, m in panel["agenda_form"].fields["meeting"].choices if value]
    expected = meeting_list_upcoming_for(user=adviser, region=region).exclude(status=Meeting.Status.CANCELLED)
    assert offered == [str(m) for m in expected] == [str(meeting), str(march)]
    assert "Marsmøte" in response.content.decode() and "Follo regionråd" not in response.content.decode()


def test_a_case_pulled_in_from_the_agenda_builder_is_recorded_on_the_case_as_from_the_case_page(
    client, adviser, meeting, region
):
    """One door for one act: whichever page puts a case on an agenda, the case's timeline records it
    and the coordination unit and the region are told (the builder used to do neither)."""
    from cases.models import Case, CaseEvent
    from notifications.models import Message
    from tests.cases.factories import CaseFactory

    from_builder = CaseFactory(origin_region=region, status=Case.Status.RECEIVED, title="Bussveien", reference="2030-7")
    from_case_page = CaseFactory(
        origin_region=region, status=Case.Status.RECEIVED, title="Fylkesvei", reference="2030-8"
    )
    client.force_login(adviser)
    client.post(reverse("meetings:agenda-case-add", kwargs={"pk": meeting.pk}), {"case": from_builder.pk})
    client.post(
        reverse("meetings:case-agenda-add", args=[from_case_page.pk]), {"meeting": meeting.pk, "lane": "planned"}
    )
    for case in (from_builder, from_case_page):
        assert AgendaItem.objects.filter(meeting=meeting, case=case).exists()
        event = CaseEvent.objects.get(case=case, action=CaseEvent.Action.AGENDA_ADDED)
        assert event.comment == str(meeting)
        assert Message.objects.filter(kind="cases.event", payload__event_id=event.pk).exists()


def test_the_upcoming_meetings_are_paged_not_cut_off(client, adviser, region):
    """Sixty upcoming meetings: the first page holds the fifty soonest and the second the rest (the list
    stopped at 200 before, and a county's year holds more)."""
    Meeting.objects.bulk_create(
        Meeting(
            title=f"Møte nummer {i:02d}",
            region=region,
            start=oslo(2030, 3, 1, 9) + datetime.timedelta(days=i),
            end=oslo(2030, 3, 1, 11) + datetime.timedelta(days=i),
            organiser=adviser,
        )
        for i in range(60)
    )
    client.force_login(adviser)
    first = client.get(reverse("meetings:index")).content.decode()
    second = client.get(reverse("meetings:index"), {"page": 2}).content.decode()
    assert "Møte nummer 00" in first and "Møte nummer 49" in first and "Møte nummer 50" not in first
    assert "Møte nummer 50" in second and "Møte nummer 59" in second and "Møte nummer 00" not in second
    assert "Side 1 av 2" in first


def test_a_long_meeting_under_way_is_listed_first_and_one_that_ended_is_not(region, adviser):
    """Upcoming means "ends now or later", ordered by start: a two-week gathering that started last week is
    still under way and comes first, before meetings that started after it; one that ended is gone. The
    list's query also bounds the start by the earliest start among those still to end (for the plan):
    that bound must keep the long meeting in, and a meeting that started between it and now as well."""
    now = oslo(2030, 3, 10, 12)

    def meeting(title, start, end):
        return Meeting.objects.create(title=title, region=region, start=start, end=end, organiser=adviser)

    meeting("Avsluttet i går", oslo(2030, 3, 9, 9), oslo(2030, 3, 9, 11))
    long = meeting("Samling over to uker", oslo(2030, 3, 3, 9), oslo(2030, 3, 17, 15))
    started = meeting("Startet i morges", oslo(2030, 3, 10, 9), oslo(2030, 3, 10, 15))
    coming = meeting("Neste regionråd", oslo(2030, 3, 12, 9), oslo(2030, 3, 12, 11))

    assert list(Meeting.objects.filter(region=region).upcoming(now)) == [long, started, coming]
    assert list(Meeting.objects.filter(region=region).upcoming(oslo(2030, 3, 18, 0))) == []
    assert list(Meeting.objects.filter(region=region).ending_from(oslo(2030, 3, 12, 10))) == [long, coming]
