"""Upload checks: only PDF, DOCX, XLSX, ODT, PNG and JPEG, at most settings.UPLOAD_MAX_BYTES, and the
content must be what the extension says (a renamed HTML page is not a PDF)."""

import zipfile
from pathlib import PurePosixPath

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"

# extension -> (content type sent on download, how the content is recognised)
ALLOWED = {
    ".pdf": ("application/pdf", "magic"),
    ".png": ("image/png", "magic"),
    ".jpg": ("image/jpeg", "magic"),
    ".jpeg": ("image/jpeg", "magic"),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "word/document.xml"),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xl/workbook.xml"),
    ".odt": ("application/vnd.oasis.opendocument.text", "odt"),
}
MAGIC_MIME = {".pdf": {"application/pdf"}, ".png": {"image/png"}, ".jpg": {"image/jpeg"}, ".jpeg": {"image/jpeg"}}


def _head(uploaded_file, size=8192) -> bytes:
    uploaded_file.seek(0)
    head = uploaded_file.read(size)
    uploaded_file.seek(0)
    return head


def _zip_has(uploaded_file, member) -> bool:
    uploaded_file.seek(0)
    try:
        with zipfile.ZipFile(uploaded_file) as archive:
            names = set(archive.namelist())
            if member == "odt":
                return "mimetype" in names and archive.read("mimetype").strip() == ODT_MIMETYPE
            return member in names and "[Content_Types].xml" in names
    except (zipfile.BadZipFile, OSError, KeyError, ValueError):
        return False
    finally:
        uploaded_file.seek(0)


def validate_upload(uploaded_file) -> str:
    """Return the content type to store, or raise ValidationError with a message for the user."""
    if uploaded_file is None:
        raise ValidationError({"file": _("Choose a file.")})
    extension = PurePosixPath(uploaded_file.name or "").suffix.lower()
    if extension not in ALLOWED:
        raise ValidationError({"file": _("Only PDF, DOCX, XLSX, ODT, PNG and JPEG files can be attached.")})
    limit = settings.UPLOAD_MAX_BYTES
    if uploaded_file.size > limit:
        raise ValidationError(
            {"file": _("The file is too large: at most %(limit)s.") % {"limit": filesizeformat(limit)}}
        )
    if uploaded_file.size == 0:
        raise ValidationError({"file": _("The file is empty.")})
    content_type, check = ALLOWED[extension]
    if check == "magic":
        kind = filetype.guess(_head(uploaded_file))
        ok = kind is not None and kind.mime in MAGIC_MIME[extension]
    else:
        ok = _zip_has(uploaded_file, check)
    if not ok:
        raise ValidationError(
            {"file": _("The file's content does not match its extension %(extension)s.") % {"extension": extension}}
        )
    return content_type
