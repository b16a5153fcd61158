"""CSV and Excel exports of a (filtered, permission-scoped) case list.

Rows are read as plain values in chunks (no model instances, no query per row: the council areas
and the anchoring strength come with each row from the same query), so an export makes the same
few queries for ten cases and for 200,000, and its memory stays flat. The CSV streams as it is
read; an Excel file is written by openpyxl's write-only workbook to a temporary file, during the
request up to settings.CASE_EXPORT_SYNC_LIMIT rows, past that by a Celery job (cases.services.
case_export_request) that notifies the user with a link."""

import csv
import tempfile

from django.db.models import Aggregate, OuterRef, Subquery, TextField, Value
from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from core.validators import spreadsheet_cell

from .models import Case, Routing
from .selectors import OVERDUE_STATUSES, with_anchoring_strength
from .topics import topic_labels

CHUNK_SIZE = 2000
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Between council area names in one cell of the query's result: names are single-line text without
# control characters, so it never occurs in one.
_NAME_SEPARATOR = "\x1f"


class _JoinedNames(Aggregate):
    """The group's values joined by _NAME_SEPARATOR (string_agg, or SQLite's group_concat)."""

    function = "STRING_AGG"
    output_field = TextField()

    def __init__(self, expression, **extra):
        super().__init__(expression, Value(_NAME_SEPARATOR), **extra)

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, function="GROUP_CONCAT", **extra_context)


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


def _values(queryset, *, today):
    """The export's columns as plain values, in the list's order, read CHUNK_SIZE rows at a time."""
    areas = (
        Routing.objects.filter(case_id=OuterRef("pk"))
        .exclude(state=Routing.State.CANCELLED)
        .order_by()
        .values("case_id")
        .annotate(names=_JoinedNames("council_area__name"))
        .values("names")
    )
    rows = (
        with_anchoring_strength(queryset.select_related(None).prefetch_related(None), today=today)
        .annotate(area_names=Subquery(areas, output_field=TextField()))
        .values_list(
            "reference",
            "title",
            "status",
            "topic",
            "direction",
            "origin_region__name",
            "origin_council_area__name",
            "area_names",
            "submitted_at",
            "deadline",
            "anchoring_supporting",
            "anchoring_members",
        )
    )
    return rows.iterator(chunk_size=CHUNK_SIZE)


class _Labels:
    """The words of the export in the request's language, looked up once (the rows are written
    after the view has returned, while the response streams)."""

    def __init__(self):
        self.headers = _headers()
        self.status = {value: str(label) for value, label in Case.Status.choices}
        self.topic = topic_labels(fresh=True)  # one query, the same whether the cache is warm or not
        self.direction = {value: str(label) for value, label in Case.Direction.choices}
        self.yes = _("yes")


def _rows(queryset, *, labels=None, today=None):
    """Each case as the row of cells the export writes (before _safe)."""
    labels = labels or _Labels()
    today = today or timezone.localdate()
    for (
        reference,
        title,
        status,
        topic,
        direction,
        region,
        council_area,
        area_names,
        submitted_at,
        deadline,
        supporting,
        members,
    ) in _values(queryset, today=today):
        yield [
            reference or "",
            title,
            labels.status.get(status, status),
            labels.topic.get(topic, topic),
            labels.direction.get(direction, direction),
            region or council_area or "",
            ", ".join(sorted(set(area_names.split(_NAME_SEPARATOR)))) if area_names else "",
            timezone.localtime(submitted_at).strftime("%Y-%m-%d") if submitted_at else "",
            deadline.isoformat() if deadline else "",
            labels.yes if deadline and deadline < today and status in OVERDUE_STATUSES else "",
            f"{supporting}/{members}" if members else "",
        ]


def _safe(value):
    """One line of printable text that a spreadsheet never runs as a formula: stored titles may hold
    control characters (openpyxl refuses them) or start with = + - @ (CSV injection)."""
    return spreadsheet_cell(value)


def filename(ext):
    return f"saker-{timezone.localdate().isoformat()}.{ext}"


class _Line:
    """csv.writer's file: hands back each written line instead of keeping it."""

    def write(self, text):
        return text


def _csv_lines(queryset, labels, today):
    writer = csv.writer(_Line(), delimiter=";")
    yield "\ufeff" + writer.writerow(labels.headers)
    batch = []
    for row in _rows(queryset, labels=labels, today=today):
        batch.append(writer.writerow([_safe(v) for v in row]))
        if len(batch) == 500:
            yield "".join(batch)
            batch = []
    if batch:
        yield "".join(batch)


def csv_response(queryset) -> StreamingHttpResponse:
    """The list as CSV (semicolons, UTF-8 with a byte order mark for Excel), streamed as it is read."""
    lines = _csv_lines(queryset, _Labels(), timezone.localdate())
    response = StreamingHttpResponse((line.encode("utf-8") for line in lines), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename("csv")}"'
    return response


def write_xlsx(queryset, file) -> int:
    """Write the list as an Excel workbook to a binary file; returns the number of cases. openpyxl's
    write-only mode keeps no rows in memory."""
    labels = _Labels()
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_("Cases")[:31])
    sheet.append(labels.headers)
    count = 0
    for row in _rows(queryset, labels=labels):
        sheet.append([_safe(v) for v in row])
        count += 1
    workbook.save(file)
    return count


def xlsx_response(queryset) -> FileResponse:
    """The list as an Excel file built in a temporary file (deleted when the response is closed)."""
    file = tempfile.TemporaryFile()  # noqa: SIM115 (FileResponse closes it when sent)
    write_xlsx(queryset, file)
    file.seek(0)
    return FileResponse(file, as_attachment=True, filename=filename("xlsx"), content_type=XLSX_CONTENT_TYPE)
