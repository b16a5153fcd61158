"""The report as a Word document (python-docx): the adviser's text and the figures as tables (the
charts are the page's and the PDF's; Word gets the tables they are drawn from)."""

import io

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from core.validators import printable
from funds.formatting import nok


def _table(document, caption, header, rows):
    document.add_paragraph(printable(caption, multiline=False), style="Caption")
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = printable(text, multiline=False)
    for row in rows:
        for cell, value in zip(table.add_row().cells, row, strict=True):
            cell.text = printable(value, multiline=False)


def _days(value):
    return "" if value is None else number_format(value, 1)


def report_docx(report) -> bytes:
    from docx import Document  # imported late: only the Word download needs it

    county, year = report["county"], report["year"]
    document = Document()
    document.add_heading(
        printable(
            _("The partnership in %(county)s: report for %(year)s") % {"county": county.name, "year": year},
            multiline=False,
        ),
        0,
    )
    text = report["text"]
    if text and text.introduction:
        document.add_heading(_("Introduction"), 1)
        for paragraph in text.introduction.split("\n\n"):
            document.add_paragraph(printable(paragraph))
    document.add_heading(_("Meetings and cases per region"), 1)
    _table(
        document,
        _("Meetings held, attendance and cases per region"),
        [_("Region"), _("Meetings held"), _("Attended / invited"), _("Cases submitted"), _("Answered"), _("Open")],
        [
            (
                row["region"].name,
                row["meetings_held"],
                f"{row['attended']} / {row['invited']}",
                row["submitted"],
                row["routed_answered"],
                row["routed_open"],
            )
            for row in report["regions"]
        ],
    )
    _table(
        document,
        _("Median days from submission to answer per council area"),
        [_("Council area"), _("Median days"), _("Answers")],
        [(str(row["area"]), _days(row["median"]), row["count"]) for row in report["medians"]],
    )
    document.add_heading(_("Anchoring strength"), 1)
    for group in report["anchoring"]:
        _table(
            document,
            group["label"],
            [_("Region"), _("Cases"), _("Share of member councils supporting")],
            [(row["region"].name, row["cases"], f"{row['percent']} %") for row in group["rows"]],
        )
    document.add_heading(_("Partnership funds"), 1)
    _table(
        document,
        _("Funds per region"),
        [_("Region"), _("Income"), _("Allocated"), _("Paid"), _("Reported use")],
        [
            (
                row["region"].name,
                nok(row["funds"]["income"]),
                nok(row["funds"]["allocated"]),
                nok(row["funds"]["paid"]),
                nok(row["funds"]["used"]),
            )
            for row in report["regions"]
        ],
    )
    _table(
        document,
        _("Funds per priority"),
        [_("Priority"), _("Allocated"), _("Reported use")],
        [
            (row["priority"] or _("Projects without a priority"), nok(row["allocated"]), nok(row["used"]))
            for row in report["funds_by_priority"]
        ],
    )
    document.add_heading(_("Changes in membership"), 1)
    if report["membership_changes"]:
        for change in report["membership_changes"]:
            membership = change["membership"]
            words = (
                _("%(municipality)s joined %(region)s") if change["joined"] else _("%(municipality)s left %(region)s")
            )
            document.add_paragraph(
                printable(
                    f"{change['day']:%d.%m.%Y}: "
                    + words % {"municipality": membership.municipality.name, "region": membership.region.name},
                    multiline=False,
                ),
                style="List Bullet",
            )
    else:
        document.add_paragraph(_("No municipality joined or left a region in the year."))
    if text and text.assessment:
        document.add_heading(_("The administration's assessment"), 1)
        for paragraph in text.assessment.split("\n\n"):
            document.add_paragraph(printable(paragraph))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
