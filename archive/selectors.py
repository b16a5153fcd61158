"""Reads of the archive queue, scoped to what the user may see."""

import datetime
import json

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from cases.selectors import case_list_visible_to
from meetings.selectors import meeting_list_visible_to
from partnerships.selectors import agreement_list_visible_to

from .models import ArchiveMessage
from .permissions import can_view_archive


def archive_message_list_visible_to(*, user) -> QuerySet:
    """The archive messages of the cases, agreements and meetings the user sees; nothing for anyone but an adviser."""
    if not can_view_archive(user):
        return ArchiveMessage.objects.none()
    visible_cases = case_list_visible_to(user=user).values("pk")
    visible_agreements = agreement_list_visible_to(user=user).values("pk")
    visible_meetings = meeting_list_visible_to(user=user).values("pk")
    return ArchiveMessage.objects.filter(
        Q(case__in=visible_cases) | Q(agreement__in=visible_agreements) | Q(meeting__in=visible_meetings)
    ).select_related("case", "agreement__region", "agreement__county", "meeting")


def archive_message_get_for_user(*, user, pk) -> ArchiveMessage:
    """One archive message the user may see, else 404 (as for a missing one)."""
    try:
        return archive_message_list_visible_to(user=user).get(pk=int(pk))
    except (ArchiveMessage.DoesNotExist, TypeError, ValueError):
        raise Http404 from None


ROWS_ANNOTATION = "archive_rows"
_ROW_FIELDS = ("sequence", "title", "state", "attempts", "sent_at", "receipt", "last_error")


def case_archive_rows_annotation() -> dict:
    """The case's archive messages as one JSON text, read with the case itself (cases.hooks:
    case_annotations), so the case page's panel costs no query."""
    from django.db import connection
    from django.db.models import TextField
    from django.db.models.expressions import RawSQL

    table = ArchiveMessage._meta.db_table
    case_table = ArchiveMessage._meta.get_field("case").related_model._meta.db_table
    pairs = ", ".join(f"'{name}', m.{name}" for name in _ROW_FIELDS)
    if connection.vendor == "postgresql":
        sql = (
            f"SELECT json_agg(json_build_object({pairs}) ORDER BY m.sequence)::text "
            f'FROM "{table}" m WHERE m.case_id = "{case_table}"."id"'
        )
    else:
        sql = (
            f"SELECT json_group_array(json_object({pairs})) FROM "
            f'(SELECT * FROM "{table}" WHERE case_id = "{case_table}"."id" ORDER BY sequence) m'
        )
    return {ROWS_ANNOTATION: RawSQL(sql, (), output_field=TextField())}


def _row(data) -> ArchiveMessage:
    sent_at = parse_datetime(data["sent_at"]) if data.get("sent_at") else None
    if sent_at is not None and timezone.is_naive(sent_at):
        sent_at = timezone.make_aware(sent_at, datetime.UTC)  # SQLite keeps UTC without an offset
    fields = {name: data.get(name) for name in _ROW_FIELDS}
    fields["sent_at"] = sent_at
    return ArchiveMessage(**{k: ("" if v is None and k in ("receipt", "last_error") else v) for k, v in fields.items()})


def archive_message_list_for_case(*, case) -> list[ArchiveMessage]:
    """The messages of one case in delivery order (the case page's panel): from what the case page
    read with the case (case_archive_rows_annotation), else one query."""
    rows = getattr(case, ROWS_ANNOTATION, False)
    if rows is False:
        return list(ArchiveMessage.objects.filter(case=case).order_by("sequence", "pk"))
    return [_row(data) for data in json.loads(rows or "[]")]
