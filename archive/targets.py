"""Where a package goes: a folder (the default; one sub-folder per message, written atomically) or
an HTTP endpoint (POST of a ZIP), chosen by settings (ARCHIVE_URL, ARCHIVE_DIR)."""

import io
import os
import shutil
import urllib.error
import urllib.request
import zipfile
from pathlib import Path
from uuid import uuid4

from django.conf import settings

from .arkivmelding import MESSAGE_TYPE

XML_NAME = "arkivmelding.xml"
KEY_HEADER = "X-Regionportalen-Archive-Key"
RECEIPT_MAX_LENGTH = 2000


class DeliveryError(Exception):
    """The target refused or could not take the package; `transient` errors are retried."""

    def __init__(self, text, *, transient):
        super().__init__(text)
        self.transient = transient


def target_description() -> str:
    return settings.ARCHIVE_URL or str(settings.ARCHIVE_DIR)


def deliver(*, name: str, key: str, xml: bytes, files: dict[str, bytes]) -> str:
    """Hand one package to the configured target; returns the receipt's text."""
    if settings.ARCHIVE_URL:
        return _post(url=settings.ARCHIVE_URL, key=key, body=_zip(xml, files))
    return _write_folder(Path(settings.ARCHIVE_DIR), name=name, xml=xml, files=files)


def _write_folder(root: Path, *, name: str, xml: bytes, files: dict[str, bytes]) -> str:
    """Write the package into a hidden temporary folder beside its final place, then rename it into
    place in one step, so a receiver never sees half a package. The name is the message's key: a
    package already there (a second run of the same message) is left as it is, never written twice."""
    root.mkdir(parents=True, exist_ok=True)
    final = root / name
    if final.exists():
        return f"{final} (already delivered)"
    temporary = root / f".tmp-{name}-{uuid4().hex}"
    temporary.mkdir()
    try:
        (temporary / XML_NAME).write_bytes(xml)
        for file_name, content in files.items():
            (temporary / file_name).write_bytes(content)
        for path in temporary.iterdir():
            with open(path, "rb") as handle:
                os.fsync(handle.fileno())
        try:
            os.rename(temporary, final)
        except OSError:
            if final.exists():  # another run got there first: its package stands
                return f"{final} (already delivered)"
            raise
    finally:
        if temporary.exists():
            shutil.rmtree(temporary, ignore_errors=True)
    return str(final)


def _zip(xml: bytes, files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(XML_NAME, xml)
        for file_name, content in files.items():
            archive.writestr(file_name, content)
    return buffer.getvalue()


def _post(*, url: str, key: str, body: bytes) -> str:
    """POST the ZIP; 2xx is a receipt (its body), 408/429/5xx and network errors are retried, any
    other answer is refused for good."""
    request = urllib.request.Request(
        url,
        data=body,
        method="POST",
        headers={"Content-Type": "application/zip", KEY_HEADER: key, "X-Message-Type": MESSAGE_TYPE},
    )
    try:
        with urllib.request.urlopen(request, timeout=settings.ARCHIVE_HTTP_TIMEOUT) as response:  # noqa: S310
            text = response.read(RECEIPT_MAX_LENGTH).decode("utf-8", "replace")
            return text.strip() or f"HTTP {response.status}"
    except urllib.error.HTTPError as exc:
        detail = exc.read(500).decode("utf-8", "replace").strip()
        transient = exc.code in (408, 429) or exc.code >= 500
        raise DeliveryError(f"HTTP {exc.code}: {detail}"[:RECEIPT_MAX_LENGTH], transient=transient) from None
    except (urllib.error.URLError, OSError) as exc:
        raise DeliveryError(f"{exc.__class__.__name__}: {exc}", transient=True) from None
