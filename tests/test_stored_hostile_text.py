"""Text already stored is never a reason for a server error: every stored text of the shared world is
overwritten, directly in the database (bypassing forms and validators, as old rows, an import or a
database console would), with control characters, line breaks, separators and formula starts. Then
every page and every download of the portal is requested as each role: no 500, and every download
(CSV, Excel, JSON, PDF, iCalendar, attachments) answers 200 and parses, without control characters.

The downloads are found by walking the URL resolver (tests/security/urlwalk.py), so a new export is
covered without editing this test.
"""

import csv
import io
import json

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.db import connection, models
from django.test import Client
from django.urls import NoReverseMatch, reverse
from icalendar import Calendar
from openpyxl import load_workbook
from pypdf import PdfReader

from core.validators import forbidden_character
from tests.security.matrix import app_url_kwargs, foundation_url_kwargs
from tests.security.test_permission_matrix import _urls_for
from tests.security.urlwalk import endpoints
from tests.security.world import build_world

PROJECT_APPS = {"accounts", "core", "notifications", "regions", "partnerships", "meetings", "cases"}

# Stored text that is data a program reads, not text a person reads; garbage there is another matter.
NOT_TEXT = {
    ("accounts", "User", "password"),  # a password hash
    ("regions", "County", "number"),  # the official numbers the map and the exports key on
    ("regions", "Municipality", "number"),
    ("meetings", "MeetingSeries", "rrule"),  # parsed recurrence rules
    ("meetings", "MeetingSeries", "reminder_lead_days"),  # parsed lead times
    ("meetings", "Meeting", "reminder_lead_days"),
}
# URL arguments that choose a format: every download of a pattern is requested, not only the one in URL_KWARGS.
FORMATS = {"fmt": ["csv", "xlsx", "json", "pdf", "ics"], "document": ["sakliste", "referat"]}
# Control characters, every kind of line break, CSV and iCalendar separators, a spreadsheet formula.
HOSTILE = "\x01\x0b\x1b\x7f\x85\u2028\ufffe «farlig» ;,\\\r\n\t=SUM(A1)"


def _hostile_fields(model):
    if model._meta.app_label not in PROJECT_APPS or model._meta.proxy:
        return []
    if model._meta.label == "notifications.Message":
        return []  # the outbox's own bookkeeping, not shown to anyone
    return [
        field
        for field in model._meta.concrete_fields
        if isinstance(field, (models.CharField, models.TextField))
        and not field.choices
        and field.editable
        and not isinstance(field, models.SlugField)
        and (model._meta.app_label, model.__name__, field.name) not in NOT_TEXT
    ]


def _unique_fields(model) -> set:
    """Fields in a unique constraint (fields or expressions such as Lower("email")): a blank value there
    stays blank, or every blank row would get the same poisoned value (the constraints allow blanks)."""
    names = set()
    for constraint in model._meta.constraints:
        if isinstance(constraint, models.UniqueConstraint):
            names.update(constraint.fields)
            for expression in constraint.expressions:
                names.update(ref.name for ref in expression.flatten() if isinstance(ref, models.F))
    return names


def _poison_every_stored_text():
    """Every row's text fields start with HOSTILE (as much as max_length leaves room for; the stored value
    follows whole, so unique values stay unique)."""
    hostile = HOSTILE if connection.vendor == "postgresql" else "\x00" + HOSTILE  # PostgreSQL stores no NUL
    poisoned = 0
    for model in apps.get_models():
        fields = _hostile_fields(model)
        unique = _unique_fields(model)
        for obj in model._default_manager.all() if fields else ():
            changes = {}
            for field in fields:
                value = getattr(obj, field.attname)
                if value is None or (value == "" and field.name in unique):
                    continue
                room = field.max_length - len(value) if field.max_length else len(hostile)
                changes[field.attname] = hostile[:room] + value
            model._default_manager.filter(pk=obj.pk).update(**changes)
            poisoned += len(changes)
    return poisoned


def _no_control_characters(text, where):
    char = forbidden_character(text, multiline=True)
    assert char is None, f"{where}: U+{ord(char):04X} in the download"


