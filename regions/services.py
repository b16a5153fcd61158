"""Writes to the registry. Every rule is checked here on both databases; on PostgreSQL the
exclusion constraints of migration 0002 are the backstop against races, and their IntegrityError
becomes the same ValidationError as the service check.

Every write acts for a person, `actor=`, and only the coordination unit edits the registry
(permissions.can_edit_registry): anyone else is refused with PermissionDenied before anything is read."""

import csv
import datetime
import io

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from accounts.models import User

from .hooks import appointment_listeners, membership_listeners
from .models import (
    TERM_SLOT_APPOINTED_BY,
    TERM_SLOTS,
    Appointment,
    Confidence,
    CouncilArea,
    County,
    ElectionTerm,
    Municipality,
    Person,
    Region,
    RegionMembership,
    SlotEntry,
    TermCsvResult,
    TermException,
    TermRow,
    term_slot_label,
)
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


# --- election terms (issue 14) --------------------------------------------------------------------


@transaction.atomic
def term_create(
    *,
    actor: User,
    county: County,
    name: str,
    valid_from: datetime.date,
    valid_to: datetime.date,
    election_date: datetime.date | None = None,
    note: str = "",
) -> ElectionTerm:
    """A new election term for the county; terms of one county never overlap."""
    _authorise(actor)
    _check_period(valid_from, valid_to)
    if valid_to is None:
        raise ValidationError({"valid_to": _("Give the day after the term ends.")})
    clash = _overlapping(ElectionTerm.objects.filter(county=county), valid_from, valid_to).first()
    if clash is not None:
        raise ValidationError(
            _("%(county)s already has the term %(term)s in this period.") % {"county": county.name, "term": clash.name}
        )
    term = ElectionTerm(
        county=county,
        name=name.strip(),
        valid_from=valid_from,
        valid_to=valid_to,
        election_date=election_date,
        note=note.strip(),
    )
    term.full_clean()
    term.save()
    return term


def _check_term_row(row, *, region_ids):
    problems = []
    if row.region.pk not in region_ids:
        problems.append(_("not a region of the county in this term."))
    missing = [term_slot_label(slot) for slot in TERM_SLOTS if row.slots.get(slot, SlotEntry()).empty]
    filled = [entry for entry in row.slots.values() if not entry.empty]
    if len({entry.key() for entry in filled}) < len(filled):
        problems.append(_("the same person is given for two places."))
    for slot in ("position", "opposition"):
        entry = row.slots.get(slot, SlotEntry())
        if not entry.empty and not (entry.party.strip() or (entry.person and entry.person.party)):
            problems.append(_("give the party of the %(place)s.") % {"place": term_slot_label(slot)})
    if missing and not row.exception.strip():
        problems.append(
            _(
                "missing %(places)s. Two elected representatives (position and opposition) and one county "
                "councillor per region is the rule; give the reason if the county decided otherwise."
            )
            % {"places": ", ".join(str(place) for place in missing)}
        )
    if problems:
        raise ValidationError(problems)


def _term_person(entry):
    if entry.person is not None:
        return entry.person
    person = Person(name=entry.name.strip(), party=entry.party.strip())
    person.full_clean()
    person.save()
    return person


