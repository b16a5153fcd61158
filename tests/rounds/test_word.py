"""The round's joint document as Word beside the PDF (issue 16, item 2): it opens, says who said what
with the anchoring and the attachments' names, leaves out what is not submitted, and only the round's
advisers get it."""

import io

import pytest
from django.urls import reverse
from docx import Document

from rounds import services
from rounds.models import Contribution
from tests.factories import MembershipFactory, MunicipalityFactory
from tests.upload_samples import PDF, upload

from .factories import open_round

pytestmark = pytest.mark.django_db


@pytest.fixture
def round_(region, other_region, adviser, leader, other_leader):
    return open_round([region, other_region], adviser=adviser)


def _word(content):
    document = Document(io.BytesIO(content))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join(paragraph.text for paragraph in document.paragraphs), cells


def test_the_joint_document_in_word_says_who_said_what(client, round_, region, other_region, adviser, leader):
    contribution = Contribution.objects.get(round=round_, region=region)
    member = MembershipFactory(region=region, municipality=MunicipalityFactory(name="Marker")).municipality
    services.contribution_save(contribution=contribution, actor=leader, text="Dobbeltspor til Halden.")
    services.anchoring_record(contribution=contribution, actor=leader, municipality=member, stance="supports")
    services.attachment_add(contribution=contribution, actor=leader, uploaded_file=upload("vedtak.pdf", PDF))
    services.contribution_submit(contribution=contribution, actor=leader)
    client.force_login(adviser)
    assert reverse("rounds:round-docx", args=[round_.pk]) in client.get(round_.get_absolute_url()).content.decode()
    response = client.get(reverse("rounds:round-docx", args=[round_.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert response["Content-Disposition"] == f'attachment; filename="innspill-{round_.pk}.docx"'
    text, cells = _word(response.content)
    assert round_.title in text and region.name in text and "Dobbeltspor til Halden." in text
    assert f"Sendt inn av {leader}" in text
    assert "vedtak.pdf" in text
    assert "Marker" in cells and "Støtter" in cells
    assert other_region.name not in text  # it has not submitted


def test_a_round_without_contributions_says_so(client, round_, adviser):
    client.force_login(adviser)
    text, _cells = _word(client.get(reverse("rounds:round-docx", args=[round_.pk])).content)
    assert "Ingen region har sendt inn innspill ennå." in text


def test_only_the_rounds_advisers_get_the_word_file(client, round_, region, leader, other_leader, staff):
    url = reverse("rounds:round-docx", args=[round_.pk])
    client.force_login(leader)
    assert client.get(url).status_code == 403
    client.force_login(staff)
    assert client.get(url).status_code == 404