def _parse(response, where):
    """Parse a download by its type; return a short description of what was found."""
    content_type = response.get("Content-Type", "").split(";")[0]
    exported = content_type in ("text/csv", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    if response.streaming and not (exported and "no-store" not in response.get("Cache-Control", "")):
        # An uploaded file, served as it was stored: only its headers are ours. (The case list's
        # exports stream too, and are ours through and through.)
        return f"file {response.get('Content-Disposition', '')}"
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if content_type == "text/csv":
        text = body.decode("utf-8-sig")
        _no_control_characters(text, where)
        rows = list(csv.reader(io.StringIO(text), delimiter=";" if ";" in text.splitlines()[0] else ","))
        return f"{len(rows)} CSV rows"
    if content_type == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet":
        sheet = load_workbook(io.BytesIO(body)).active
        for row in sheet.iter_rows(values_only=True):
            for value in row:
                if isinstance(value, str):
                    _no_control_characters(value, where)
        return f"{sheet.max_row} Excel rows"
    if content_type == "application/json":
        json.loads(body)
        return "JSON"
    if content_type == "application/pdf":
        reader = PdfReader(io.BytesIO(body))
        return f"{len(reader.pages)} PDF pages"
    if content_type == "text/calendar":
        _no_control_characters(body.decode("utf-8"), where)
        calendar = Calendar.from_ical(body)
        return f"{len(calendar.walk('VEVENT'))} events"
    return f"{len(body)} bytes of {content_type}"


def _every_format(world, all_endpoints):
    """(endpoint, url) of every pattern, and of each format a download pattern offers."""
    urls, _unmapped = _urls_for(world, all_endpoints)
    kwargs_map = {**foundation_url_kwargs(all_endpoints), **app_url_kwargs()}
    for endpoint in all_endpoints:
        for arg in set(endpoint.arg_names) & set(FORMATS):
            base = kwargs_map[endpoint.name](world)
            for value in FORMATS[arg]:
                try:
                    url = reverse(endpoint.name, kwargs={**base, arg: value})
                except NoReverseMatch:
                    continue
                if (endpoint, url) not in urls:
                    urls.append((endpoint, url))
    return urls


def _knowledge_attachment(world):
    """A knowledge-base document with a file, so its download is requested as well."""
    from partnerships.models import KnowledgeReference

    special = world.objects.get("special_a") or world.objects["agreement_a"].special_part
    ref = KnowledgeReference(special_part=special, title="Kunnskapsgrunnlag", owner_county=special.county)
    ref.attachment.save("kunnskapsgrunnlag.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=True)
    return ref


@pytest.mark.parametrize("role", ["adviser", "leader_a", "staff", "admin"])
def test_every_page_and_download_survives_hostile_text_already_stored(role, db):
    world = build_world()
    knowledge = _knowledge_attachment(world)
    assert _poison_every_stored_text() > 100
    urls = _every_format(world, endpoints())
    # The administrator's own pages are the admin's; the portal's pages are requested as the others.
    urls = [(e, url) for e, url in urls if url.startswith("/admin/") == (role == "admin")]
    if role != "admin":
        urls.append((None, f"/avtaler/vedlegg/{knowledge.pk}/"))
    client = Client(raise_request_exception=False)
    client.force_login(world.user(role))
    problems, downloads = [], []
    for _endpoint, url in urls:
        response = client.get(url)
        if response.status_code == 500:
            problems.append(f"{url}: {response.status_code}")
            continue
        content_type = response.get("Content-Type", "")
        if response.status_code == 200 and not content_type.startswith("text/html"):
            try:
                downloads.append(f"{url}: {_parse(response, url)}")
            except Exception as error:  # noqa: BLE001 - report every download that does not parse
                problems.append(f"{url}: {content_type} does not parse: {error!r}")
    print(f"{role}: {len(urls)} URLs, downloads:", *downloads, sep="\n  ")
    assert not problems, "\n".join(problems)
    assert len(downloads) >= (1 if role == "admin" else 5), downloads
