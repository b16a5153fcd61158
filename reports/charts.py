"""The report's charts, drawn on the server with the tracking page's bar chart (cases/svg.py); the page,
the PDF and the Word file always give the same figures as tables."""

from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from cases.svg import bar_chart

# WeasyPrint draws SVG from its attributes and ignores CSS `fill`: the PDF gets the page's colours inline.
_PRINT_COLOURS = {
    'class="cases-chart-bar"': 'class="cases-chart-bar" fill="#1f5f8b"',
    'class="cases-chart-label"': 'class="cases-chart-label" fill="#212529" font-size="13"',
    'class="cases-chart-value"': 'class="cases-chart-value" fill="#212529" font-size="13"',
}


def for_print(svg):
    for plain, coloured in _PRINT_COLOURS.items():
        svg = svg.replace(plain, coloured)
    return mark_safe(svg)


def report_charts(report, *, printed=False) -> dict:
    charts = {
        "meetings": bar_chart(
            [(row["region"].name, row["meetings_held"]) for row in report["regions"]],
            title=_("Meetings held per region"),
        ),
        "medians": bar_chart(
            [(str(row["area"]), row["median"]) for row in report["medians"] if row["median"] is not None],
            unit=_("days"),
            scale_at_least=7,
            title=_("Median days from submission to answer per council area"),
        ),
        "funds": bar_chart(
            [
                (row["priority"] or _("Projects without a priority"), float(row["allocated"]) / 1_000_000)
                for row in report["funds_by_priority"]
            ],
            unit=_("million NOK"),
            title=_("Funds allocated per priority"),
        ),
        "anchoring": [
            {
                "group": group,
                "svg": bar_chart(
                    [(row["region"].name, row["percent"]) for row in group["rows"]],
                    unit="%",
                    maximum=100,
                    title=_("Anchoring strength by region: %(topic)s") % {"topic": group["label"]},
                ),
            }
            for group in report["anchoring"]
        ],
    }
    if printed:
        charts = {name: for_print(svg) for name, svg in charts.items() if name != "anchoring"} | {
            "anchoring": [{**chart, "svg": for_print(chart["svg"])} for chart in charts["anchoring"]]
        }
    return charts
