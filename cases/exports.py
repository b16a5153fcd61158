"""CSV and Excel exports of a (filtered, permission-scoped) case list."""

import csv
import io

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from core.validators import spreadsheet_cell

from .selectors import case_anchoring_strength, overdue_q


def _headers():
    return [
        _("Reference"),
        _("Title"),
        _("Status"),
        _("Topic"),
        _("Direction"),
        _("From"),
        _("Council areas"),
        _("Submitted"),
        _("Deadline"),
        _("Overdue"),
        _("Anchoring"),
    ]


def _rows(queryset):
    today = timezone.localdate()
    overdue_ids = set(queryset.filter(overdue_q(today)).values_list("pk", flat=True))
    for case in queryset.prefetch_related("routings__council_area"):
        strength = case_anchoring_strength(case=case)
        areas = ", ".join(sorted({str(r.council_area) for r in case.routings.all() if r.state != "cancelled"}))
        yield [
            case.reference or "",
            case.title,
            case.get_status_display(),
            case.get_topic_display(),
            case.get_direction_display(),
            str(case.origin_region or case.origin_council_area or ""),
            areas,
            timezone.localtime(case.submitted_at).strftime("%Y-%m-%d") if case.submitted_at else "",
            case.deadline.isoformat() if case.deadline else "",
            _("yes") if case.pk in overdue_ids else "",
            f"{strength.supporting}/{strength.total}" if strength and strength.total else "",
        ]


def _safe(value):
    """One line of printable text that a spreadsheet never runs as a formula: stored titles may hold
    control characters (openpyxl refuses them) or start with = + - @ (CSV injection)."""
    return spreadsheet_cell(value)


def _filename(ext):
    return f"saker-{timezone.localdate().isoformat()}.{ext}"


def csv_response(queryset) -> HttpResponse:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(_headers())
    for row in _rows(queryset):
        writer.writerow([_safe(v) for v in row])
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename("csv")}"'
    return response


def xlsx_response(queryset) -> HttpResponse:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Cases")[:31]
    sheet.append(_headers())
    for row in _rows(queryset):
        sheet.append([_safe(v) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename("xlsx")}"'
    return response
