"""The open API: OParl 1.1, read-only JSON, no login, public content only (docs/apps/oparl.md).

Every view reads through oparl.selectors (which read through the apps' public selectors), answers GET
and HEAD only, in Norwegian whatever the visitor's language, with `Access-Control-Allow-Origin: *`
and an ETag (a repeated request with If-None-Match gets 304). Lists follow OParl's pagination (`data`,
`pagination`, `links`) with a fixed number of queries per page, whatever the size of the data.
"""

import functools
import hashlib
import json
from pathlib import Path

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import quote_etag
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from core.fragments import kept_value
from core.uploads import upload_response
from partnerships.pdf import agreement_pdf

from . import objects
from . import selectors as s

PAGE_SIZE = 20
LANGUAGE = "nb"


def _encode(data) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()


def _respond(request, content: bytes, status=200) -> HttpResponse:
    etag = quote_etag(hashlib.sha256(content).hexdigest()[:32])
    response = HttpResponse(content, status=status, content_type="application/json; charset=utf-8")
    response["ETag"] = etag
    response["Access-Control-Allow-Origin"] = "*"
    # Public data: caches may keep it a minute; the ETag makes revalidating cheap.
    patch_cache_control(response, public=True, max_age=60)
    patch_vary_headers(response, ["Accept-Encoding"])
    if status == 200:
        response = get_conditional_response(request, etag=etag, response=response)
        response["Access-Control-Allow-Origin"] = "*"
    return response


def api_view(func):
    """An OParl endpoint: public, GET/HEAD only, Norwegian; an unknown object is a JSON 404."""

    @login_not_required
    @require_safe
    def view(request, *args, **kwargs):
        with translation.override(LANGUAGE):
            if getattr(func, "serves_files", False):
                try:
                    data = func(request, *args, **kwargs)
                except Http404:
                    return _respond(request, _encode({"error": _("Not found.")}), status=404)
                data["Access-Control-Allow-Origin"] = "*"
                return data

            def answer():
                try:
                    return 200, _encode(func(request, *args, **kwargs))
                except Http404:
                    return 404, _encode({"error": _("Not found.")})

            # The same answer for everyone until the data changes: kept under the data's generation.
            status, content = kept_value("oparl", [request.get_full_path()], answer)
            return _respond(request, content, status=status)

    view.__name__ = func.__name__
    view.__doc__ = func.__doc__
    return view


class _Chain:
    """Several querysets as one sequence for the Paginator: one COUNT per part, and a page reads only
    the slices it needs (a fixed number of queries whatever the data)."""

    def __init__(self, parts):
        self.parts = parts  # [(queryset, to_object)]
        self._counts = None

    def counts(self):
        if self._counts is None:
            # Kept until the data changes: every page of a list (a harvester walks them all) needs them.
            self._counts = [
                kept_value("oparl-count", [str(queryset.query)], queryset.count) for queryset, _build in self.parts
            ]
        return self._counts

    def count(self):
        return sum(self.counts())

    def __len__(self):
        return self.count()

    def __getitem__(self, window):
        start, stop = window.start or 0, window.stop
        rows, offset = [], 0
        for (queryset, build), size in zip(self.parts, self.counts(), strict=True):
            lo, hi = max(start - offset, 0), min(stop - offset, size)
            if lo < hi:
                rows.append((list(queryset[lo:hi]), build))
            offset += size
        return rows


def _page_link(request, number) -> str:
    return objects.url_of(request.path, number)


def _list(request, parts, *, page_data=None) -> dict:
    """An OParl list page. parts: [(queryset, function(list of rows) -> list of objects)]."""
    paginator = Paginator(_Chain(parts), PAGE_SIZE, allow_empty_first_page=True)
    page = paginator.get_page(request.GET.get("page"))
    data = []
    for rows, build in page.object_list:
        data.extend(build(rows))
    links = {"first": _page_link(request, 1), "last": _page_link(request, paginator.num_pages)}
    if page.has_previous():
        links["prev"] = _page_link(request, page.previous_page_number())
    if page.has_next():
        links["next"] = _page_link(request, page.next_page_number())
    return {
        "data": data,
        "pagination": {
            "totalElements": paginator.count,
            "elementsPerPage": PAGE_SIZE,
            "currentPage": page.number,
            "totalPages": paginator.num_pages,
        },
        "links": links,
    }


# --- builders for a page of rows (the relations they show read once per page) ---------------------------


def _regions(rows):
    memberships = s.memberships_of_region_ids([region.pk for region in rows])
    return [objects.region_organization(region, memberships.get(region.pk, ())) for region in rows]


def _areas(rows):
    memberships = s.memberships_of_area_ids([area.pk for area in rows])
    return [objects.area_organization(area, memberships.get(area.pk, ())) for area in rows]


def _meetings(rows):
    items = [item for meeting in rows for item in meeting.public_agenda]
    minutes = s.public_minutes_by_item([item.pk for item in items])
    cases = s.public_case_ids([item.case_id for item in items])
    return [objects.meeting(meeting, minutes_by_item=minutes, public_case_ids=cases) for meeting in rows]


def _agenda_items(rows):
    minutes = s.public_minutes_by_item([item.pk for item in rows])
    cases = s.public_case_ids([item.case_id for item in rows])
    return [objects.agenda_item(item, minutes=minutes.get(item.pk), case_public=item.case_id in cases) for item in rows]


def _each(function):
    return lambda rows: [function(row) for row in rows]


# --- System and Body ----------------------------------------------------------------------------------


@api_view
def system_view(request):
    """The entry point: the OParl System, which lists the bodies."""
    return objects.system()


