"""The report as a Word or OpenDocument file (core.documents): the adviser's text and the figures as
tables, the same in both (the charts are the page's and the PDF's; the files get the tables they are
drawn from)."""

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from core.documents import Bullet, Heading, Paragraph, Table, write_docx, write_odt
from funds.formatting import nok


def _days(value):
    return "" if value is None else number_format(value, 1)


def report_blocks(report) -> list:
    """The report's text and figures as document blocks, for either file."""
    county, year = report["county"], report["year"]
    blocks = [
        Heading(_("The partnership in %(county)s: report for %(year)s") % {"county": county.name, "year": year}, 0)
    ]
    text = report["text"]
    if text and text.introduction:
        blocks.append(Heading(_("Introduction")))
        blocks += [Paragraph(paragraph) for paragraph in text.introduction.split("\n\n")]
    blocks.append(Heading(_("Meetings and cases per region")))
    blocks.append(
        Table(
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
    )
    blocks.append(
        Table(
            _("Median days from submission to answer per council area"),
            [_("Council area"), _("Median days"), _("Answers")],
            [(str(row["area"]), _days(row["median"]), row["count"]) for row in report["medians"]],
        )
    )
    blocks.append(Heading(_("Anchoring strength")))
    for group in report["anchoring"]:
        blocks.append(
            Table(
                group["label"],
                [_("Region"), _("Cases"), _("Share of member councils supporting")],
                [(row["region"].name, row["cases"], f"{row['percent']} %") for row in group["rows"]],
            )
        )
    blocks.append(Heading(_("Partnership funds")))
    blocks.append(
        Table(
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
    )
    blocks.append(
        Table(
            _("Funds per priority"),
            [_("Priority"), _("Allocated"), _("Reported use")],
            [
                (row["priority"] or _("Projects without a priority"), nok(row["allocated"]), nok(row["used"]))
                for row in report["funds_by_priority"]
            ],
        )
    )
    blocks.append(Heading(_("Changes in membership")))
    if report["membership_changes"]:
        for change in report["membership_changes"]:
            membership = change["membership"]
            words = (
                _("%(municipality)s joined %(region)s") if change["joined"] else _("%(municipality)s left %(region)s")
            )
            blocks.append(
                Bullet(
                    f"{change['day']:%d.%m.%Y}: "
                    + words % {"municipality": membership.municipality.name, "region": membership.region.name}
                )
            )
    else:
        blocks.append(Paragraph(_("No municipality joined or left a region in the year.")))
    if text and text.assessment:
        blocks.append(Heading(_("The administration's assessment")))
        blocks += [Paragraph(paragraph) for paragraph in text.assessment.split("\n\n")]
    return blocks


def report_docx(report) -> bytes:
    """The report as a Word document."""
    return write_docx(report_blocks(report))


def report_odt(report) -> bytes:
    """The report as an OpenDocument text, with the same content as the Word document."""
    return write_odt(report_blocks(report))
