"""What the open API serves, per county (an OParl Body): only what the apps' public selectors return
(cases.selectors.public_cases and the others, docs/screening.md), grouped by county, and the public
parts of the registry (regions, council areas, office holders by name in their roles).

A case belongs to the county of its origin (the origin region's host county, or the origin council
area's county); a meeting to its region's host county; a meeting of no region (reference-group and
dialogue meetings, county-wide by definition) is listed under every county.
"""

from django.db.models import CharField, Prefetch, Q, QuerySet, Value
from django.http import Http404

from cases.models import Attachment, Case, RegionRequest, Routing
from cases.selectors import public_attachments, public_cases, public_region_requests, public_routings
from meetings.models import AgendaItem, Meeting, MinutesEntry
from meetings.selectors import public_agenda_items, public_meetings, public_minutes
from partnerships.models import Agreement
from partnerships.selectors import public_agreement_get, public_agreements
from regions.models import Appointment, CouncilArea, County, ElectionTerm, Person, Region

# Office holders whose names in their roles are public (elected or politically appointed); staff,
# secretariats and advisers are employees and are not published.
PUBLIC_ROLES = (
    Appointment.Role.COUNTY_COUNCIL_REPRESENTATIVE,
    Appointment.Role.COUNTY_COUNCILLOR,
    Appointment.Role.REGION_COUNCIL_LEADER,
)


def _get(queryset, pk):
    try:
        return queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None


# --- the registry -----------------------------------------------------------------------------------


def _terms() -> QuerySet:
    """Election terms are public (the county council's periods), oldest first."""
    return ElectionTerm.objects.order_by("valid_from", "pk")


def counties() -> QuerySet:
    """The counties (OParl bodies), each with its election terms read for the whole page at once."""
    return County.objects.prefetch_related(
        Prefetch("election_terms", queryset=_terms(), to_attr="public_terms")
    ).order_by("number", "valid_from", "pk")


def county_get_public(*, pk) -> County:
    return _get(counties(), pk)


def terms_of(county) -> QuerySet:
    return _terms().filter(county=county)


def term_get_public(*, pk) -> ElectionTerm:
    return _get(_terms(), pk)


def regions_of(county) -> QuerySet:
    return Region.objects.filter(host_county=county).order_by("name", "pk")


def council_areas_of(county) -> QuerySet:
    return CouncilArea.objects.filter(county=county, not_a_portfolio=False).order_by("name", "valid_from", "pk")


def region_get_public(*, pk) -> Region:
    return _get(Region.objects.select_related("host_county"), pk)


def council_area_get_public(*, pk) -> CouncilArea:
    return _get(CouncilArea.objects.select_related("county"), pk)


def public_appointments() -> QuerySet:
    """Office holders in their roles for a region or a council area (names only: see PUBLIC_ROLES)."""
    return (
        Appointment.objects.filter(role__in=PUBLIC_ROLES)
        .filter(Q(region__isnull=False) | Q(council_area__isnull=False))
        .select_related("person")
        .order_by("valid_from", "pk")
    )


def _county_appointment_q(county) -> Q:
    return Q(region__host_county=county) | Q(council_area__county=county)


def appointments_of(county) -> QuerySet:
    return public_appointments().filter(_county_appointment_q(county))


def appointment_get_public(*, pk) -> Appointment:
    return _get(public_appointments(), pk)


def _people() -> QuerySet:
    return Person.objects.only("pk", "name").prefetch_related(
        Prefetch("appointments", queryset=public_appointments(), to_attr="public_appointments")
    )


def people_of(county) -> QuerySet:
    ids = appointments_of(county).values("person_id")
    return _people().filter(pk__in=ids).order_by("name", "pk")


def person_get_public(*, pk) -> Person:
    """A person who holds (or held) a public office; Http404 for everyone else."""
    return _get(_people().filter(pk__in=public_appointments().values("person_id")), pk)


def memberships_of_region_ids(region_ids) -> dict:
    """{region id: [appointment ids]} for the organisations on a page, in one query."""
    found = {}
    for region_id, appointment_id in (
        public_appointments().filter(region_id__in=region_ids).values_list("region_id", "pk")
    ):
        found.setdefault(region_id, []).append(appointment_id)
    return found


def memberships_of_area_ids(area_ids) -> dict:
    found = {}
    for area_id, appointment_id in (
        public_appointments().filter(council_area_id__in=area_ids).values_list("council_area_id", "pk")
    ):
        found.setdefault(area_id, []).append(appointment_id)
    return found


# --- cases (Paper), their consultations and files ---------------------------------------------------


