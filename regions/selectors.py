"""Reads of the registry, always "as of" a date (default: today in Europe/Oslo)."""

from django.utils import timezone

from .models import Appointment, CouncilArea, Region


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
    appointments = Appointment.objects.valid_on(day).filter(
        role=Appointment.Role.COUNCIL_AREA_STAFF, person__user=user
    )
    return CouncilArea.objects.filter(pk__in=appointments.values("council_area_id")).order_by("name")