@api_view
def body_list_view(request):
    """Every county of the registry is an OParl Body."""
    return _list(request, [(s.counties(), _each(objects.body))])


@api_view
def body_view(request, pk):
    return objects.body(s.county_get_public(pk=pk))


@api_view
def body_organizations_view(request, pk):
    county = s.county_get_public(pk=pk)
    return _list(request, [(s.regions_of(county), _regions), (s.council_areas_of(county), _areas)])


@api_view
def body_people_view(request, pk):
    county = s.county_get_public(pk=pk)
    return _list(request, [(s.people_of(county), _each(objects.person))])


@api_view
def body_memberships_view(request, pk):
    county = s.county_get_public(pk=pk)
    return _list(request, [(s.appointments_of(county), _each(objects.membership))])


@api_view
def body_meetings_view(request, pk):
    county = s.county_get_public(pk=pk)
    return _list(request, [(s.meetings_of(county), _meetings)])


@api_view
def body_agenda_items_view(request, pk):
    county = s.county_get_public(pk=pk)
    return _list(request, [(s.agenda_items_of(county), _agenda_items)])


@api_view
def body_papers_view(request, pk):
    county = s.county_get_public(pk=pk)
    return _list(
        request,
        [(s.agreements_of(county), _each(objects.agreement_paper)), (s.cases_of(county), _each(objects.case_paper))],
    )


@api_view
def body_consultations_view(request, pk):
    county = s.county_get_public(pk=pk)
    return _list(
        request,
        [
            (s.routings_of(county), _each(objects.routing_consultation)),
            (s.region_requests_of(county), _each(objects.request_consultation)),
            (s.agenda_consultations_of(county), _each(objects.agenda_consultation)),
        ],
    )


@api_view
def body_files_view(request, pk):
    county = s.county_get_public(pk=pk)
    return _list(
        request,
        [
            (s.agreements_of(county), _each(objects.agreement_file)),
            (s.attachments_of(county), _each(objects.attachment_file)),
        ],
    )


@api_view
def body_locations_view(request, pk):
    county = s.county_get_public(pk=pk)
    return _list(request, [(s.meeting_locations_of(county), _each(objects.location))])


@api_view
def body_legislative_terms_view(request, pk):
    county = s.county_get_public(pk=pk)
    return _list(request, [(s.terms_of(county), _each(objects.legislative_term))])


# --- single objects -----------------------------------------------------------------------------------


@api_view
def organization_view(request, kind, pk):
    if kind == "region":
        return _regions([s.region_get_public(pk=pk)])[0]
    if kind == "area":
        return _areas([s.council_area_get_public(pk=pk)])[0]
    raise Http404


@api_view
def legislative_term_view(request, pk):
    return objects.legislative_term(s.term_get_public(pk=pk))


@api_view
def person_view(request, pk):
    return objects.person(s.person_get_public(pk=pk))


@api_view
def membership_view(request, pk):
    return objects.membership(s.appointment_get_public(pk=pk))


@api_view
def meeting_view(request, pk):
    return _meetings([s.meeting_get_public(pk=pk)])[0]


@api_view
def agenda_item_view(request, pk):
    return _agenda_items([s.agenda_item_get_public(pk=pk)])[0]


@api_view
def location_view(request, pk):
    return objects.location(s.meeting_location_get_public(pk=pk))


@api_view
def paper_view(request, kind, pk):
    if kind == "case":
        return objects.case_paper(s.case_get_public(pk=pk))
    if kind == "agreement":
        return objects.agreement_paper(s.agreement_get_public_light(pk=pk))
    raise Http404


@api_view
def consultation_view(request, kind, pk):
    if kind == "routing":
        return objects.routing_consultation(s.routing_get_public(pk=pk))
    if kind == "request":
        return objects.request_consultation(s.region_request_get_public(pk=pk))
    if kind == "agenda":
        return objects.agenda_consultation(s.agenda_consultation_get_public(pk=pk))
    raise Http404


@api_view
def file_view(request, kind, pk):
    if kind == "attachment":
        return objects.attachment_file(s.attachment_get_public(pk=pk))
    if kind == "agreement":
        return objects.agreement_file(s.agreement_get_public_light(pk=pk))
    raise Http404


def _serves_files(func):
    """An endpoint answering with a file (a response of its own), drawn on every request."""
    func.serves_files = True
    return func


@api_view
@_serves_files
def file_download_view(request, kind, pk):
    """The file itself, only if it is public (the same selectors): an exempt one is a 404."""
    if kind == "attachment":
        attachment = s.attachment_get_public(pk=pk)
        name = objects.public_title(attachment, attachment.original_name)
        return upload_response(attachment.file, filename=name, content_type=attachment.content_type)
    if kind == "agreement":
        agreement = s.agreement_get_public(pk=pk)
        pdf = agreement_pdf(
            context={
                "agreement": agreement,
                "general_part": agreement.general_part,
                "special_part": agreement.special_part,
                "priorities": list(agreement.special_part.priorities.all()),
                "generated_at": timezone.localtime(),
            }
        )
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{objects.agreement_file_name(agreement)}"'
        return response
    raise Http404


# --- the OpenAPI description --------------------------------------------------------------------------

OPENAPI_FILE = Path(__file__).resolve().parent / "openapi.json"


@functools.cache
def _openapi_document() -> str:
    return OPENAPI_FILE.read_text(encoding="utf-8")


@api_view
def openapi_view(request):
    """The API's OpenAPI 3.1 description (oparl/openapi.json), with this portal's address as its server."""
    document = json.loads(_openapi_document())
    base = settings.SITE_URL + reverse("oparl:system").removesuffix("system").rstrip("/")
    document["servers"] = [{"url": base, "description": document["servers"][0]["description"]}]
    return document
