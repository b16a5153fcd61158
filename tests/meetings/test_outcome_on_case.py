"""What a held meeting recorded on a case's agenda item is shown on the case (issue 16, item 4), to
those who may see the meeting, without another query."""

from cases import services as case_services
from meetings import services
from meetings.models import Meeting

from .factories import NOW


def _case_on_meeting(leader, region, adviser, meeting):
    case = case_services.case_create(actor=leader, title="Ny fylkesvei over åsen", origin_region=region, now=NOW)
    item = services.agenda_item_add(
        meeting=meeting, actor=adviser, title="Fylkesvei", lane="planned", case=case, now=NOW
    )
    return case, item


def test_a_decision_of_a_held_meeting_is_shown_on_the_case(client, adviser, leader, region, meeting):
    case, item = _case_on_meeting(leader, region, adviser, meeting)
    services.minutes_save(item=item, actor=adviser, outcome="decision", text="Regionrådet støtter forslaget.")
    client.force_login(leader)
    assert "Regionrådet støtter forslaget." not in client.get(case.get_absolute_url()).content.decode()
    services.meeting_mark_held(meeting=meeting, actor=adviser)
    html = client.get(case.get_absolute_url()).content.decode()
    assert "Vedtak i møtet" in html and "Regionrådet støtter forslaget." in html


def test_the_minutes_are_not_shown_to_who_may_not_see_the_meeting(client, adviser, leader, region, meeting, staff):
    case, item = _case_on_meeting(leader, region, adviser, meeting)
    services.minutes_save(item=item, actor=adviser, outcome="discussed", text="Drøftet, ingen konklusjon.")
    services.meeting_mark_held(meeting=meeting, actor=adviser)
    assert Meeting.objects.get(pk=meeting.pk).status == Meeting.Status.HELD
    client.force_login(adviser)
    assert "Drøftet, ingen konklusjon." in client.get(case.get_absolute_url()).content.decode()
    case_services.case_submit(case=case, actor=leader, now=NOW)
    from meetings.selectors import agenda_of_case

    items, _meetings = agenda_of_case(user=staff, case=case, upcoming=False)
    assert [item.recorded for item in items] == [None]
