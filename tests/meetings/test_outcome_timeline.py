"""A held meeting's outcome and the reference group's input reach the case (issue 16, item 4): its
timeline says "Decided in <meeting>: ...", once per change, the text only to those who may see the
meeting; an adviser moves the case on with the decision through the case's own steps; the case page
shows the reference group's input with the note that it advises and does not decide."""

import pytest
from django.urls import reverse

from cases import services as case_services
from cases.models import Case, CaseEvent
from meetings import services
from meetings.models import MeetingKind

from .factories import NOW, oslo

OUTCOME = CaseEvent.Action.MEETING_OUTCOME


def _case_on_meeting(leader, region, adviser, meeting, *, title="Ny fylkesvei over åsen"):
    case = case_services.case_create(actor=leader, title=title, origin_region=region, now=NOW)
    item = services.agenda_item_add(meeting=meeting, actor=adviser, title=title, lane="planned", case=case, now=NOW)
    return case, item


def _outcomes(case):
    return list(CaseEvent.objects.filter(case=case, action=OUTCOME).order_by("pk"))


def _answered(case, leader, adviser, staff, council_area):
    """Submit, route and answer the case, so that all its answers are in."""
    case_services.case_submit(case=case, actor=leader)
    (routing,) = case_services.case_route(case=case, actor=adviser, council_areas=[council_area])
    case_services.routing_answer(routing=routing, actor=staff, answer="Samferdsel svarer.")
    case.refresh_from_db()
    assert case.status == Case.Status.ANSWERED
    return case


def test_a_decision_in_a_held_meeting_shows_on_the_case_timeline(client, adviser, leader, region, meeting):
    case, item = _case_on_meeting(leader, region, adviser, meeting)
    services.meeting_mark_held(meeting=meeting, actor=adviser)
    services.minutes_save(item=item, actor=adviser, outcome="decision", text="Regionrådet støtter forslaget.")
    client.force_login(leader)
    html = client.get(case.get_absolute_url()).content.decode()
    timeline = html[html.index("cases-timeline") :]
    assert "Utfall av et møte" in timeline
    assert f"Vedtatt i {meeting}" in timeline and "Regionrådet støtter forslaget." in timeline


def test_minutes_written_before_the_meeting_is_held_reach_the_case_when_it_is(adviser, leader, region, meeting):
    case, item = _case_on_meeting(leader, region, adviser, meeting)
    services.minutes_save(item=item, actor=adviser, outcome="decision", text="Vedtatt.")
    assert _outcomes(case) == []
    services.meeting_mark_held(meeting=meeting, actor=adviser)
    (event,) = _outcomes(case)
    assert event.comment == "Vedtatt." and event.detail["outcome"] == "decision"


def test_saving_the_same_minutes_again_adds_no_step_and_a_change_adds_one(adviser, leader, region, meeting):
    case, item = _case_on_meeting(leader, region, adviser, meeting)
    services.meeting_mark_held(meeting=meeting, actor=adviser)
    services.minutes_save(item=item, actor=adviser, outcome="decision", text="Vedtatt.")
    services.minutes_save(item=item, actor=adviser, outcome="decision", text="Vedtatt.")
    services.meeting_mark_held(meeting=meeting, actor=adviser)
    assert len(_outcomes(case)) == 1
    services.minutes_save(item=item, actor=adviser, outcome="decision", text="Vedtatt med endring.")
    assert [event.comment for event in _outcomes(case)] == ["Vedtatt.", "Vedtatt med endring."]


def test_an_empty_discussion_and_an_item_without_a_case_record_nothing(adviser, leader, region, meeting):
    case, item = _case_on_meeting(leader, region, adviser, meeting)
    plain = services.agenda_item_add(meeting=meeting, actor=adviser, title="Orientering", lane="planned", now=NOW)
    services.meeting_mark_held(meeting=meeting, actor=adviser)
    services.minutes_save(item=item, actor=adviser, outcome="discussed", text="")
    services.minutes_save(item=plain, actor=adviser, outcome="decision", text="Tatt til orientering.")
    assert CaseEvent.objects.filter(action=OUTCOME).count() == 0


