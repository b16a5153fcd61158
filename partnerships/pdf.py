"""The agreement as a PDF, rendered by WeasyPrint from an HTML template.

No outside request is ever made: the URL fetcher only serves files found by the static-files
finders (the stylesheet, and any vendored font); everything else is refused. The font is DejaVu
Sans through fontconfig, which has every Norwegian letter.
"""

import mimetypes
from urllib.parse import unquote, urlsplit

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

STATIC_BASE = "file:///static/"


def _static_path(url):
    """The local file of a file:///static/... URL, or None for anything else."""
    parts = urlsplit(url)
    if parts.scheme != "file" or not parts.path.startswith("/static/"):
        return None
    relative = unquote(parts.path[len("/static/") :])
    if ".." in relative.split("/"):
        return None
    return finders.find(relative)


def local_static_fetcher():
    """A WeasyPrint URL fetcher that serves static/... from the local static files and refuses
    every other URL (no network, no arbitrary files)."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class LocalStaticFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            path = _static_path(url)
            if not path:
                raise ValueError(f"Refused to fetch {url}")
            with open(path, "rb") as handle:
                body = handle.read()
            mime = mimetypes.guess_type(path)[0] or "application/octet-stream"
            return URLFetcherResponse(url, body, {"Content-Type": mime})

    return LocalStaticFetcher()


def agreement_pdf(*, context: dict, pdf_variant: str | None = None) -> bytes:
    """The PDF bytes for an agreement page context (see views.agreement_document_context); with
    pdf_variant (e.g. "pdf/a-2b") the archival variant WeasyPrint makes (the archive hand-off)."""
    from weasyprint import HTML  # imported here: WeasyPrint loads Pango at import time

    html = render_to_string("partnerships/agreement_pdf.html", context)
    document = HTML(string=html, base_url=STATIC_BASE, url_fetcher=local_static_fetcher())
    return document.write_pdf(pdf_variant=pdf_variant) if pdf_variant else document.write_pdf()
