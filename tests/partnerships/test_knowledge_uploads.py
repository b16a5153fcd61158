"""Knowledge-base attachments of a special part: the same upload check as every other file, shown on
the form field; stored under a random name; downloaded only by those who may read the special part."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse

from partnerships import services
from partnerships.models import KnowledgeReference
from tests.upload_samples import (
    HOSTILE_NAMES,
    HTML,
    PDF,
    REFUSED,
    REFUSED_IDS,
    SMALL_LIMIT,
    download_name,
    stored_files,
    upload,
)

from .factories import adopted_general_part, an_adviser, draft_agreement

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "uploads"
    return settings.MEDIA_ROOT


@pytest.fixture
def special_part(region):
    adopted_general_part(region.host_county)
    return draft_agreement(region).special_part


def _post(client, special_part, uploaded, title="Regional analyse 2030"):
    return client.post(
        reverse("partnerships:special-part-knowledge", args=[special_part.pk]),
        {"title": title, "owner": "region", "url": "", "attachment": uploaded},
    )


@pytest.mark.parametrize("case_id,name,content,message,code", REFUSED, ids=REFUSED_IDS)
def test_the_knowledge_form_shows_why_a_file_is_refused_and_stores_nothing(
    client, settings, adviser, special_part, media, case_id, name, content, message, code
):
    settings.UPLOAD_MAX_BYTES = SMALL_LIMIT
    client.force_login(adviser)
    response = _post(client, special_part, upload(name, content))
    assert response.status_code == 400
    html = response.content.decode()
    field_error = html.split('id="id_attachment_error"', 1)[1].split("</div>", 1)[0]
    assert message in field_error
    assert not KnowledgeReference.objects.exists()
    assert stored_files(media) == []


@pytest.mark.parametrize("case_id,name,content,message,code", REFUSED, ids=REFUSED_IDS)
def test_the_service_refuses_what_the_form_refuses(
    settings, special_part, region, media, case_id, name, content, message, code
):
    """A script or another service calling knowledge_reference_add gets the same check."""
    settings.UPLOAD_MAX_BYTES = SMALL_LIMIT
    with pytest.raises(ValidationError) as error:
        services.knowledge_reference_add(
            actor=an_adviser(),
            special_part=special_part,
            title="Analyse",
            attachment=upload(name, content),
            owner_region=region,
        )
    assert [e.code for e in error.value.error_dict["attachment"]] == [code]
    assert not KnowledgeReference.objects.exists()
    assert stored_files(media) == []


@pytest.mark.parametrize("name", [name for _, name in HOSTILE_NAMES], ids=[i for i, _ in HOSTILE_NAMES])
def test_the_service_refuses_hostile_file_names(special_part, region, media, name):
    with pytest.raises(ValidationError) as error:
        services.knowledge_reference_add(
            actor=an_adviser(),
            special_part=special_part,
            title="Analyse",
            attachment=upload(name, PDF),
            owner_region=region,
        )
    assert [e.code for e in error.value.error_dict["attachment"]] == ["upload_name"]
    assert stored_files(media) == []


def test_a_pdf_is_stored_under_a_random_name_and_only_readers_of_the_part_download_it(
    client, adviser, leader, other_leader, staff, special_part, media
):
    client.force_login(adviser)
    response = _post(client, special_part, upload("Min analyse (endelig).pdf", PDF, "application/pdf"))
    assert response.status_code == 302
    ref = KnowledgeReference.objects.get()
    assert ref.attachment.name.startswith("partnerships/knowledge/")
    assert "analyse" not in ref.attachment.name.lower()
    assert stored_files(media) == [media / ref.attachment.name]
    url = reverse("partnerships:knowledge-download", args=[ref.pk])
    for reader in (adviser, leader):
        client.force_login(reader)
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"].startswith("attachment;")
        assert response["X-Content-Type-Options"] == "nosniff"
        assert download_name(response) == "Regional analyse 2030.pdf"
        assert b"".join(response.streaming_content) == PDF
    for outsider in (other_leader, staff):
        client.force_login(outsider)
        assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302


def test_the_page_of_the_part_links_to_the_download_view_not_to_the_file(
    client, settings, adviser, special_part, media
):
    client.force_login(adviser)
    _post(client, special_part, upload("analyse.pdf", PDF))
    ref = KnowledgeReference.objects.get()
    html = client.get(special_part.get_absolute_url()).content.decode()
    assert reverse("partnerships:knowledge-download", args=[ref.pk]) in html
    assert ref.attachment.name not in html
    assert settings.MEDIA_URL not in html


def test_a_file_stored_before_the_check_goes_out_as_an_opaque_download(client, adviser, special_part, media):
    """Files accepted before the check existed (an HTML page, kept under its uploader's name) are never
    served with a content type a browser would render."""
    name = default_storage.save("partnerships/knowledge/2024/side.html", ContentFile(HTML))
    ref = KnowledgeReference.objects.create(special_part=special_part, title="Gammel side", attachment=name)
    client.force_login(adviser)
    response = client.get(reverse("partnerships:knowledge-download", args=[ref.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert download_name(response) == "Gammel side.html"


def test_a_title_with_slashes_and_line_breaks_gives_a_plain_download_name(client, adviser, special_part, media):
    client.force_login(adviser)
    _post(client, special_part, upload("analyse.pdf", PDF))
    ref = KnowledgeReference.objects.get()
    KnowledgeReference.objects.filter(pk=ref.pk).update(title="Analyse 2030/2031\r\nX-Evil: 1")
    response = client.get(reverse("partnerships:knowledge-download", args=[ref.pk]))
    assert download_name(response) == "Analyse 2030_2031__X-Evil: 1.pdf"


def test_the_admin_refuses_a_disguised_file_with_the_same_message(client, admin_user, special_part, media):
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:partnerships_knowledgereference_add"),
        {"special_part": special_part.pk, "order": 1, "title": "Analyse", "attachment": upload("analyse.pdf", HTML)},
    )
    assert response.status_code == 200
    assert "Innholdet i filen stemmer ikke med filendelsen .pdf." in response.content.decode()
    assert not KnowledgeReference.objects.exists()
    assert stored_files(media) == []


def test_the_admin_still_saves_a_reference_whose_file_was_stored_before_the_check(
    client, admin_user, special_part, media
):
    """Stored files are not checked again on every save: an old file (or a lost one) does not block
    correcting a title."""
    name = default_storage.save("partnerships/knowledge/2024/side.html", ContentFile(HTML))
    ref = KnowledgeReference.objects.create(special_part=special_part, order=1, title="Gammel", attachment=name)
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:partnerships_knowledgereference_change", args=[ref.pk]),
        {"special_part": special_part.pk, "order": 1, "title": "Gammel side"},
    )
    assert response.status_code == 302
    ref.refresh_from_db()
    assert ref.title == "Gammel side" and ref.attachment.name == name
