"""Public pages: no login, only what the public may see (docs/apps/public.md)."""

import datetime
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from core.fragments import cached_fragment
from core.kept_pages import kept_public_page
from core.pagination import CappedPaginator
from core.screening import public_title
from meetings.ical import public_calendar_bytes
from regions import selectors as registry
from regions.forms import OverviewForm

from . import selectors
from .forms import SearchForm

# The public feed is in Norwegian bokmål whatever the visitor's language (a calendar program sends none).
FEED_LANGUAGE = "nb"

CASES_PER_PAGE = 20


@login_not_required
@require_safe
@kept_public_page
def index_view(request):
    """The county's regions today, each with a link to its public page."""
    return render(request, "public/index.html", {"regions": selectors.regions_today()})


def _day_from(request):
    """The ?dato= of the request, or today; a bad date gives a message and today, never an error page."""
    raw = request.GET.get("dato", "").strip()
    if raw:
        try:
            return datetime.date.fromisoformat(raw)
        except ValueError:
            messages.error(
                request,
                _("“%(value)s” is not a valid date (use YYYY-MM-DD). Showing today instead.") % {"value": raw[:20]},
            )
    return timezone.localdate()


@login_not_required
@require_safe
@kept_public_page
def county_view(request):
    """A county and its regions on a chosen date (?dato=, ?fylke=): the map, the regions and their
    member municipalities, read through the registry's selectors."""
    day = _day_from(request)
    counties = registry.county_choices_on(on=day)
    county = None
    raw = request.GET.get("fylke", "").strip()
    if raw:
        county = next((c for c in counties if str(c.pk) == raw), None)
        if county is None:
            messages.error(request, _("Unknown county. Showing the default county instead."))
    county = county or registry.county_get_default(on=day, counties=counties)
    form = OverviewForm(initial={"dato": day, "fylke": county.pk if county else None}, counties=counties)
    overview = registry.county_overview(county=county, on=day) if county else None
    return render(request, "public/county.html", {"form": form, "day": day, "county": county, "overview": overview})


@login_not_required
@require_safe
@kept_public_page
def region_view(request, slug):
    """A region's adopted agreement, its next meetings with their agendas, approved minutes and its
    public cases."""
    region = selectors.region_get_public(slug=slug)
    agreement = selectors.region_agreement(region=region)
    upcoming, recent = selectors.region_meetings(region=region)
    cases = Paginator(selectors.region_cases(region=region), CASES_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "public/region.html",
        {
            "region": region,
            "agreement": agreement,
            "agreement_pdf": reverse("oparl:file-download", kwargs={"kind": "agreement", "pk": agreement.pk})
            if agreement
            else None,
            "upcoming": upcoming,
            "recent": recent,
            "cases": cases,
        },
    )


SEARCH_PER_PAGE = 20
SEARCH_MAX_LENGTH = 100


@login_not_required
@require_safe
@kept_public_page
def search_view(request):
    """Search the public cases, meetings or agreements (?q=, ?hva=saker|moter|avtaler), 20 a page."""
    text = " ".join(request.GET.get("q", "").split())[:SEARCH_MAX_LENGTH]
    kind = request.GET.get("hva", "")
    if kind not in selectors.SEARCH_KINDS:
        kind = selectors.SEARCH_KINDS[0]
    page = None
    if text:
        rows = {
            "saker": selectors.search_cases,
            "moter": selectors.search_meetings,
            "avtaler": selectors.search_agreements,
        }[kind](text=text)
        page = CappedPaginator(rows, SEARCH_PER_PAGE).get_page(request.GET.get("page"))
    form = SearchForm(initial={"q": text, "hva": kind})
    query_string = urlencode({"q": text, "hva": kind})
    return render(
        request,
        "public/search.html",
        {"form": form, "text": text, "kind": kind, "page": page, "query_string": query_string},
    )


@login_not_required
@require_safe
@kept_public_page
def meeting_view(request, pk):
    """A meeting of the calendar: time, place, the published agenda's public items and, once approved,
    their public minutes."""
    meeting = selectors.meeting_get_public(pk=pk)
    return render(request, "public/meeting.html", {"meeting": meeting})


@login_not_required
@require_safe
@kept_public_page
def case_view(request, key):
    """A public case (by reference or id): its shown title, origin, topic, dates and status, the council
    areas and regions it reached, the answer sent back and its public attachments; exempt is 404."""
    case = selectors.case_get_public(key=key)
    attachments = [
        (
            attachment,
            public_title(attachment, attachment.original_name),
            reverse("oparl:file-download", kwargs={"kind": "attachment", "pk": attachment.pk}),
        )
        for attachment in case.public_attachments
    ]
    return render(
        request,
        "public/case.html",
        {"case": case, "title": public_title(case, case.title), "attachments": attachments},
    )


def _feed_description(meeting, url) -> str:
    """The published agenda's public items, numbered, and the address of the meeting's public page."""
    lines = []
    if meeting.public_agenda:
        lines.append(_("Agenda:"))
        lines += [f"{number}. {public_title(item, item.title)}" for number, item in enumerate(meeting.public_agenda, 1)]
    else:
        lines.append(_("The agenda is not published yet."))
    lines += ["", url]
    return "\n".join(lines)


def _region_feed(region) -> str:
    events = []
    for meeting in selectors.region_feed_meetings(region=region):
        page = settings.SITE_URL + reverse("public:meeting", kwargs={"pk": meeting.pk})
        events.append((meeting, _feed_description(meeting, page), page))
    name = _("Meetings: %(region)s") % {"region": region.name}
    return public_calendar_bytes(events, name=name).decode("utf-8")


@login_not_required
@require_safe
@kept_public_page
def region_feed_view(request, slug):
    """The region's public meeting calendar (iCalendar): the meetings, their places and public agendas.
    Kept in the fragment cache until the data changes (core/fragments.py)."""
    region = selectors.region_get_public(slug=slug)
    with translation.override(FEED_LANGUAGE):
        body = cached_fragment("public-region-feed", (region.pk, timezone.localdate()), lambda: _region_feed(region))
    response = HttpResponse(body.encode("utf-8"), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{region.slug}.ics"'
    response["Access-Control-Allow-Origin"] = "*"
    return response
