"""What the public pages show: only what the apps' public selectors return (docs/screening.md), for
one region, on today's date."""

import datetime

from django.db.models import OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone

from cases.models import Case
from cases.selectors import public_attachments, public_cases, public_region_requests, public_routings
from meetings.selectors import public_agenda_items, public_meetings, public_minutes
from partnerships.selectors import public_agreements
from regions.models import Region

UPCOMING_MEETINGS = 5
RECENT_MEETINGS = 5
# The public calendar feed holds the region's meetings from a year back and every later one.
FEED_DAYS_BACK = 365


def regions_today(*, today=None) -> QuerySet:
    """The regions as they are today, with their host county, by county and name."""
    return (
        Region.objects.valid_on(today or timezone.localdate())
        .select_related("host_county")
        .order_by("host_county__number", "name", "pk")
    )


def region_get_public(*, slug) -> Region:
    try:
        return Region.objects.select_related("host_county").get(slug=slug)
    except (Region.DoesNotExist, ValueError, TypeError):
        raise Http404("No such region") from None


def region_agreement(*, region):
    """The region's adopted agreement in force (the newest public one)."""
    return public_agreements().filter(region=region, status="adopted").order_by("-valid_from", "-pk").first()


def _with_agenda(meetings):
    # Each item's case reference when its case is public (its page is linked), in the same query: an
    # item set public whose case is not shows without the link (docs/screening.md).
    case_key = Subquery(public_cases().filter(pk=OuterRef("case_id")).values("reference")[:1])
    items = public_agenda_items().annotate(public_case_key=case_key).order_by("order", "pk")
    return meetings.prefetch_related(
        Prefetch("agenda_items", queryset=items, to_attr="public_agenda"),
    )


def region_meetings(*, region, now=None) -> tuple[list, list]:
    """(the next meetings with their published agendas, the latest held ones), a fixed number of each."""
    now = now or timezone.now()
    meetings = _with_agenda(public_meetings().filter(region=region).exclude(status="cancelled"))
    upcoming = list(meetings.filter(end__gte=now).order_by("start")[:UPCOMING_MEETINGS])
    recent = list(meetings.filter(end__lt=now).order_by("-start")[:RECENT_MEETINGS])
    items = [item for meeting in upcoming + recent for item in meeting.public_agenda]
    minutes = {entry.agenda_item_id: entry for entry in public_minutes().filter(agenda_item__in=items)}
    for item in items:
        item.public_minutes = minutes.get(item.pk)
    return upcoming, recent


def meeting_get_public(*, pk):
    """A meeting of the calendar with its published agenda's public items and, once the minutes are
    approved, their public minutes (three queries); Http404 for a meeting not in the calendar."""
    try:
        meeting = _with_agenda(public_meetings()).get(pk=pk)
    except (public_meetings().model.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404("No such meeting") from None
    minutes = {entry.agenda_item_id: entry for entry in public_minutes().filter(agenda_item__in=meeting.public_agenda)}
    for item in meeting.public_agenda:
        item.public_minutes = minutes.get(item.pk)
    return meeting


def region_feed_meetings(*, region, now=None) -> QuerySet:
    """The region's meetings for its public calendar feed, with their public agendas (two queries)."""
    since = (now or timezone.now()) - datetime.timedelta(days=FEED_DAYS_BACK)
    return _with_agenda(public_meetings().filter(region=region, end__gte=since)).order_by("start", "pk")


def region_cases(*, region) -> QuerySet:
    """The region's public cases, newest first."""
    return public_cases().filter(origin_region=region).order_by("-submitted_at", "-pk")


# --- a public case ----------------------------------------------------------------------------------
# Its page shows what the open API's Paper and Consultations show (oparl/objects.py), plus the answer the
# coordination unit sent back: which council areas and regions it reached and when they answered, never
# the areas' or regions' own answers (internal working notes, docs/screening.md) and no one's name (the
# case officers are employees, not office holders).

CASE_KEY_MAX_LENGTH = 20


def case_get_public(*, key) -> Case:
    """A public case by its reference ("2025-0042") or id, with its routings, requests to regions, public
    attachments and the meetings that dealt with it (five queries); Http404 for an exempt, draft or
    unknown case."""
    key = str(key or "")
    if not key or len(key) > CASE_KEY_MAX_LENGTH:
        raise Http404("No such case")
    lookup = {"pk": int(key)} if key.isascii() and key.isdigit() else {"reference": key}
    cases = public_cases().prefetch_related(
        Prefetch("routings", queryset=public_routings().order_by("routed_at", "pk"), to_attr="public_routings"),
        Prefetch(
            "region_requests",
            queryset=public_region_requests().order_by("region__name", "pk"),
            to_attr="public_region_requests",
        ),
        Prefetch(
            "attachments", queryset=public_attachments().order_by("uploaded_at", "pk"), to_attr="public_attachments"
        ),
        Prefetch(
            "agenda_items",
            queryset=public_agenda_items().order_by("meeting__start", "order", "pk"),
            to_attr="public_agenda_items",
        ),
    )
    try:
        return cases.get(**lookup)
    except (Case.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404("No such case") from None


# --- search -----------------------------------------------------------------------------------------
# Only what the public pages show is searched: a case's title (its screened title when the title is
# screened, never the real one) and reference, never its description (cases.selectors.case_search
# searches descriptions, which the public pages do not show, so a match would reveal their content);
# a meeting's title and place; an agreement's region, county and decision reference.

SEARCH_KINDS = ("saker", "moter", "avtaler")


def _shown_title_q(text) -> Q:
    return Q(title_screened=False, title__icontains=text) | Q(title_screened=True, screened_title__icontains=text)


def search_cases(*, text) -> QuerySet:
    """Public cases whose shown title holds the text, or whose reference is it; newest first."""
    return (
        public_cases()
        .filter(_shown_title_q(text) | Q(reference=text))
        .select_related("origin_region", "origin_council_area")
        .order_by("-submitted_at", "-pk")
    )


def search_meetings(*, text) -> QuerySet:
    """Meetings of the calendar whose title or place holds the text; newest first."""
    return public_meetings().filter(Q(title__icontains=text) | Q(location__icontains=text)).order_by("-start", "-pk")


def search_agreements(*, text) -> QuerySet:
    """Public agreements of a region or county whose name holds the text, or with that decision reference."""
    return (
        public_agreements()
        .filter(
            Q(region__name__icontains=text)
            | Q(county__name__icontains=text)
            | Q(county_decision_reference__icontains=text)
        )
        .order_by("region__name", "-valid_from", "-pk")
    )
