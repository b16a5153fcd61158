"""Attachments: allowed types only, size limit, content must match the extension, random names."""

import io
import zipfile
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from cases import services

from .conftest import NOW

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
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