def _county_case_q(county, prefix="") -> Q:
    """The county's cases: from its regions or its council areas, as two lists of ids read first (one
    query), so the filter on the cases is planned on their own indexes with the number of ids known (a
    join to the regions and council areas made PostgreSQL count every case of the country)."""
    kind = Value("region", output_field=CharField())
    regions = Region.objects.filter(host_county=county).order_by().annotate(kind=kind).values_list("kind", "pk")
    kind = Value("area", output_field=CharField())
    areas = CouncilArea.objects.filter(county=county).order_by().annotate(kind=kind).values_list("kind", "pk")
    ids = {"region": [], "area": []}
    for what, pk in regions.union(areas, all=True):
        ids[what].append(pk)
    return Q(**{f"{prefix}origin_region_id__in": sorted(ids["region"])}) | Q(
        **{f"{prefix}origin_council_area_id__in": sorted(ids["area"])}
    )


def _consultation_agenda_items() -> QuerySet:
    """Public agenda items of public cases: the meetings a public case was dealt with in."""
    return public_agenda_items().filter(case__in=public_cases().values("pk")).select_related("meeting__region")


def _papers() -> QuerySet:
    return public_cases().prefetch_related(
        Prefetch("routings", queryset=public_routings(), to_attr="public_routings"),
        Prefetch("region_requests", queryset=public_region_requests(), to_attr="public_region_requests"),
        Prefetch("attachments", queryset=public_attachments(), to_attr="public_attachments"),
        Prefetch("agenda_items", queryset=_consultation_agenda_items(), to_attr="public_agenda_items"),
    )


def cases_of(county) -> QuerySet:
    return _papers().filter(_county_case_q(county)).order_by("pk")


def case_get_public(*, pk) -> Case:
    return _get(_papers(), pk)


def agreements_of(county) -> QuerySet:
    return public_agreements().filter(county=county).order_by("pk")


def agreement_get_public(*, pk) -> Agreement:
    return public_agreement_get(pk=pk)


def agreement_get_public_light(*, pk) -> Agreement:
    """A public agreement without its document (for its OParl object)."""
    return _get(public_agreements(), pk)


def routings_of(county) -> QuerySet:
    return public_routings().filter(_county_case_q(county, "case__")).order_by("pk")


def region_requests_of(county) -> QuerySet:
    return public_region_requests().filter(_county_case_q(county, "case__")).order_by("pk")


def agenda_consultations_of(county) -> QuerySet:
    return _consultation_agenda_items().filter(_county_case_q(county, "case__")).order_by("pk")


def routing_get_public(*, pk) -> Routing:
    return _get(public_routings(), pk)


def region_request_get_public(*, pk) -> RegionRequest:
    return _get(public_region_requests(), pk)


def agenda_consultation_get_public(*, pk) -> AgendaItem:
    return _get(_consultation_agenda_items(), pk)


def attachments_of(county) -> QuerySet:
    return public_attachments().filter(_county_case_q(county, "case__")).order_by("pk")


def attachment_get_public(*, pk) -> Attachment:
    return _get(public_attachments(), pk)


# --- meetings ---------------------------------------------------------------------------------------


def _county_meeting_q(county, prefix="") -> Q:
    return Q(**{f"{prefix}region__host_county": county}) | Q(**{f"{prefix}region__isnull": True})


def _with_public_agenda(meetings) -> QuerySet:
    return meetings.prefetch_related(
        Prefetch("agenda_items", queryset=public_agenda_items().order_by("order", "pk"), to_attr="public_agenda")
    )


def meetings_of(county) -> QuerySet:
    return _with_public_agenda(public_meetings().filter(_county_meeting_q(county))).order_by("start", "pk")


def meeting_get_public(*, pk) -> Meeting:
    return _get(_with_public_agenda(public_meetings()), pk)


def agenda_items_of(county) -> QuerySet:
    return (
        public_agenda_items().filter(_county_meeting_q(county, "meeting__")).order_by("meeting__start", "order", "pk")
    )


def agenda_item_get_public(*, pk) -> AgendaItem:
    return _get(public_agenda_items(), pk)


def public_minutes_by_item(item_ids) -> dict[int, MinutesEntry]:
    """{agenda item id: its public minutes} for the items on a page, in one query."""
    return {entry.agenda_item_id: entry for entry in public_minutes().filter(agenda_item_id__in=item_ids)}


def public_case_ids(case_ids) -> set:
    """Which of these cases the public may see (an agenda item links its case only then), one query."""
    return set(public_cases().filter(pk__in=[pk for pk in case_ids if pk]).values_list("pk", flat=True))


def meeting_locations_of(county) -> QuerySet:
    """Meetings with a location (each location is an OParl Location of its own)."""
    return public_meetings().filter(_county_meeting_q(county)).exclude(location="").order_by("pk")


def meeting_location_get_public(*, pk) -> Meeting:
    return _get(public_meetings().exclude(location=""), pk)
