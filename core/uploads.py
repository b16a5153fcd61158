"""The one check for every file the portal accepts, the field that carries it, and the one way a stored
file goes back out.

A file is accepted when its name is sensible (at most MAX_NAME_LENGTH characters, no slash,
backslash, control or invisible formatting character), its extension is on the allow-list (PDF,
DOCX, XLSX, ODT, PNG, JPEG), its bytes are what the extension says (magic numbers for PDF, PNG and
JPEG; the zip members of DOCX, XLSX and ODT), and it holds between 1 byte and
settings.UPLOAD_MAX_BYTES. It is stored under a random name: the uploader's name is kept only in the
database. It goes out only through a view that has checked the user's right to the object, as a
download with nosniff and the content type of its checked extension.

Every model file field is an UploadField, so full_clean() (services, Django admin's forms) runs the
check and a file's url is its object's download view; core.checks refuses a plain FileField or
ImageField in the project's models, and a model with an UploadField but no get_download_url().
"""

import re
import unicodedata
import uuid
import zipfile
from pathlib import PurePosixPath

import filetype
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadhandler import FileUploadHandler
from django.db import models
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404
from django.template.defaultfilters import filesizeformat
from django.utils.deconstruct import deconstructible
from django.utils.functional import lazy
from django.utils.translation import gettext as _

MAX_NAME_LENGTH = 200
ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
FALLBACK_CONTENT_TYPE = "application/octet-stream"

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
# Control (Cc: NUL, CR, LF, ESC ...), invisible formatting (Cf: right-to-left override, zero width
# space) and line/paragraph separators (Zl, Zp): none belongs in a file name, and several can make
# a name read differently from what it is or break a header.
_REFUSED_CATEGORIES = {"Cc", "Cf", "Cs", "Zl", "Zp"}


def _refused_character(char: str) -> bool:
    return char in "/\\" or unicodedata.category(char) in _REFUSED_CATEGORIES


def upload_extension(name: str) -> str:
    return PurePosixPath(name or "").suffix.lower()


def upload_content_type(name: str) -> str:
    """The content type a file with this (checked) name is served with; octet-stream for anything
    not on the allow-list (a file stored before the check existed)."""
    allowed = ALLOWED.get(upload_extension(name))
    return allowed[0] if allowed else FALLBACK_CONTENT_TYPE


def _allowed_types_text() -> str:
    return _("Upload a PDF, DOCX, XLSX, ODT, PNG or JPEG file.")


def _source(value):
    """The uploaded file behind a validator's value, or None for a file already in storage (it was
    checked on its way in; re-reading storage on every full_clean would let a lost file block an
    unrelated edit)."""
    if isinstance(value, FieldFile):
        return None if value._committed else value.file
    return value


def _zip_has(upload, member) -> bool:
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
            if member == "odt":
                # Only a tiny "mimetype" member is read: a huge compressed one is not unpacked.
                return (
                    "mimetype" in names
                    and archive.getinfo("mimetype").file_size <= 100
                    and archive.read("mimetype").strip() == ODT_MIMETYPE
                )
            return member in names and "[Content_Types].xml" in names
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, KeyError, ValueError, EOFError, NotImplementedError):
        return False
    finally:
        upload.seek(0)


def _is_text(upload) -> bool:
    """UTF-8 text (a byte order mark allowed) without NUL bytes: a table exported as CSV, not a binary
    file renamed."""
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    if b"\x00" in data:
        return False
    try:
        data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return False
    return True


def _content_matches(upload, extension, allowed=None) -> bool:
    check = (allowed or ALLOWED)[extension][1]
    if check == "text":
        return _is_text(upload)
    if check != "magic":
        return _zip_has(upload, check)
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    return kind is not None and kind.mime in MAGIC_MIME[extension]


def _validate(value, allowed, types_text) -> None:
    upload = _source(value)
    if upload is None:
        return
    name = upload.name or ""
    if any(_refused_character(char) for char in name):
        raise ValidationError(
            _(
                "The file name cannot contain slashes, backslashes or control characters. "
                "Rename the file and try again."
            ),
            code="upload_name",
        )
    if len(name) > MAX_NAME_LENGTH:
        raise ValidationError(
            _("The file name is too long: at most %(limit)d characters. Rename the file and try again.")
            % {"limit": MAX_NAME_LENGTH},
            code="upload_name",
        )
    extension = upload_extension(name)
    if extension not in allowed:
        if extension:
            message = _("Files of type %(extension)s cannot be uploaded.") % {"extension": extension}
        else:
            message = _("The file name has no extension, so its type is unknown.")
        raise ValidationError(f"{message} {types_text()}", code="upload_type")
    limit = settings.UPLOAD_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            _("The file is too large: at most %(limit)s.") % {"limit": filesizeformat(limit)},
            code="upload_size",
        )
    if upload.size == 0:
        raise ValidationError(_("The file is empty."), code="upload_empty")
    if not _content_matches(upload, extension, allowed):
        raise ValidationError(
            _("The file's content does not match its extension %(extension)s.") % {"extension": extension},
            code="upload_content",
        )


def validate_upload(value) -> None:
    """Refuse a file the portal does not accept, with a message for the user (ValidationError)."""
    _validate(value, ALLOWED, _allowed_types_text)


# A table to import (not stored): CSV as UTF-8 text.
CSV_ALLOWED = {".csv": ("text/csv", "text")}


