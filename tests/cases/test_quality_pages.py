"""The cases of the shared quality world (tests/cases/quality.py) as the people who open them see them,
and the accessibility fixes found while checking those pages."""

import pytest
from django.urls import reverse

from cases.models import Case, Routing
from tests.security.world import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "uploads"
    return build_world()


def _page(client, user, url):
    client.force_login(user)
    client.cookies["django_language"] = "en"  # the language switcher's cookie
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_the_world_holds_a_case_in_each_state_the_pages_need(world):
    assert world.case_a_draft.status == Case.Status.DRAFT
    assert world.case_a.status == Case.Status.SUBMITTED
    assert world.case_a.anchorings.count() == 1 and world.case_a.attachments.count() == 1
    assert world.case_a_routed.status == Case.Status.ROUTED
    assert sorted(world.case_a_routed.routings.values_list("state", flat=True)) == [
        Routing.State.ANSWERED,
        Routing.State.PENDING,
    ]
    assert world.case_county.status == Case.Status.ROUTED
    assert world.region_request_a.state == "pending"
    assert world.case_b.origin_region == world.region_b


def test_building_the_world_leaves_no_case_notice_to_send(world):
    from notifications.models import Message

    assert not Message.objects.filter(kind__startswith="cases.", state=Message.State.PENDING).exists()


def test_the_attachment_of_the_world_downloads_for_the_regions_leader(client, world):
    client.force_login(world.user("leader_a"))
    response = client.get(world.attachment_a.get_absolute_url())
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_staff_see_the_answer_form_and_are_told_it_is_their_step(client, world):
    """Staff were told "no further steps are open to you" beside the form they had to fill in."""
    html = _page(client, world.user("staff"), world.case_a_routed.get_absolute_url())
    assert reverse("cases:routing-answer", kwargs={"pk": world.routing_a.pk}) in html
    assert "No further steps are open to you" not in html
    assert "Your step is the answer" in html


def test_the_adviser_is_not_told_there_is_nothing_to_do(client, world):
    html = _page(client, world.user("adviser"), world.case_a_routed.get_absolute_url())
    assert "No further steps are open to you" not in html
    assert reverse("cases:case-step", kwargs={"pk": world.case_a_routed.pk, "step": "route"}) in html


def test_the_leader_answers_a_request_to_the_region_from_the_case_page(client, world):
    html = _page(client, world.user("leader_a"), world.case_county.get_absolute_url())
    assert reverse("cases:region-request-answer", kwargs={"pk": world.region_request_a.pk}) in html


def test_each_remove_anchoring_button_names_the_municipality_and_body(client, world):
    html = _page(client, world.user("leader_a"), world.case_a.get_absolute_url())
    name = world.anchoring_a.municipality.name
    assert f'aria-label="Remove the anchoring of {name} (Municipal council)"' in html


def test_the_case_form_leaves_out_a_tag_group_with_nothing_to_tick(client, leader, draft):
    """No policy instruments exist: an empty 'Policy instruments' group named no control."""
    html = _page(client, leader, reverse("cases:case-update", kwargs={"pk": draft.pk}))
    assert 'name="title"' in html
    assert "Policy instruments" not in html
    assert 'name="instruments"' not in html


def test_saving_the_case_form_without_tag_fields_keeps_the_case_as_it_was(client, world):
    client.force_login(world.user("leader_a"))
    draft = world.case_a_draft
    response = client.post(
        reverse("cases:case-update", kwargs={"pk": draft.pk}),
        {
            "title": "Pendlerparkering ved stasjonen",
            "description": draft.description,
            "topic": draft.topic,
            "urgency": draft.urgency,
            "deadline": "",
            "visibility": draft.visibility,
        },
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.title == "Pendlerparkering ved stasjonen"
