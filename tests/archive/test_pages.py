"""The adviser sees what was archived (on the case and in a list) and sends what failed again; no one
else sees the archive, and a failed message is the only one that can be sent again."""

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse

from archive.models import ArchiveMessage
from archive.services import archive_message_send_again, archive_sweep
from cases.models import Case

from .conftest import NOW, answer_sent_case

S = ArchiveMessage.State


@pytest.fixture
def failed(closed, archive_endpoint):
    archive_endpoint.status = 400
    archive_sweep()
    message = ArchiveMessage.objects.get(case=closed, sequence=1)
    assert message.state == S.FAILED
    return message


def test_the_case_page_shows_the_adviser_what_was_archived_and_hides_it_from_the_leader(
    closed, client, adviser, leader
):
    archive_sweep()
    client.force_login(adviser)
    page = client.get(closed.get_absolute_url()).content.decode()
    assert 'id="archive-panel-heading"' in page
    assert page.count("<td>Arkivert</td>") == 4
    for message in ArchiveMessage.objects.filter(case=closed):
        assert message.receipt in page
    client.force_login(leader)
    assert 'id="archive-panel-heading"' not in client.get(closed.get_absolute_url()).content.decode()


def test_the_list_is_paginated_filtered_and_for_advisers_only(closed, client, adviser, leader, staff):
    archive_sweep()
    client.force_login(adviser)
    url = reverse("archive:message-list")
    everything = client.get(url)
    assert everything.status_code == 200
    assert everything.context["page_obj"].paginator.count == 4
    assert client.get(url, {"state": "failed"}).context["page_obj"].paginator.count == 0
    assert client.get(url, {"state": "sent", "page": "99"}).context["page_obj"].number == 1
    assert client.get(url, {"state": "nonsense"}).status_code == 200
    for user in (leader, staff):
        client.force_login(user)
        assert client.get(url).status_code == 403


def test_the_adviser_sends_a_failed_message_again_and_it_is_archived(failed, archive_endpoint, client, adviser):
    archive_endpoint.status = 201
    client.force_login(adviser)
    response = client.post(reverse("archive:message-send-again", kwargs={"pk": failed.pk}), follow=True)
    assert response.status_code == 200
    failed.refresh_from_db()
    assert (failed.state, failed.attempts) == (S.PENDING, 0)

    archive_sweep()
    failed.refresh_from_db()
    assert failed.state == S.SENT
    assert ArchiveMessage.objects.filter(case=failed.case, state=S.SENT).count() == 4


def test_only_a_failed_message_can_be_sent_again_and_only_by_an_adviser(failed, adviser, leader, client):
    with pytest.raises(PermissionDenied):
        archive_message_send_again(message=failed, actor=leader)
    archive_message_send_again(message=failed, actor=adviser)
    with pytest.raises(ValidationError):
        archive_message_send_again(message=failed, actor=adviser)

    client.force_login(adviser)
    response = client.post(reverse("archive:message-send-again", kwargs={"pk": failed.pk}), follow=True)
    assert "Bare en melding som har feilet" in response.content.decode()
    client.force_login(leader)
    assert client.post(reverse("archive:message-send-again", kwargs={"pk": failed.pk})).status_code == 404
    assert client.post(reverse("archive:message-send-again", kwargs={"pk": 999999})).status_code == 404


def test_the_command_plans_cases_closed_before_the_archive_existed_once(
    leader, region, members, adviser, staff, council_area
):
    case = answer_sent_case(leader=leader, region=region, adviser=adviser, staff=staff, council_area=council_area)
    Case.objects.filter(pk=case.pk).update(status=Case.Status.CLOSED, closed_at=NOW)  # closed "before"
    assert not ArchiveMessage.objects.exists()

    out = io.StringIO()
    call_command("archive_plan_closed", stdout=out)
    call_command("archive_plan_closed", stdout=out)

    assert ArchiveMessage.objects.filter(case=case).count() == 4
    assert "1 closed case(s)" in out.getvalue() and "0 closed case(s)" in out.getvalue()
