"""Each role is offered the steps of its own work. Where an adviser acts for someone else (answers for a
council area or a region, withdraws a region's case) it is an explicit choice the trail records; an
adviser does not edit or submit a region's draft."""

import re

import pytest
from django.urls import reverse

from cases import services
from cases.models import Case, CaseEvent, Routing

from .conftest import NOW

pytestmark = pytest.mark.django_db


def _page(client, user, case):
    client.force_login(user)
    return client.get(case.get_absolute_url()).content.decode()


def test_the_adviser_answers_for_a_council_area_only_explicitly_and_the_trail_says_so(client, routed, adviser):
    routing = routed.routings.get()
    html = _page(client, adviser, routed)
    assert f'id="routing-answer-{routing.pk}"' not in html  # not the area's own form
    assert "Registrer svaret på vegne av Samferdsel" in html

    url = reverse("cases:routing-answer", args=[routing.pk])
    client.post(url, {"text": "Svar gitt på telefon"})
    assert Routing.objects.get(pk=routing.pk).state != Routing.State.ANSWERED

    client.post(url, {"text": "Svar gitt på telefon", "on_behalf": "1"})
    assert Routing.objects.get(pk=routing.pk).state == Routing.State.ANSWERED
    event = CaseEvent.objects.filter(case=routed, action=CaseEvent.Action.ROUTING_ANSWERED).get()
    assert "på vegne av Samferdsel" in event.comment


def test_staff_answer_in_their_own_form_without_any_on_behalf(client, routed, staff):
    routing = routed.routings.get()
    html = _page(client, staff, routed)
    assert f'id="routing-answer-{routing.pk}"' in html and "på vegne av" not in html
    client.post(reverse("cases:routing-answer", args=[routing.pk]), {"text": "Vi prioriterer det."})
    assert Routing.objects.get(pk=routing.pk).state == Routing.State.ANSWERED
    assert "på vegne av" not in CaseEvent.objects.get(case=routed, action=CaseEvent.Action.ROUTING_ANSWERED).comment


def test_the_answer_to_send_starts_with_what_the_council_areas_answered(client, routed, staff, adviser):
    services.routing_answer(routing=routed.routings.get(), actor=staff, answer="Vi bygger i 2031.", now=NOW)
    html = _page(client, adviser, routed)
    textarea = re.search(r'<textarea name="text"[^>]*id="answer_text"[^>]*>(.*?)</textarea>', html, re.S)
    assert textarea and "Vi bygger i 2031." in textarea.group(1)


def test_the_adviser_does_not_edit_or_submit_a_regions_draft_but_their_own(client, draft, adviser, region):
    client.force_login(adviser)
    assert client.get(reverse("cases:case-update", args=[draft.pk])).status_code == 403
    html = client.get(draft.get_absolute_url()).content.decode()
    assert reverse("cases:case-update", args=[draft.pk]) not in html
    assert reverse("cases:case-step", args=[draft.pk, "submit"]) not in html
    own = services.case_create(actor=adviser, title="Rådgivers utkast", origin_region=region, now=NOW)
    assert client.get(reverse("cases:case-update", args=[own.pk])).status_code == 200


def test_the_adviser_withdraws_a_regions_case_only_on_its_behalf_with_a_reason(client, submitted, adviser):
    url = reverse("cases:case-step", args=[submitted.pk, "withdraw"])
    client.force_login(adviser)
    assert "Trekk saken på avsenderens vegne" in client.get(submitted.get_absolute_url()).content.decode()
    client.post(url, {"text": "Regionen ba om det"})
    client.post(url, {"text": "", "on_behalf": "1"})
    assert Case.objects.get(pk=submitted.pk).status == Case.Status.SUBMITTED
    client.post(url, {"text": "Regionen ba om det på telefon", "on_behalf": "1"})
    assert Case.objects.get(pk=submitted.pk).status == Case.Status.WITHDRAWN
    event = CaseEvent.objects.get(case=submitted, action=CaseEvent.Action.WITHDRAWN)
    assert "på vegne av" in event.comment and "Regionen ba om det på telefon" in event.comment


def test_the_routing_form_says_who_reads_the_message(client, submitted, adviser, council_area):
    html = _page(client, adviser, submitted)
    assert "Leses av rådsområdene du fordeler til og av avsenderen av saken." in html


def test_a_leader_sends_a_case_with_its_attachment_in_one_form(client, leader, region, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.cases.factories import WORLD_PDF

    settings.MEDIA_ROOT = tmp_path
    client.force_login(leader)
    form = client.get(reverse("cases:case-create")).content.decode()
    assert 'type="hidden" name="direction"' in form and 'name="attachment"' in form
    assert '<option value="" selected>' in form  # no topic chosen beforehand
    response = client.post(
        reverse("cases:case-create"),
        {
            "title": "Innspill til planstrategien",
            "description": "",
            "topic": Case.Topic.REGIONAL_PLAN_STRATEGY,
            "urgency": Case.Urgency.NORMAL,
            "visibility": Case.Visibility.INTERNAL,
            "direction": Case.Direction.REGION_TO_COUNTY,
            "origin_region": region.pk,
            "attachment": SimpleUploadedFile("innspill.pdf", WORLD_PDF, content_type="application/pdf"),
            "action": "submit",
        },
    )
    case = Case.objects.get(title="Innspill til planstrategien")
    assert response.status_code == 302
    assert case.status == Case.Status.SUBMITTED and case.reference
    assert [a.original_name for a in case.attachments.all()] == ["innspill.pdf"]


def test_a_refused_attachment_leaves_no_case_behind(client, leader, region, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    client.force_login(leader)
    response = client.post(
        reverse("cases:case-create"),
        {
            "title": "Med farlig vedlegg",
            "topic": Case.Topic.OTHER,
            "urgency": Case.Urgency.NORMAL,
            "visibility": Case.Visibility.INTERNAL,
            "direction": Case.Direction.REGION_TO_COUNTY,
            "origin_region": region.pk,
            "attachment": SimpleUploadedFile("side.pdf", b"<html><script>x</script></html>"),
            "action": "submit",
        },
    )
    assert response.status_code == 200
    assert not Case.objects.filter(title="Med farlig vedlegg").exists()
    assert not any(tmp_path.rglob("*.pdf"))
