"""The round's joint document as Word (core.documents): the same content as the PDF (the round's
text, then each region's submitted contribution with who submitted it and when, its anchoring in the
member municipalities and the names of its attachments), for the adviser to edit before it goes to the
state."""

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from core.documents import Heading, Paragraph, Table, write_docx


def _date(value, format_name="SHORT_DATE_FORMAT"):
    return formats.date_format(value, format_name) if value else "–"


def round_blocks(*, round_, contributions, council_areas) -> list:
    """The joint document as blocks: contributions are the round's submitted ones, with their
    anchorings, municipalities, attachments and submitter read already (no query per region)."""
    meta = [round_.county.name, _("Deadline %(date)s") % {"date": _date(round_.deadline, "DATE_FORMAT")}]
    if council_areas:
        meta.append(", ".join(area.name for area in council_areas))
    blocks = [Heading(round_.title, 0), Paragraph(" · ".join(meta))]
    blocks += [Paragraph(part) for part in round_.public_text.split("\n\n") if part.strip()]
    if not contributions:
        blocks.append(Paragraph(_("No region has submitted a contribution yet.")))
    for contribution in contributions:
        blocks.append(Heading(contribution.region.name, 1))
        when = timezone.localtime(contribution.submitted_at) if contribution.submitted_at else None
        blocks.append(
            Paragraph(
                _("Submitted by %(person)s on %(when)s.")
                % {"person": contribution.submitted_by or "–", "when": _date(when, "DATETIME_FORMAT")}
            )
        )
        blocks += [Paragraph(part) for part in contribution.text.split("\n\n") if part.strip()]
        anchorings = list(contribution.anchorings.all())
        if anchorings:
            blocks.append(
                Table(
                    _("Anchoring in the member municipalities"),
                    [_("Municipality"), _("Body"), _("Stance"), _("Decision date")],
                    [
                        (
                            anchoring.municipality.name,
                            anchoring.get_body_display(),
                            anchoring.get_stance_display(),
                            _date(anchoring.decision_date),
                        )
                        for anchoring in anchorings
                    ],
                )
            )
        attachments = [attachment.original_name for attachment in contribution.attachments.all()]
        if attachments:
            blocks.append(Paragraph(_("Attachments") + ": " + ", ".join(attachments)))
    return blocks


def round_docx(**kwargs) -> bytes:
    """The joint document as a Word file."""
    return write_docx(round_blocks(**kwargs))
