"""The input-round pages as their users meet them: the adviser opens a round, the region writes,
attaches, anchors and submits its contribution, the adviser closes the round, prints the joint
document and records what was sent to the state."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from notifications.models import Message
from rounds.models import Contribution, ContributionAttachment, Round
from rounds.renderers import DEADLINE_KIND
from tests.factories import MembershipFactory, MunicipalityFactory
from tests.upload_samples import PDF, upload

from .factories import open_round

pytestmark = pytest.mark.django_db


@pytest.fixture
def round_(region, other_region, adviser, leader, other_leader):
    return open_round([region, other_region], adviser=adviser)


def _own(round_, region):
    return Contribution.objects.get(round=round_, region=region)


def test_the_adviser_opens_a_round_through_the_page_and_the_regions_are_reminded(client, region, adviser, leader):
    client.force_login(adviser)
    deadline = timezone.localdate() + datetime.timedelta(days=30)
    response = client.post(
        reverse("rounds:round-open"),
        {
            "county": region.host_county.pk,
            "title": "Innspill til NTP 2029–2040",
            "public_text": "Send regionens innspill.",
            "deadline": deadline.isoformat(),
            "regions": [region.pk],
        },
    )
    round_ = Round.objects.get()
    assert response.status_code == 302 and response.url == round_.get_absolute_url()
    assert Message.objects.filter(kind=DEADLINE_KIND, recipient=leader, state=Message.State.PENDING).count() == 2


def test_a_deadline_in_the_past_is_refused_on_the_page_in_norwegian(client, region, adviser):
    client.force_login(adviser)
    response = client.post(
        reverse("rounds:round-open"),
        {
            "county": region.host_county.pk,
            "title": "Sent",
            "public_text": "x",
            "deadline": "2020-01-01",
            "regions": [region.pk],
        },
    )
    assert response.status_code == 400
    assert "Fristen må være etter i dag." in response.content.decode()
    assert not Round.objects.exists()


def test_the_leader_writes_attaches_anchors_and_submits(client, round_, region, leader, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    member = MembershipFactory(region=region, municipality=MunicipalityFactory(name="Askim")).municipality
    contribution = _own(round_, region)
    client.force_login(leader)
    url = contribution.get_absolute_url()
    assert client.post(url, {"text": "Rv. 22 over Glomma først."}).status_code == 302
    assert (
        client.post(
            reverse("rounds:attachment-add", args=[contribution.pk]), {"file": upload("uttalelse.pdf", PDF)}
        ).status_code
        == 302
    )
    assert (
        client.post(
            reverse("rounds:anchoring-add", args=[contribution.pk]),
            {"municipality": member.pk, "body": "council", "stance": "supports"},
        ).status_code
        == 302
    )
    assert client.post(reverse("rounds:contribution-submit", args=[contribution.pk])).status_code == 302
    html = client.get(url).content.decode()
    assert "Rv. 22 over Glomma først." in html and "uttalelse.pdf" in html and "Askim" in html
    assert "Sendt inn" in html
    assert ContributionAttachment.objects.filter(contribution=contribution).count() == 1


def test_a_refused_file_is_explained_and_nothing_is_stored(client, round_, region, leader, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    contribution = _own(round_, region)
    client.force_login(leader)
    response = client.post(
        reverse("rounds:attachment-add", args=[contribution.pk]), {"file": upload("side.html", b"<html></html>")}
    )
    assert response.status_code == 400
    assert "Filer av typen .html kan ikke lastes opp." in response.content.decode()
    assert not ContributionAttachment.objects.exists()


def test_the_region_sees_only_its_own_contribution(client, round_, region, other_region, leader):
    client.force_login(leader)
    html = client.get(round_.get_absolute_url()).content.decode()
    assert region.name in html and _own(round_, other_region).get_absolute_url() not in html
    assert client.get(_own(round_, other_region).get_absolute_url()).status_code == 404
    assert client.get(reverse("rounds:round-pdf", args=[round_.pk])).status_code == 403


def test_a_round_not_addressed_to_the_region_is_404_and_not_listed(client, region, other_leader, adviser):
    round_ = open_round([region], adviser=adviser)
    client.force_login(other_leader)
    assert client.get(round_.get_absolute_url()).status_code == 404
    assert round_.title not in client.get(reverse("rounds:index")).content.decode()


def test_the_joint_document_says_who_said_what(client, round_, region, other_region, adviser, leader):
    contribution = _own(round_, region)
    from rounds import services

    services.contribution_save(contribution=contribution, actor=leader, text="Dobbeltspor til Halden.")
    services.contribution_submit(contribution=contribution, actor=leader)
    client.force_login(adviser)
    response = client.get(reverse("rounds:round-pdf", args=[round_.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert region.name in text and "Dobbeltspor til Halden." in text and str(leader) in text
    assert other_region.name not in text  # it has not submitted


def test_the_adviser_closes_and_records_what_was_sent(client, round_, adviser):
    client.force_login(adviser)
    client.post(reverse("rounds:round-close", args=[round_.pk]))
    response = client.post(
        reverse("rounds:round-sent", args=[round_.pk]),
        {"sent_on": timezone.localdate().isoformat(), "sent_to": "Samferdselsdepartementet"},
    )
    assert response.status_code == 302
    round_.refresh_from_db()
    assert round_.status == Round.Status.CLOSED and round_.sent_to == "Samferdselsdepartementet"
    assert "Samferdselsdepartementet" in client.get(round_.get_absolute_url()).content.decode()


def test_bad_input_is_refused_with_a_message_and_changes_nothing(client, round_, region, adviser, leader):
    contribution = _own(round_, region)
    client.force_login(leader)
    assert client.post(contribution.get_absolute_url(), {"text": "tekst\x00med nullbyte"}).status_code == 400
    response = client.post(reverse("rounds:anchoring-add", args=[contribution.pk]), {"municipality": "abc"})
    assert response.status_code == 400
    assert client.get(round_.get_absolute_url(), {"page": "-1"}).status_code == 200
    contribution.refresh_from_db()
    assert contribution.text == "" and not contribution.anchorings.exists()
    client.force_login(adviser)
    assert client.post(reverse("rounds:round-open"), {"regions": ["x"], "deadline": "i morgen"}).status_code == 400
    client.post(reverse("rounds:round-close", args=[round_.pk]))
    future = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()
    response = client.post(reverse("rounds:round-sent", args=[round_.pk]), {"sent_on": future, "sent_to": "SD"})
    assert response.status_code == 400
    assert "Datoen det ble sendt kan ikke være fram i tid." in response.content.decode()
    round_.refresh_from_db()
    assert round_.sent_on is None and Round.objects.count() == 1


def test_the_round_page_reads_the_same_number_of_queries_for_two_regions_or_six(client, adviser, leader):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import RegionFactory

    def queries_for(count):
        regions = [RegionFactory() for _ in range(count)]
        round_ = open_round(regions, adviser=adviser)
        client.force_login(adviser)
        client.get(round_.get_absolute_url())  # warm the session and the user's posts
        with CaptureQueriesContext(connection) as captured:
            assert client.get(round_.get_absolute_url()).status_code == 200
        return len(captured)

    assert queries_for(2) == queries_for(6)
