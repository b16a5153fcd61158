"""The meeting rows of the permission matrix, checked here too so they hold before the shared suite
runs them: each role gets exactly the declared status on GET."""

from django.urls import reverse

from tests.security.world import build_world

from .quality import EXPECTED_STATUS, URL_KWARGS


def test_permission_matrix(client, db):
    world = build_world()
    problems = []
    for url_name, expected in EXPECTED_STATUS.items():
        kwargs = URL_KWARGS.get(url_name, lambda w: {})(world)
        url = reverse(url_name, kwargs=kwargs)
        for role, status in expected.items():
            client.force_login(world.user(role))
            got = client.get(url).status_code
            if got != status:
                problems.append(f"{url_name} as {role}: {got}, expected {status}")
    assert not problems, "\n".join(problems)


def test_the_world_meeting_has_what_the_accessibility_pages_show(db):
    """meeting_a carries both agenda lanes, a proposal, a rejected item, minutes and a guest, so the axe
    check sees every part of the meeting page, the agenda builder and the minutes form."""
    from meetings.models import AgendaItem, Participant

    world = build_world()
    items = AgendaItem.objects.filter(meeting=world.meeting_a)
    assert set(items.values_list("lane", flat=True)) == {"planned", "urgent"}
    assert set(items.values_list("state", flat=True)) == {"accepted", "proposed", "rejected"}
    assert items.filter(minutes__isnull=False).count() == 2
    assert Participant.objects.filter(meeting=world.meeting_a, is_guest=True).exists()
    assert world.reference_meeting.reference_inputs.get().case == world.meeting_case_a