def test_the_outcome_text_is_withheld_from_who_may_not_see_the_meeting(
    client, adviser, leader, region, meeting, staff, council_area
):
    case, item = _case_on_meeting(leader, region, adviser, meeting)
    case_services.case_submit(case=case, actor=leader)
    case_services.case_route(case=case, actor=adviser, council_areas=[council_area])
    services.meeting_mark_held(meeting=meeting, actor=adviser)
    services.minutes_save(item=item, actor=adviser, outcome="decision", text="Unntatt: budsjettet.")
    client.force_login(staff)  # sees the routed case, not the region's meeting
    html = client.get(case.get_absolute_url()).content.decode()
    assert f"Vedtatt i {meeting}" in html
    assert "Unntatt: budsjettet." not in html
    assert "Teksten vises bare for dem som kan se møtet." in html
    client.force_login(adviser)
    assert "Unntatt: budsjettet." in client.get(case.get_absolute_url()).content.decode()


# --- moving the case on ---------------------------------------------------------------------------


@pytest.fixture
def decided(adviser, leader, region, meeting, staff, council_area):
    """An answered case decided in a held meeting."""
    case, item = _case_on_meeting(leader, region, adviser, meeting)
    case = _answered(case, leader, adviser, staff, council_area)
    services.meeting_mark_held(meeting=meeting, actor=adviser)
    services.minutes_save(item=item, actor=adviser, outcome="decision", text="Regionrådet ber om ny trasé.")
    return case, item


