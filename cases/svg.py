"""Small horizontal bar charts drawn on the server as SVG; the page always shows a table as well."""

from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import mark_safe

BAR_HEIGHT = 22
GAP = 8
LABEL_WIDTH = 220
CHART_WIDTH = 360


def _shown(value):
    """The value as the table under the chart writes it, in the active language ("2,5" in bokmål)."""
    if isinstance(value, float) and not float(value).is_integer():
        return number_format(value, 1)
    return number_format(round(value), 0)


def bar_chart(rows, *, unit="", maximum=None, scale_at_least=None, title=""):
    """rows: [(label, value)]. Returns safe SVG markup with role="img" and a title, or "" for no rows.

    Bars are drawn against `maximum`, else the largest value but at least `scale_at_least` (so one
    tiny value, e.g. 0.02 days, is not drawn as a full-width bar); zero draws no bar."""
    rows = [(label, value) for label, value in rows if value is not None]
    if not rows:
        return ""
    top = maximum or max(max(value for _label, value in rows), scale_at_least or 0) or 1
    height = len(rows) * (BAR_HEIGHT + GAP) + GAP
    width = LABEL_WIDTH + CHART_WIDTH + 80
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="cases-chart" role="img" '
        f'viewBox="0 0 {width} {height}" width="100%" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
    ]
    for index, (label, value) in enumerate(rows):
        y = GAP + index * (BAR_HEIGHT + GAP)
        bar = max(1, round(CHART_WIDTH * min(value, top) / top)) if value > 0 else 0
        shown = _shown(value)
        parts.append(
            f'<text x="{LABEL_WIDTH - 6}" y="{y + 16}" text-anchor="end" class="cases-chart-label">'
            f"{escape(str(label)[:34])}</text>"
        )
        parts.append(
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{bar}" height="{BAR_HEIGHT}" class="cases-chart-bar"></rect>'
        )
        parts.append(
            f'<text x="{LABEL_WIDTH + bar + 6}" y="{y + 16}" class="cases-chart-value">'
            f"{escape(shown)} {escape(unit)}</text>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))
