"""Writes to the registry. Every rule is checked here on both databases; on PostgreSQL the
exclusion constraints of migration 0002 are the backstop against races, and their IntegrityError
becomes the same ValidationError as the service check.

Every write acts for a person, `actor=`, and only the coordination unit edits the registry
(permissions.can_edit_registry): anyone else is refused with PermissionDenied before anything is read."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import formats
from django.utils.translation import gettext as _

from accounts.models import User

from .hooks import appointment_listeners, membership_listeners
from .models import Appointment, Confidence, CouncilArea, County, Municipality, Person, Region, RegionMembership
from .permissions import can_edit_registry

# Roles that are always for one region.
REGION_ROLES = {
    Appointment.Role.COUNTY_COUNCIL_REPRESENTATIVE,
    Appointment.Role.COUNTY_COUNCILLOR,
    Appointment.Role.ADMINISTRATIVE_PARTICIPANT,
    Appointment.Role.REGION_COUNCIL_LEADER,
    Appointment.Role.REGION_SECRETARIAT,
    Appointment.Role.REGIONAL_COORDINATOR,
}


def _authorise(actor) -> None:
    if not can_edit_registry(actor):
        raise PermissionDenied(_("Only the coordination unit edits the registry."))


def _date(day):
    return formats.date_format(day, "SHORT_DATE_FORMAT") if day else ""


def _overlapping(queryset, valid_from, valid_to):
    """Rows of the queryset whose half-open period overlaps [valid_from, valid_to)."""
    queryset = queryset.filter(Q(valid_to__isnull=True) | Q(valid_to__gt=valid_from))
    if valid_to is not None:
        queryset = queryset.filter(valid_from__lt=valid_to)
    return queryset


def _check_period(valid_from, valid_to):
    if valid_from is None:
        raise ValidationError({"valid_from": _("Give the start date.")})
    if valid_to is not None and valid_to <= valid_from:
        raise ValidationError({"valid_to": _("The end date must be after the start date.")})


# --- memberships ---------------------------------------------------------------------------------


def _membership_overlap_error(membership):
    return ValidationError(
        _("%(municipality)s is already a member of %(region)s in this period (from %(start)s).")
        % {
            "municipality": membership.municipality,
            "region": membership.region,
            "start": _date(membership.valid_from),
        }
    )


def overlapping_memberships(*, municipality, region, valid_from, valid_to, exclude_pk=None):
    """Memberships of the same municipality in the same region that overlap the period."""
    queryset = RegionMembership.objects.filter(municipality=municipality, region=region)
    if exclude_pk is not None:
        queryset = queryset.exclude(pk=exclude_pk)
    return _overlapping(queryset, valid_from, valid_to)


def _check_membership(membership):
    _check_period(membership.valid_from, membership.valid_to)
    municipality, region = membership.municipality, membership.region
    if (municipality.valid_from and membership.valid_from < municipality.valid_from) or (
        municipality.valid_to and membership.valid_from >= municipality.valid_to
    ):
        raise ValidationError(
            {
                "valid_from": _("%(municipality)s does not exist on %(date)s.")
                % {"municipality": municipality, "date": _date(membership.valid_from)}
            }
        )
    if (region.valid_from and membership.valid_from < region.valid_from) or (
        region.valid_to and membership.valid_from >= region.valid_to
    ):
        raise ValidationError(
            {
                "valid_from": _("%(region)s does not exist on %(date)s.")
                % {"region": region, "date": _date(membership.valid_from)}
            }
        )
    clash = overlapping_memberships(
        municipality=municipality,
        region=region,
        valid_from=membership.valid_from,
        valid_to=membership.valid_to,
        exclude_pk=membership.pk,
    ).first()
    if clash is not None:
        raise _membership_overlap_error(clash)


def _save_membership(membership, *, update_fields=None):
    _check_membership(membership)
    membership.full_clean()
    try:
        with transaction.atomic():
            membership.save(update_fields=update_fields)
    except IntegrityError as error:
        if "membership_no_overlap" in str(error):
            raise _membership_overlap_error(membership) from error
        raise
    membership_listeners.notify(region_ids={membership.region_id})
    return membership


@transaction.atomic
def membership_start(
    *,
    actor: User,
    municipality: Municipality,
    region: Region,
    valid_from: datetime.date,
    valid_to: datetime.date | None = None,
    decided_on: datetime.date | None = None,
    decision_reference: str = "",
    confidence: str = Confidence.HIGH,
    note: str = "",
) -> RegionMembership:
    """The municipality joins the region on valid_from (until valid_to, exclusive). Double
    membership and members from other counties are allowed; an overlapping period in the same
    region is refused."""
    _authorise(actor)
    membership = RegionMembership(
        municipality=municipality,
        region=region,
        valid_from=valid_from,
        valid_to=valid_to,
        decided_on=decided_on,
        decision_reference=decision_reference,
        confidence=confidence,
        note=note,
    )
    return _save_membership(membership)


@transaction.atomic
def membership_end(
    *,
    actor: User,
    membership: RegionMembership,
    valid_to: datetime.date,
    decided_on: datetime.date | None = None,
    decision_reference: str = "",
    note: str = "",
) -> RegionMembership:
    """The municipality leaves the region: valid_to is the first day it is no longer a member."""
    _authorise(actor)
    membership = RegionMembership.objects.select_for_update().get(pk=membership.pk)
    if valid_to is None:
        raise ValidationError({"valid_to": _("Give the end date.")})
    membership.valid_to = valid_to
    fields = ["valid_to"]
    if decided_on:
        membership.decided_on = decided_on
        fields.append("decided_on")
    if decision_reference:
        membership.decision_reference = decision_reference
        fields.append("decision_reference")
    if note:
        membership.note = f"{membership.note}\n{note}".strip()
        fields.append("note")
    return _save_membership(membership, update_fields=fields)


@transaction.atomic
def membership_move(
    *,
    actor: User,
    membership: RegionMembership,
    to_region: Region,
    on: datetime.date,
    decided_on: datetime.date | None = None,
    decision_reference: str = "",
    note: str = "",
) -> tuple[RegionMembership, RegionMembership]:
    """The municipality leaves its region and joins another on the same day, atomically: if the
    new membership is refused, the old one is not ended either."""
    _authorise(actor)
    membership = RegionMembership.objects.select_for_update().select_related("region").get(pk=membership.pk)
    if to_region.pk == membership.region_id:
        raise ValidationError({"to_region": _("The municipality is already a member of this region.")})
    if on is None or on <= membership.valid_from or (membership.valid_to and on >= membership.valid_to):
        raise ValidationError({"on": _("The move date must fall after the membership started and before it ends.")})
    later_end = membership.valid_to
    ended = membership_end(
        membership=membership, actor=actor, valid_to=on, decided_on=decided_on, decision_reference=decision_reference
    )
    started = membership_start(
        actor=actor,
        municipality=membership.municipality,
        region=to_region,
        valid_from=on,
        valid_to=later_end,
        decided_on=decided_on,
        decision_reference=decision_reference,
        note=note or _("Moved from %(region)s.") % {"region": membership.region},
    )
    return ended, started


# --- appointments --------------------------------------------------------------------------------


def _rep_error(region, side, person):
    return ValidationError(
        _("%(region)s already has a county council representative from the %(side)s in this period: %(person)s.")
        % {"region": region, "side": Appointment.Side(side).label.lower(), "person": person}
    )


def _councillor_error(region, person):
    return ValidationError(
        _("%(region)s already has a county councillor in this period: %(person)s.")
        % {"region": region, "person": person}
    )


def _check_appointment(appointment):
    _check_period(appointment.valid_from, appointment.valid_to)
    role = appointment.role
    if role in REGION_ROLES and appointment.region_id is None:
        raise ValidationError({"region": _("Choose the region this role is for.")})
    if role == Appointment.Role.COUNCIL_AREA_STAFF and appointment.council_area_id is None:
        raise ValidationError({"council_area": _("Choose the council area this role is for.")})
    if role == Appointment.Role.COUNTY_COUNCIL_REPRESENTATIVE and appointment.side not in Appointment.Side.values:
        raise ValidationError({"side": _("A county council representative is from the position or the opposition.")})
    if role not in (Appointment.Role.COUNTY_COUNCIL_REPRESENTATIVE, Appointment.Role.COUNTY_COUNCILLOR):
        return
    others = _overlapping(
        Appointment.objects.filter(region_id=appointment.region_id, role=role).exclude(pk=appointment.pk),
        appointment.valid_from,
        appointment.valid_to,
    ).select_related("person")
    if role == Appointment.Role.COUNTY_COUNCIL_REPRESENTATIVE:
        clash = others.filter(side=appointment.side).first()
        if clash is not None:
            raise _rep_error(appointment.region, appointment.side, clash.person)
    else:
        clash = others.first()
        if clash is not None:
            raise _councillor_error(appointment.region, clash.person)


def _save_appointment(appointment, *, update_fields=None):
    _check_appointment(appointment)
    appointment.full_clean()
    try:
        with transaction.atomic():
            appointment.save(update_fields=update_fields)
    except IntegrityError as error:
        if "appointment_one_rep_per_side" in str(error):
            raise _rep_error(appointment.region, appointment.side, appointment.person) from error
        if "appointment_one_councillor" in str(error):
            raise _councillor_error(appointment.region, appointment.person) from error
        raise
    return appointment


@transaction.atomic
def appointment_start(
    *,
    actor: User,
    person: Person,
    role: str,
    valid_from: datetime.date,
    valid_to: datetime.date | None = None,
    region: Region | None = None,
    council_area: CouncilArea | None = None,
    county: County | None = None,
    appointed_by: str = "",
    decision_date: datetime.date | None = None,
    decision_reference: str = "",
    party: str = "",
    side: str = "",
    note: str = "",
) -> Appointment:
    """Appoint the person to a role for a region, council area or county from valid_from. At a
    time a region has at most one position and one opposition county council representative and
    one county councillor."""
    _authorise(actor)
    appointment = Appointment(
        person=person,
        role=role,
        region=region,
        council_area=council_area,
        county=county,
        valid_from=valid_from,
        valid_to=valid_to,
        appointed_by=appointed_by,
        decision_date=decision_date,
        decision_reference=decision_reference,
        party=party or person.party,
        side=side if role == Appointment.Role.COUNTY_COUNCIL_REPRESENTATIVE else "",
        note=note,
    )
    _save_appointment(appointment)
    appointment_listeners.notify(appointment=appointment)
    return appointment


@transaction.atomic
def appointment_end(*, appointment: Appointment, actor: User, valid_to: datetime.date, note: str = "") -> Appointment:
    """The appointment ends: valid_to is the first day the person no longer holds the role (and
    loses the access rights that came with it)."""
    _authorise(actor)
    appointment = Appointment.objects.select_for_update().get(pk=appointment.pk)
    if valid_to is None:
        raise ValidationError({"valid_to": _("Give the end date.")})
    appointment.valid_to = valid_to
    fields = ["valid_to"]
    if note:
        appointment.note = f"{appointment.note}\n{note}".strip()
        fields.append("note")
    _save_appointment(appointment, update_fields=fields)
    appointment_listeners.notify(appointment=appointment)
    return appointment