def test_the_adviser_sends_the_decision_as_the_answer_and_closes_the_case(client, adviser, decided):
    case, item = decided
    client.force_login(adviser)
    page = client.get(reverse("meetings:minutes-edit", args=[item.meeting_id])).content.decode()
    assert "Send vedtaket som svar og lukk saken" in page
    response = client.post(
        reverse("meetings:minutes-case-move", args=[item.pk]), {f"move-{item.pk}-move": "answer_close"}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == Case.Status.CLOSED and case.final_answer == "Regionrådet ber om ny trasé."


def test_a_step_the_case_status_does_not_allow_is_refused_with_a_message(client, adviser, leader, region, meeting):
    case, item = _case_on_meeting(leader, region, adviser, meeting)
    case_services.case_submit(case=case, actor=leader)
    services.meeting_mark_held(meeting=meeting, actor=adviser)
    services.minutes_save(item=item, actor=adviser, outcome="decision", text="Vedtak.")
    client.force_login(adviser)
    response = client.post(
        reverse("meetings:minutes-case-move", args=[item.pk]), {f"move-{item.pk}-move": "close"}, follow=True
    )
    assert "Dette steget er ikke mulig når saken har status «sendt inn»." in response.content.decode()
    case.refresh_from_db()
    assert case.status == Case.Status.SUBMITTED and case.closed_at is None


def test_answer_and_close_changes_nothing_when_the_answer_cannot_be_sent(adviser, leader, region, meeting):
    case, item = _case_on_meeting(leader, region, adviser, meeting)
    case_services.case_submit(case=case, actor=leader)
    services.meeting_mark_held(meeting=meeting, actor=adviser)
    services.minutes_save(item=item, actor=adviser, outcome="decision", text="Vedtak.")
    events = CaseEvent.objects.filter(case=case).count()
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.minutes_case_move(item=item, actor=adviser, move="answer_close")
    case.refresh_from_db()
    assert case.status == Case.Status.SUBMITTED and case.final_answer == ""
    assert CaseEvent.objects.filter(case=case).count() == events


def test_only_a_decision_with_text_moves_the_case(adviser, leader, region, meeting, staff, council_area):
    case, item = _case_on_meeting(leader, region, adviser, meeting)
    case = _answered(case, leader, adviser, staff, council_area)
    services.meeting_mark_held(meeting=meeting, actor=adviser)
    services.minutes_save(item=item, actor=adviser, outcome="discussed", text="Drøftet.")
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.minutes_case_move(item=item, actor=adviser, move="answer")
    case.refresh_from_db()
    assert case.status == Case.Status.ANSWERED


def test_the_region_leader_may_not_move_the_case_and_another_region_does_not_see_it(
    client, leader, other_leader, decided
):
    case, item = decided
    url = reverse("meetings:minutes-case-move", args=[item.pk])
    client.force_login(leader)
    assert client.post(url, {f"move-{item.pk}-move": "answer"}).status_code == 403
    client.force_login(other_leader)
    assert client.post(url, {f"move-{item.pk}-move": "answer"}).status_code == 404
    case.refresh_from_db()
    assert case.status == Case.Status.ANSWERED and case.final_answer == ""


def test_a_bad_choice_changes_nothing(client, adviser, decided):
    case, item = decided
    client.force_login(adviser)
    response = client.post(reverse("meetings:minutes-case-move", args=[item.pk]), {f"move-{item.pk}-move": "open"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == Case.Status.ANSWERED


# --- the reference group's input --------------------------------------------------------------------


@pytest.fixture
def reference_meeting(adviser):
    return services.meeting_create(
        actor=adviser,
        title="Referansegruppemøte",
        start=oslo(2030, 3, 5, 10),
        end=oslo(2030, 3, 5, 12),
        kind=MeetingKind.REFERENCE_GROUP,
        body="Referansegruppen",
        now=NOW,
    )


def test_the_reference_groups_input_is_shown_on_the_case_and_in_its_timeline(
    client, adviser, leader, region, reference_meeting
):
    case, item = _case_on_meeting(leader, region, adviser, reference_meeting)
    services.reference_input_add(
        meeting=reference_meeting, actor=adviser, case=case, text="Gruppen anbefaler trasé B.", agenda_item=item
    )
    client.force_login(leader)
    html = client.get(case.get_absolute_url()).content.decode()
    panel = html[html.index("reference-panel-heading") : html.index("cases-timeline")]
    assert "Gruppen anbefaler trasé B." in panel and "Referansegruppemøte" in panel
    assert "05.03.2030" in panel and str(adviser) in panel
    assert "Referansegruppen gir råd; den vedtar ikke." in panel
    timeline = html[html.index("cases-timeline") :]
    assert "Innspill fra referansegruppen" in timeline and "Gruppen anbefaler trasé B." in timeline


def test_a_case_without_reference_input_has_no_such_section(client, adviser, leader, region, meeting):
    case, _item = _case_on_meeting(leader, region, adviser, meeting)
    client.force_login(leader)
    assert "reference-panel-heading" not in client.get(case.get_absolute_url()).content.decode()


def test_the_reference_input_costs_the_case_page_the_same_queries_however_many(
    client, adviser, leader, region, reference_meeting
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    case, _item = _case_on_meeting(leader, region, adviser, reference_meeting)
    client.force_login(leader)

    def page_queries():
        client.get(case.get_absolute_url())
        with CaptureQueriesContext(connection) as queries:
            html = client.get(case.get_absolute_url()).content.decode()
        return len(queries), html

    services.reference_input_add(meeting=reference_meeting, actor=adviser, case=case, text="Råd 0")
    one, _html = page_queries()
    for n in range(1, 5):
        services.reference_input_add(meeting=reference_meeting, actor=adviser, case=case, text=f"Råd {n}")
    five, html = page_queries()
    assert five == one
    assert all(f"Råd {n}" in html for n in range(5))


def test_a_held_meeting_sends_no_more_reminders_but_keeps_the_minutes_reminder(adviser, meeting):
    from notifications.models import Message

    pending = Message.objects.filter(key__startswith=f"meetings:{meeting.pk}:", state=Message.State.PENDING)
    assert pending.filter(kind="meetings.reminder").exists()
    services.meeting_mark_held(meeting=meeting, actor=adviser)
    assert set(pending.values_list("kind", flat=True)) == {"meetings.minutes"}
