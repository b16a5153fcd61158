"""PDF of the agenda and minutes with WeasyPrint: no outside URL is ever fetched; fonts come from the
machine's fontconfig (DejaVu Sans)."""

PRINT_CSS = """
  @page { size: A4; margin: 2cm; @bottom-right { content: counter(page) " / " counter(pages); font-size: 9pt; } }
  body { font-family: "DejaVu Sans", sans-serif; font-size: 10.5pt; line-height: 1.4; color: #111; }
  h1 { font-size: 18pt; margin-bottom: 0.2em; }
  h2 { font-size: 13pt; margin-top: 1.2em; border-bottom: 1px solid #999; }
  .meta { color: #333; }
  li { margin-bottom: 0.6em; }
  .minutes { margin-top: 0.3em; padding-left: 0.6em; border-left: 3px solid #0b3a63; }
  table { border-collapse: collapse; width: 100%; }
  th, td { text-align: left; padding: 2px 6px; border-bottom: 1px solid #ddd; }
"""


def _refuse_fetch(url, *args, **kwargs):
    raise ValueError(f"External resources are not loaded in PDFs: {url}")


def render_pdf(html: str, *, pdf_variant: str | None = None) -> bytes:
    """The PDF of the agenda or minutes HTML; with pdf_variant (e.g. "pdf/a-2b") the archival variant
    WeasyPrint makes (the archive hand-off of approved minutes)."""
    from weasyprint import CSS, HTML  # imported late: it is slow to load and only PDFs need it

    stylesheet = CSS(string=PRINT_CSS, url_fetcher=_refuse_fetch)
    options = {"pdf_variant": pdf_variant} if pdf_variant else {}
    return HTML(string=html, base_url=None, url_fetcher=_refuse_fetch).write_pdf(stylesheets=[stylesheet], **options)
