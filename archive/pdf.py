"""The archive copy of a registration as PDF/A (WeasyPrint's pdf_variant): no outside URL is ever
fetched; fonts come from the machine's fontconfig (DejaVu Sans)."""

from django.template.loader import render_to_string

PDF_VARIANT = "pdf/a-2b"  # PDF/A-2b: an archival format the Noark 5 archives accept

PRINT_CSS = """
  @page { size: A4; margin: 2cm; @bottom-right { content: counter(page) " / " counter(pages); font-size: 9pt; } }
  body { font-family: "DejaVu Sans", sans-serif; font-size: 10.5pt; line-height: 1.4; color: #111; }
  h1 { font-size: 16pt; margin-bottom: 0.2em; }
  dl { margin: 0.5em 0 1em; } dt { font-weight: bold; } dd { margin: 0 0 0.4em 0; }
  .text { white-space: pre-wrap; }
"""


def _refuse_fetch(url, *args, **kwargs):
    raise ValueError(f"External resources are not loaded in archive PDFs: {url}")


def registration_pdf(*, context: dict) -> bytes:
    """The PDF/A bytes of one registration (archive/registration_pdf.html with `context`)."""
    from weasyprint import CSS, HTML  # imported late: it is slow to load and only PDFs need it

    html = render_to_string("archive/registration_pdf.html", context)
    stylesheet = CSS(string=PRINT_CSS, url_fetcher=_refuse_fetch)
    return HTML(string=html, base_url=None, url_fetcher=_refuse_fetch).write_pdf(
        stylesheets=[stylesheet], pdf_variant=PDF_VARIANT
    )
