"""The report's charts, drawn on the server with the tracking page's bar chart (cases/svg.py); the page,
the PDF and the Word file always give the same figures as tables."""

from django.utils.translation import gettext as _

from cases.svg import bar_chart


def report_charts(report) -> dict:
    return {
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
                (row["priority"] or _("Projects without a priority"), float(row["allocated"]))
                for row in report["funds_by_priority"]
            ],
            unit="kr",
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