def _term_slot_write(*, term, region, slot, entry, actor, today):
    """Fill one place for the term: keep the same person, or replace another (a replacement during the
    term ends the other's appointment today; before the term starts it is a correction)."""
    role, side = TERM_SLOTS[slot]
    person = _term_person(entry)
    party = entry.party.strip() or person.party
    existing = (
        Appointment.objects.select_for_update()
        .filter(term=term, region=region, role=role, side=side)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=max(today, term.valid_from)))
        .order_by("-valid_from")
        .first()
    )
    valid_from = term.valid_from
    if existing is not None and existing.person_id == person.pk:
        if party != existing.party:
            existing.party = party
            _save_appointment(existing, update_fields=["party"])
        return existing
    if existing is not None:
        if today >= term.valid_to:
            raise ValidationError(_("the term is over: change its appointments one at a time in the registry."))
        if existing.valid_from >= today:
            existing.delete()  # not started yet: a correction, nobody held it
        else:
            existing.valid_to = today
            _save_appointment(existing, update_fields=["valid_to"])
            appointment_listeners.notify(appointment=existing)
            valid_from = today
    appointment = Appointment(
        person=person,
        role=role,
        side=side,
        region=region,
        term=term,
        valid_from=valid_from,
        valid_to=term.valid_to,
        appointed_by=TERM_SLOT_APPOINTED_BY[slot],
        decision_date=term.election_date,
        party=party,
    )
    _save_appointment(appointment)
    appointment_listeners.notify(appointment=appointment)
    return appointment


def _term_exception_write(*, term, region, reason, actor):
    reason = reason.strip()
    if not reason:
        TermException.objects.filter(term=term, region=region).delete()
        return
    exception = TermException.objects.filter(term=term, region=region).first()
    if exception is not None and exception.reason == reason:
        return
    exception = exception or TermException(term=term, region=region)
    exception.reason, exception.recorded_by, exception.recorded_at = reason, actor, timezone.now()
    exception.full_clean()
    exception.save()


@transaction.atomic
def term_record(*, actor: User, term: ElectionTerm, rows: list) -> int:
    """Record a whole term for the county's regions (TermRow each): the representatives and the
    councillor, new people by name, and the reason where the county decided otherwise than the rule.
    All or nothing: any row in error and nothing is saved; the errors name their region. Returns the
    number of regions recorded."""
    from .selectors import term_region_ids

    _authorise(actor)
    term = ElectionTerm.objects.select_for_update().select_related("county").get(pk=term.pk)
    region_ids = term_region_ids(term=term)
    today = timezone.localdate()
    errors = []
    for row in rows:
        try:
            with transaction.atomic():
                _check_term_row(row, region_ids=region_ids)
                for slot in TERM_SLOTS:
                    entry = row.slots.get(slot, SlotEntry())
                    if not entry.empty:
                        _term_slot_write(term=term, region=row.region, slot=slot, entry=entry, actor=actor, today=today)
                _term_exception_write(term=term, region=row.region, reason=row.exception, actor=actor)
        except ValidationError as error:
            errors.extend(
                _("%(region)s: %(problem)s") % {"region": row.region.name, "problem": message}
                for message in error.messages
            )
    if errors:
        raise ValidationError(errors)
    return len(rows)


@transaction.atomic
def appointment_renew(*, actor: User, appointment: Appointment) -> Appointment:
    """Carry a term's appointment into the county's next term: the same person in the same place."""
    _authorise(actor)
    appointment = Appointment.objects.select_related("term", "person", "region").get(pk=appointment.pk)
    if appointment.term is None:
        raise ValidationError(_("Only an appointment recorded for an election term can be renewed."))
    following = (
        ElectionTerm.objects.filter(county_id=appointment.term.county_id, valid_from__gte=appointment.term.valid_to)
        .order_by("valid_from")
        .first()
    )
    if following is None:
        raise ValidationError(_("Record the county's next election term first."))
    if Appointment.objects.filter(
        term=following, region=appointment.region, role=appointment.role, side=appointment.side
    ).exists():
        raise ValidationError(_("This place is already filled in %(term)s.") % {"term": following.name})
    renewed = Appointment(
        person=appointment.person,
        role=appointment.role,
        side=appointment.side,
        region=appointment.region,
        term=following,
        valid_from=following.valid_from,
        valid_to=following.valid_to,
        appointed_by=appointment.appointed_by,
        decision_date=following.election_date,
        party=appointment.party,
        note=_("Renewed from %(term)s.") % {"term": appointment.term.name},
    )
    _save_appointment(renewed)
    appointment_listeners.notify(appointment=renewed)
    return renewed


