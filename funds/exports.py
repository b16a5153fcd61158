"""Excel workbooks of the partnership funds: one region's year (income, allocations, payments, use and
the balance) and a county's overview for a year (one row per region and the totals). Written with
openpyxl's write-only workbook to a temporary file, as the case exports are; amounts are numbers
with a kroner format, so the spreadsheet adds them up."""

import tempfile

from django.http import FileResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from core.validators import spreadsheet_cell

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
NOK_FORMAT = '#,##0.00 "kr"'


def _text(value):
    return spreadsheet_cell(value if value is not None else "")


def _money(sheet, value):
    cell = WriteOnlyCell(sheet, value=value if value is not None else 0)
    cell.number_format = NOK_FORMAT
    return cell


def _balance_rows(sheet, balance):
    labels = [
        ("income", _("Income")),
        ("allocated", _("Allocated")),
        ("available", _("Available")),
        ("paid", _("Paid")),
        ("unpaid", _("Allocated, not paid")),
        ("used", _("Reported use")),
    ]
    for key, label in labels:
        sheet.append([_text(label), _money(sheet, balance[key])])


def write_fund_year(file, *, fund_year, balance, incomes, allocations) -> None:
    workbook = Workbook(write_only=True)
    summary = workbook.create_sheet(title=_("Balance")[:31])
    summary.append([_text(_("Region")), _text(fund_year.region.name)])
    summary.append([_text(_("County")), _text(fund_year.county.name)])
    summary.append([_text(_("Year")), fund_year.year])
    _balance_rows(summary, balance)

    sheet = workbook.create_sheet(title=_("Income")[:31])
    sheet.append([_text(_("Source")), _text(_("Description")), _text(_("Amount (NOK)"))])
    for income in incomes:
        sheet.append([_text(income.get_source_display()), _text(income.description), _money(sheet, income.amount)])

    sheet = workbook.create_sheet(title=_("Allocations")[:31])
    sheet.append(
        [
            _text(_("Priority")),
            _text(_("Project")),
            _text(_("Description")),
            _text(_("Allocated")),
            _text(_("Paid")),
            _text(_("Allocated, not paid")),
            _text(_("Reported use")),
        ]
    )
    for allocation in allocations:
        sheet.append(
            [
                _text(allocation.priority),
                _text(allocation.project),
                _text(allocation.description),
                _money(sheet, allocation.amount),
                _money(sheet, allocation.paid_total),
                _money(sheet, allocation.amount - allocation.paid_total),
                _money(sheet, allocation.used_total),
            ]
        )

    sheet = workbook.create_sheet(title=_("Payments")[:31])
    sheet.append([_text(_("Allocation")), _text(_("Paid on")), _text(_("Note")), _text(_("Amount (NOK)"))])
    for allocation in allocations:
        for payment in allocation.payments.all():
            sheet.append([_text(allocation), payment.paid_on, _text(payment.note), _money(sheet, payment.amount)])

    sheet = workbook.create_sheet(title=_("Reported use")[:31])
    sheet.append([_text(_("Allocation")), _text(_("Reported on")), _text(_("Report")), _text(_("Amount used (NOK)"))])
    for allocation in allocations:
        for report in allocation.use_reports.all():
            sheet.append([_text(allocation), report.reported_on, _text(report.text), _money(sheet, report.amount_used)])
    workbook.save(file)


def write_overview(file, *, county, year, rows, totals) -> None:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_("Overview")[:31])
    sheet.append([_text(_("County")), _text(county.name), _text(_("Year")), year])
    headers = [
        _("Region"),
        _("Income"),
        _("Allocated"),
        _("Available"),
        _("Paid"),
        _("Allocated, not paid"),
        _("Reported use"),
    ]
    sheet.append([_text(header) for header in headers])
    keys = ("income", "allocated", "available", "paid", "unpaid", "used")
    for region in rows:
        sheet.append([_text(region.name), *(_money(sheet, region.balance[key]) for key in keys)])
    sheet.append([_text(_("Total")), *(_money(sheet, totals[key]) for key in keys)])
    workbook.save(file)


def xlsx_response(write, filename, **kwargs) -> FileResponse:
    """A workbook built in a temporary file (deleted when the response is closed)."""
    file = tempfile.TemporaryFile()  # noqa: SIM115 (FileResponse closes it when sent)
    write(file, **kwargs)
    file.seek(0)
    return FileResponse(file, as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE)
