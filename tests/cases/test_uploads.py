"""Case attachments: allowed types only, size limit, content must match the extension, sensible names,
random stored names; through the service and through the upload form on the case page."""

import io
import zipfile
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from cases import services
from cases.models import Attachment
from tests.upload_samples import (
    HOSTILE_NAMES,
    PDF,
    REFUSED,
    REFUSED_IDS,
    SMALL_LIMIT,
    download_name,
    stored_files,
    upload,
)

from .conftest import NOW

pytestmark = pytest.mark.django_db

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63600000000200015e2f6b5b0000000049454e44ae426082"
)
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"


def _zip(members):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def _xlsx():
    buffer = io.BytesIO()
    Workbook().save(buffer)
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "uploads"
    return settings.MEDIA_ROOT


def _add(case, actor, name, content):
    return services.attachment_add(case=case, actor=actor, uploaded_file=SimpleUploadedFile(name, content), now=NOW)


@pytest.mark.parametrize(
    "name,content,content_type",
    [
        ("vedtak.pdf", PDF, "application/pdf"),
        ("kart.png", PNG, "image/png"),
        ("bilde.JPG", JPEG, "image/jpeg"),
        (
            "notat.docx",
            _zip({"[Content_Types].xml": "<x/>", "word/document.xml": "<w/>"}),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        ("tall.xlsx", _xlsx(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (
            "brev.odt",
            _zip({"mimetype": "application/vnd.oasis.opendocument.text", "content.xml": "<o/>"}),
            "application/vnd.oasis.opendocument.text",
        ),
    ],
)
def test_allowed_files_are_stored_under_a_random_name_outside_the_web_root(
    draft, leader, media, name, content, content_type
):
    attachment = _add(draft, leader, name, content)
    assert attachment.content_type == content_type
    assert attachment.original_name == name
    stored = Path(attachment.file.path)
    assert stored.is_relative_to(media)
    assert Path(name).stem not in stored.name
    assert stored.read_bytes() == content


@pytest.mark.parametrize(
    "name,content",
    [
        ("side.pdf", b"<!doctype html><html><script>alert(1)</script></html>"),
        ("bilde.png", PDF),
        ("notat.docx", _zip({"[Content_Types].xml": "<x/>", "xl/workbook.xml": "<x/>"})),
        ("notat.docx", b"not a zip at all"),
        ("brev.odt", _zip({"mimetype": "application/vnd.oasis.opendocument.spreadsheet"})),
    ],
)
def test_disguised_files_are_refused(draft, leader, name, content):
    with pytest.raises(ValidationError) as error:
        _add(draft, leader, name, content)
    assert "file" in error.value.message_dict
    assert not draft.attachments.exists()


@pytest.mark.parametrize("name", ["side.html", "skript.exe", "uten-endelse", "bilde.svg", "ark.xls"])
def test_other_types_are_refused(draft, leader, name):
    with pytest.raises(ValidationError):
        _add(draft, leader, name, PDF)
    assert not draft.attachments.exists()


def test_oversized_file_is_refused(draft, leader, settings):
    settings.UPLOAD_MAX_BYTES = 1024
    with pytest.raises(ValidationError) as error:
        _add(draft, leader, "stor.pdf", PDF + b"0" * 2048)
    assert "file" in error.value.message_dict
    assert not draft.attachments.exists()


def test_file_just_over_twenty_megabytes_is_refused(draft, leader):
    with pytest.raises(ValidationError):
        _add(draft, leader, "stor.pdf", PDF + b"0" * (20 * 1024 * 1024))


def test_other_regions_leader_cannot_attach(draft, other_leader):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        _add(draft, other_leader, "vedtak.pdf", PDF)


@pytest.mark.parametrize("name", [name for _, name in HOSTILE_NAMES], ids=[i for i, _ in HOSTILE_NAMES])
def test_hostile_file_names_are_refused_and_nothing_is_stored(draft, leader, media, name):
    with pytest.raises(ValidationError) as error:
        _add(draft, leader, name, PDF)
    assert [e.code for e in error.value.error_dict["file"]] == ["upload_name"]
    assert not draft.attachments.exists()
    assert stored_files(media) == []


def test_a_failure_after_the_file_is_stored_removes_the_file(draft, leader, media, monkeypatch):
    def broken_event(*args, **kwargs):
        raise RuntimeError("the timeline could not be written")

    monkeypatch.setattr(services, "_event", broken_event)
    with pytest.raises(RuntimeError):
        _add(draft, leader, "vedtak.pdf", PDF)
    assert not Attachment.objects.exists()
    assert stored_files(media) == []


# --- the upload form on the case page ----------------------------------------------------------------


def _post(client, case, uploaded):
    return client.post(reverse("cases:attachment-upload", args=[case.pk]), {"file": uploaded})


@pytest.mark.parametrize("case_id,name,content,message,code", REFUSED, ids=REFUSED_IDS)
def test_the_upload_form_shows_why_a_file_is_refused_and_stores_nothing(
    client, settings, draft, leader, media, case_id, name, content, message, code
):
    settings.UPLOAD_MAX_BYTES = SMALL_LIMIT
    client.force_login(leader)
    response = _post(client, draft, upload(name, content))
    assert response.status_code == 400
    html = response.content.decode()
    field_error = html.split('id="id_file_error"', 1)[1].split("</div>", 1)[0]
    assert message in field_error
    assert "Filen ble ikke lagt ved. Se årsaken under Vedlegg." in html
    assert not draft.attachments.exists()
    assert stored_files(media) == []


def test_a_pdf_uploaded_on_the_case_page_is_stored_and_only_the_case_readers_download_it(
    client, draft, leader, other_leader, staff, media
):
    client.force_login(leader)
    response = _post(client, draft, upload("Vedtak – regionrådet.pdf", PDF, "application/pdf"))
    assert response.status_code == 302
    attachment = draft.attachments.get()
    assert attachment.original_name == "Vedtak – regionrådet.pdf"
    assert stored_files(media) == [media / attachment.file.name]
    response = client.get(attachment.get_absolute_url())
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert download_name(response) == "Vedtak – regionrådet.pdf"
    assert b"".join(response.streaming_content) == PDF
    for outsider in (other_leader, staff):
        client.force_login(outsider)
        assert client.get(attachment.get_absolute_url()).status_code == 404


def test_a_name_stored_before_the_check_is_made_safe_for_the_download_header(client, draft, leader, media):
    attachment = _add(draft, leader, "vedtak.pdf", PDF)
    Attachment.objects.filter(pk=attachment.pk).update(original_name="ved\r\ntak/../\x1b.pdf")
    client.force_login(leader)
    response = client.get(attachment.get_absolute_url())
    assert response.status_code == 200
    assert download_name(response) == "ved__tak_..__.pdf"