# The columns of a term's CSV file (UTF-8, comma or semicolon): one line per place.
TERM_CSV_COLUMNS = ["region", "plass", "navn", "parti", "unntak"]
TERM_CSV_SLOTS = {"posisjon": "position", "opposisjon": "opposition", "fylkesråd": "councillor"}


def _term_csv_line(value, *, term, by_key, people, rows):
    """Put one line of a term's CSV file into its region's row; the problem with it, or None."""
    region = by_key.get(value["region"].casefold())
    if region is None:
        return _("“%(region)s” is not a region of %(county)s in this term.") % {
            "region": value["region"][:100],
            "county": term.county.name,
        }
    row = rows.setdefault(region.pk, TermRow(region=region))
    if value["unntak"]:
        row.exception = value["unntak"]
    if not value["plass"] and not value["navn"]:
        return None
    slot = TERM_CSV_SLOTS.get(value["plass"].casefold())
    if slot is None:
        return _("“%(place)s” is not a place: write posisjon, opposisjon or fylkesråd.") % {
            "place": value["plass"][:50]
        }
    if not value["navn"]:
        return _("Give the person's name.")
    if slot in row.slots:
        return _("%(region)s has two lines for the %(place)s.") % {
            "region": region.name,
            "place": term_slot_label(slot),
        }
    person = people.get(value["navn"].casefold())
    row.slots[slot] = SlotEntry(person=person, name="" if person else value["navn"], party=value["parti"])
    return None


def term_csv_read(*, actor: User, term: ElectionTerm, text: str) -> TermCsvResult:
    """Read a term's CSV file into rows for term_record, without saving anything: each line names a region
    (its name or short name), a place (posisjon, opposisjon, fylkesråd), a person's name (an existing
    person of that name is chosen, else a new one is made), the party and, optionally, the reason for an
    exception. The errors name their line (None for a region's row as a whole)."""
    from .selectors import term_region_list

    _authorise(actor)
    regions = list(term_region_list(term=term))
    by_key = {}
    for region in regions:
        by_key[region.name.casefold()] = region
        by_key[region.slug.casefold()] = region
    people = {}
    for person in Person.objects.order_by("pk"):
        people.setdefault(person.name.strip().casefold(), person)
    text = text.lstrip("\ufeff")
    if not text.strip():
        return TermCsvResult([], [(None, _("The file is empty."))])
    first = text.splitlines()[0]
    reader = csv.DictReader(io.StringIO(text), delimiter=";" if first.count(";") > first.count(",") else ",")
    try:
        header = [(name or "").strip().casefold() for name in (reader.fieldnames or [])]
    except csv.Error:
        return TermCsvResult([], [(1, _("The file is not a CSV file the portal can read."))])
    missing = [column for column in TERM_CSV_COLUMNS[:3] if column not in header]
    if missing:
        message = _("The first line must name the columns: missing %(columns)s.") % {"columns": ", ".join(missing)}
        return TermCsvResult([], [(1, message)])
    reader.fieldnames = header
    rows, errors = {}, []
    try:
        for number, line in enumerate(reader, start=2):
            value = {key: (line.get(key) or "").strip() for key in TERM_CSV_COLUMNS}
            if any(value.values()):
                problem = _term_csv_line(value, term=term, by_key=by_key, people=people, rows=rows)
                if problem:
                    errors.append((number, problem))
    except csv.Error:
        errors.append((None, _("The file is not a CSV file the portal can read.")))
    ordered = [rows[region.pk] for region in regions if region.pk in rows]
    region_ids = {region.pk for region in regions}
    for row in ordered:
        try:
            _check_term_row(row, region_ids=region_ids)
        except ValidationError as error:
            errors.extend((None, f"{row.region.name}: {message}") for message in error.messages)
    return TermCsvResult(ordered, errors)
