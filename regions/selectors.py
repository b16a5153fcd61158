"""Reads of the registry, always "as of" a date (default: today in Europe/Oslo)."""

from django.db.models import Case, IntegerField, Q, Value, When
from django.shortcuts import get_object_or_404
from django.utils import timezone

from .models import Appointment, CouncilArea, County, Municipality, Region, RegionMembership


def _today():
    return timezone.localdate()


def region_list_led_by(*, user, on=None):
    """The regions the user leads on the date, through a current region-council-leader appointment."""
    if not user.is_authenticated or not user.is_active:
        return Region.objects.none()
    day = on or _today()
    appointments = Appointment.objects.valid_on(day).filter(
        role=Appointment.Role.REGION_COUNCIL_LEADER, person__user=user
    )
    return Region.objects.filter(pk__in=appointments.values("region_id")).order_by("name")


def council_area_list_staffed_by(*, user, on=None):
    """The council areas the user works for on the date, through a current council-area-staff appointment."""
    if not user.is_authenticated or not user.is_active:
        return CouncilArea.objects.none()
    day = on or _today()
    appointments = Appointment.objects.valid_on(day).filter(role=Appointment.Role.COUNCIL_AREA_STAFF, person__user=user)
    return CouncilArea.objects.filter(pk__in=appointments.values("council_area_id")).order_by("name")


# --- the registry as of a date ------------------------------------------------------------------


def county_list_on(*, on=None):
    """The counties that exist on the date, by number."""
    day = on or _today()
    return County.objects.valid_on(day).order_by("number")


def county_get_default(*, on=None):
    """The county the overview opens with: Viken while it existed, else the first county with regions."""
    counties = county_list_on(on=on)
    with_regions = counties.filter(partner_regions__isnull=False).distinct()
    return with_regions.filter(number="30").first() or with_regions.first() or counties.first()


def region_list_for_county(*, county, on=None):
    """The regions that exist on the date and partner with the county (host or partner county)."""
    day = on or _today()
    return (
        Region.objects.valid_on(day)
        .filter(Q(host_county=county) | Q(partner_counties=county))
        .distinct()
        .select_related("host_county")
        .order_by("name")
    )


def membership_list_for_region(*, region, on=None):
    """The memberships of the region that hold on the date, with municipality and county."""
    day = on or _today()
    return (
        RegionMembership.objects.valid_on(day)
        .filter(region=region)
        .select_related("municipality__county")
        .order_by("municipality__number")
    )


def municipality_list_in_region(*, region, on=None):
    """The member municipalities of the region on the date."""
    day = on or _today()
    return (
        Municipality.objects.filter(pk__in=membership_list_for_region(region=region, on=day).values("municipality_id"))
        .select_related("county")
        .order_by("number")
    )


def region_list_for_municipality(*, municipality, on=None):
    """The regions the municipality belongs to on the date (a municipality can be in two)."""
    day = on or _today()
    memberships = RegionMembership.objects.valid_on(day).filter(municipality=municipality)
    return Region.objects.filter(pk__in=memberships.values("region_id")).order_by("name")


def municipality_list_for_county(*, county, on=None):
    """The municipalities of the county on the date."""
    day = on or _today()
    return Municipality.objects.valid_on(day).filter(county=county).select_related("county").order_by("number")


def membership_history_for_region(*, region):
    """Every membership of the region, oldest first: the history of joins and departures."""
    return (
        RegionMembership.objects.filter(region=region)
        .select_related("municipality__county")
        .order_by("valid_from", "municipality__number")
    )


def membership_history_for_municipality(*, municipality):
    """Every membership of the municipality, oldest first."""
    return RegionMembership.objects.filter(municipality=municipality).select_related("region").order_by("valid_from")


REPRESENTATIVE_ROLES = [
    Appointment.Role.COUNTY_COUNCIL_REPRESENTATIVE,
    Appointment.Role.COUNTY_COUNCILLOR,
    Appointment.Role.ADMINISTRATIVE_PARTICIPANT,
]


def appointment_list_representing(*, region, on=None):
    """Who represents the county in the region on the date: the county council representatives
    (position first), the county councillor and the administrative participants."""
    day = on or _today()
    order = Case(
        *(When(role=role, then=Value(i)) for i, role in enumerate(REPRESENTATIVE_ROLES)),
        output_field=IntegerField(),
    )
    return (
        Appointment.objects.valid_on(day)
        .filter(region=region, role__in=REPRESENTATIVE_ROLES)
        .select_related("person")
        .annotate(role_order=order)
        .order_by("role_order", "-side", "person__name")
    )


def appointment_list_leading(*, region, on=None):
    """The region council leader(s) of the region on the date."""
    day = on or _today()
    return (
        Appointment.objects.valid_on(day)
        .filter(region=region, role=Appointment.Role.REGION_COUNCIL_LEADER)
        .select_related("person__user")
        .order_by("person__name")
    )


def appointment_list_for_region(*, region):
    """Every appointment for the region, newest first (for the history on the region page)."""
    return Appointment.objects.filter(region=region).select_related("person").order_by("-valid_from", "role")


def council_area_list(*, county=None, on=None):
    """Council areas with their councillors; only those valid on the date when one is given."""
    areas = CouncilArea.objects.select_related("county", "councillor").order_by("county__number", "name", "valid_from")
    if county is not None:
        areas = areas.filter(county=county)
    if on is not None:
        areas = areas.valid_on(on)
    return areas


def region_get(*, slug):
    """The region with the slug, or 404 (the registry is readable by every logged-in user)."""
    return get_object_or_404(Region.objects.select_related("host_county"), slug=slug)


def municipality_get(*, pk):
    return get_object_or_404(Municipality.objects.select_related("county"), pk=pk)


def county_get(*, pk):
    return get_object_or_404(County, pk=pk)


def council_area_get(*, pk):
    return get_object_or_404(CouncilArea.objects.select_related("county", "councillor"), pk=pk)


def membership_get(*, pk):
    return get_object_or_404(RegionMembership.objects.select_related("region", "municipality"), pk=pk)


def appointment_get(*, pk):
    return get_object_or_404(Appointment.objects.select_related("person", "region", "council_area"), pk=pk)