def _csv_types_text() -> str:
    return _("Upload a CSV file (UTF-8 text).")


def validate_csv_upload(value) -> None:
    """The same check for a CSV file to import: a sensible name, the .csv extension, 1 byte to
    UPLOAD_MAX_BYTES, and UTF-8 text without NUL bytes."""
    _validate(value, CSV_ALLOWED, _csv_types_text)


def upload_display_name(name: str, *, fallback: str = "") -> str:
    """A name safe to show and to send in a Content-Disposition header: no path, no control or
    formatting characters, at most MAX_NAME_LENGTH characters with the extension kept."""
    cleaned = "".join("_" if _refused_character(char) else char for char in (name or "")).strip(" .")
    if not cleaned:
        return fallback
    suffix = upload_extension(cleaned)
    if len(cleaned) > MAX_NAME_LENGTH:
        cleaned = cleaned[: MAX_NAME_LENGTH - len(suffix)].rstrip(" .") + suffix
    return cleaned


@deconstructible
class RandomUploadName:
    """upload_to for UploadField: a random name under `folder`, keeping only the checked extension."""

    def __init__(self, folder: str):
        self.folder = folder.strip("/")

    def __call__(self, instance, filename):
        extension = upload_extension(filename)
        return f"{self.folder}/{uuid.uuid4().hex}{extension if extension in ALLOWED else ''}"

    def __eq__(self, other):
        return isinstance(other, RandomUploadName) and other.folder == self.folder

    def __hash__(self):
        return hash(self.folder)


def _help_text() -> str:
    return _("PDF, DOCX, XLSX, ODT, PNG or JPEG, at most %(limit)s.") % {
        "limit": filesizeformat(settings.UPLOAD_MAX_BYTES)
    }


upload_help_text = lazy(_help_text, str)


class UploadFormField(forms.FileField):
    """The form side of UploadField: the same check, so a refusal is shown on the field."""

    default_validators = [validate_upload]
    allowed_extensions = frozenset(ALLOWED)

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", upload_help_text())
        # An empty file gets validate_upload's message, not Django's.
        kwargs.setdefault("allow_empty_file", True)
        super().__init__(**kwargs)


class CsvUploadFormField(UploadFormField):
    """A CSV file to import (read, never stored): the same name, size and emptiness checks, and UTF-8
    text for content."""

    default_validators = [validate_csv_upload]
    allowed_extensions = frozenset(CSV_ALLOWED)

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "help_text",
            lazy(
                lambda: _("A CSV file, at most %(limit)s.") % {"limit": filesizeformat(settings.UPLOAD_MAX_BYTES)}, str
            )(),
        )
        super().__init__(**kwargs)


class UploadFieldFile(FieldFile):
    @property
    def url(self):
        """The owning object's permission-checked download view, never a MEDIA_URL address: Django's
        admin and any template that links a file go through the check too."""
        self._require_file()
        return self.instance.get_download_url()


class UploadField(models.FileField):
    """The only file field the project's models use: full_clean() runs validate_upload, the file is
    stored under a random name in `folder` (never the uploader's name), and its url is the model's
    get_download_url() (a view that checks the user's right to the object)."""

    attr_class = UploadFieldFile
    default_validators = [validate_upload]

    def __init__(self, verbose_name=None, name=None, *, folder: str = "uploads", **kwargs):
        if "upload_to" in kwargs:
            raise TypeError("UploadField names stored files itself; give folder= instead of upload_to=.")
        self.folder = folder
        kwargs.setdefault("max_length", 255)
        super().__init__(verbose_name, name, upload_to=RandomUploadName(folder), **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        del kwargs["upload_to"]
        kwargs["folder"] = self.folder
        return name, path, args, kwargs

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": UploadFormField, **kwargs})


class UploadSizeLimitHandler(FileUploadHandler):
    """The first upload handler (settings.FILE_UPLOAD_HANDLERS): passes on at most UPLOAD_MAX_BYTES + 1
    bytes of a request's files, so an oversized upload is refused by validate_upload ("too large")
    without first being written whole to memory or a temporary file."""

    def __init__(self, request=None):
        super().__init__(request)
        self.remaining = settings.UPLOAD_MAX_BYTES + 1

    def receive_data_chunk(self, raw_data, start):
        kept = raw_data[: max(self.remaining, 0)]
        self.remaining -= len(kept)
        return kept

    def file_complete(self, file_size):
        return None  # the next handler (memory or temporary file) builds the file from what was kept


_MIME_TYPE = re.compile(r"[\w.+-]+/[\w.+-]+")


def upload_response(field_file, *, filename: str, content_type: str | None = None) -> FileResponse:
    """A stored file as a download: only call it after the user's right to the object is checked.
    Content-Disposition: attachment with a header-safe name, nosniff, the checked content type, and
    no caching outside the user's browser. A missing file is a 404."""
    if not field_file:
        raise Http404("No file")
    try:
        handle = field_file.open("rb")
    except OSError:
        raise Http404("File missing") from None
    name = upload_display_name(filename, fallback=_("attachment") + upload_extension(field_file.name))
    # The stored type goes into a header: one that is not a plain type/subtype (a row written past the
    # checks) is sent as octet-stream rather than failing the download.
    if content_type and not _MIME_TYPE.fullmatch(content_type):
        content_type = "application/octet-stream"
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=name,
        content_type=content_type or upload_content_type(field_file.name),
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
