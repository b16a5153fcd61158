"""Files for upload tests: one valid PDF and the files the portal must refuse, with the bokmål message
a user sees for each (the limit is set small by the tests, so no test writes megabytes)."""

from urllib.parse import unquote

from django.core.files.uploadedfile import SimpleUploadedFile

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
HTML = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script></svg>'
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"PE\x00\x00"
SMALL_LIMIT = 1024

# (case id, file name, content, the bokmål message shown, the validator's error code)
REFUSED = [
    ("html", "side.html", HTML, "Filer av typen .html kan ikke lastes opp.", "upload_type"),
    ("svg", "tegning.svg", SVG, "Filer av typen .svg kan ikke lastes opp.", "upload_type"),
    ("exe", "program.exe", EXE, "Filer av typen .exe kan ikke lastes opp.", "upload_type"),
    ("no-extension", "vedtak", PDF, "Filnavnet mangler filendelse", "upload_type"),
    (
        "html-renamed-pdf",
        "vedtak.pdf",
        HTML,
        "Innholdet i filen stemmer ikke med filendelsen .pdf.",
        "upload_content",
    ),
    ("svg-renamed-png", "kart.png", SVG, "Innholdet i filen stemmer ikke med filendelsen .png.", "upload_content"),
    ("empty", "tom.pdf", b"", "Filen er tom.", "upload_empty"),
    (
        "too-large",
        "stor.pdf",
        PDF + b"0" * (SMALL_LIMIT + 1 - len(PDF)),
        "Filen er for stor",
        "upload_size",
    ),
    ("long-name", "a" * 197 + ".pdf", PDF, "Filnavnet er for langt: høyst 200 tegn.", "upload_name"),
]
REFUSED_IDS = [row[0] for row in REFUSED]

# Names a browser cannot send (Django's multipart parser strips paths and unprintable characters),
# but a script calling a service can.
HOSTILE_NAMES = [
    ("nul", "vedtak\x00.pdf"),
    ("line-break", "vedtak\r\nX-Evil: 1.pdf"),
    ("backslash-path", "..\\..\\settings.pdf"),
    ("right-to-left-override", "faktura\u202efdp.pdf"),
    ("escape", "vedtak\x1b[31m.pdf"),
]


def upload(name, content, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def stored_files(root):
    """Every file under the media root (none if it was never created)."""
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def download_name(response) -> str:
    """The file name a browser saves a download under (RFC 6266: filename*= wins over filename=)."""
    header = response["Content-Disposition"]
    assert "\r" not in header and "\n" not in header
    if "filename*=utf-8''" in header:
        return unquote(header.split("filename*=utf-8''", 1)[1])
    return header.split('filename="', 1)[1][:-1].replace('\\"', '"').replace("\\\\", "\\")
