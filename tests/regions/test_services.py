import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from regions import services
from regions.models import Appointment, RegionMembership
from regions.selectors import (
    appointment_list_representing,
    municipality_list_in_region,
    region_list_for_municipality,
)
from regions.services import (
    appointment_end,
    appointment_start,
    membership_end,
    membership_move,
    membership_start,
)
from tests.conftest import require_postgres
from tests.factories import (
    AppointmentFactory,
    MembershipFactory,
    MunicipalityFactory,
    PersonFactory,
    RegionFactory,
    an_adviser,
)

D = datetime.date


@pytest.fixture
def municipality(db):
    return MunicipalityFactory(number="3001", name="Halden")


def test_membership_period_is_half_open(region, municipality):
    membership_start(
        actor=an_adviser(), municipality=municipality, region=region, valid_from=D(2020, 1, 1), valid_to=D(2021, 1, 1)
    )
    assert region in region_list_for_municipality(municipality=municipality, on=D(2020, 12, 31))
    assert region not in region_list_for_municipality(municipality=municipality, on=D(2021, 1, 1))
    assert region not in region_list_for_municipality(municipality=municipality, on=D(2019, 12, 31))


def test_membership_can_restart_on_the_day_it_ended(region, municipality):
    membership_start(
        actor=an_adviser(), municipality=municipality, region=region, valid_from=D(2020, 1, 1), valid_to=D(2021, 1, 1)
    )
    membership_start(actor=an_adviser(), municipality=municipality, region=region, valid_from=D(2021, 1, 1))
    assert RegionMembership.objects.filter(municipality=municipality).count() == 2


def test_overlapping_membership_is_refused_with_a_message(region, municipality):
    membership_start(actor=an_adviser(), municipality=municipality, region=region, valid_from=D(2020, 1, 1))
    with pytest.raises(ValidationError) as excinfo:
        membership_start(actor=an_adviser(), municipality=municipality, region=region, valid_from=D(2022, 5, 1))
    assert "er allerede medlem av" in " ".join(excinfo.value.messages)
    assert RegionMembership.objects.filter(municipality=municipality).count() == 1


def test_double_membership_in_two_regions_is_allowed(region, other_region, municipality):
    membership_start(actor=an_adviser(), municipality=municipality, region=region, valid_from=D(2020, 1, 1))
    membership_start(actor=an_adviser(), municipality=municipality, region=other_region, valid_from=D(2020, 1, 1))
    assert region_list_for_municipality(municipality=municipality, on=D(2020, 1, 1)).count() == 2


def test_end_before_start_is_refused(region, municipality):
    with pytest.raises(ValidationError) as excinfo:
        membership_start(
            actor=an_adviser(),
            municipality=municipality,
            region=region,
            valid_from=D(2020, 1, 1),
            valid_to=D(2020, 1, 1),
        )
    assert "Sluttdatoen må være etter startdatoen." in excinfo.value.messages
    assert not RegionMembership.objects.exists()


def test_membership_before_the_municipality_existed_is_refused(region, municipality):
    with pytest.raises(ValidationError, match="finnes ikke"):
        membership_start(actor=an_adviser(), municipality=municipality, region=region, valid_from=D(2019, 6, 1))


def test_membership_end_sets_the_first_day_outside(region, municipality):
    membership = membership_start(
        actor=an_adviser(), municipality=municipality, region=region, valid_from=D(2020, 1, 1)
    )
    membership_end(actor=an_adviser(), membership=membership, valid_to=D(2021, 1, 1))
    assert list(municipality_list_in_region(region=region, on=D(2021, 1, 1))) == []
    with pytest.raises(ValidationError):
        membership_end(actor=an_adviser(), membership=membership, valid_to=D(2019, 1, 1))
    membership.refresh_from_db()
    assert membership.valid_to == D(2021, 1, 1)


def test_move_ends_one_membership_and_starts_another_on_the_same_day(region, other_region, municipality):
    membership = membership_start(
        actor=an_adviser(), municipality=municipality, region=region, valid_from=D(2020, 1, 1)
    )
    ended, started = membership_move(
        actor=an_adviser(), membership=membership, to_region=other_region, on=D(2021, 1, 1)
    )
    assert ended.valid_to == started.valid_from == D(2021, 1, 1)
    assert list(region_list_for_municipality(municipality=municipality, on=D(2021, 1, 1))) == [other_region]


def test_a_failed_move_changes_nothing(region, other_region, municipality):
    membership = membership_start(
        actor=an_adviser(), municipality=municipality, region=region, valid_from=D(2020, 1, 1)
    )
    # Already in the target region from 2022: the new membership would overlap, so the move fails half way.
    membership_start(actor=an_adviser(), municipality=municipality, region=other_region, valid_from=D(2022, 1, 1))
    with pytest.raises(ValidationError):
        membership_move(actor=an_adviser(), membership=membership, to_region=other_region, on=D(2021, 1, 1))
    membership.refresh_from_db()
    assert membership.valid_to is None
    assert RegionMembership.objects.count() == 2


def test_move_to_the_same_region_is_refused(region, municipality):
    membership = membership_start(
        actor=an_adviser(), municipality=municipality, region=region, valid_from=D(2020, 1, 1)
    )
    with pytest.raises(ValidationError):
        membership_move(actor=an_adviser(), membership=membership, to_region=region, on=D(2021, 1, 1))


REP_FROM = D(2020, 2, 13)


def _rep(region, side, valid_from=REP_FROM, valid_to=None):
    return appointment_start(
        actor=an_adviser(),
        person=PersonFactory(),
        role=Appointment.Role.COUNTY_COUNCIL_REPRESENTATIVE,
        region=region,
        side=side,
        valid_from=valid_from,
        valid_to=valid_to,
        appointed_by=Appointment.AppointedBy.COUNTY_COUNCIL,
    )


def test_one_position_and_one_opposition_representative_per_region(region):
    position = _rep(region, "position")
    _rep(region, "opposition")
    with pytest.raises(ValidationError) as excinfo:
        _rep(region, "position", valid_from=D(2021, 1, 1))
    assert position.person.name in " ".join(excinfo.value.messages)
    assert appointment_list_representing(region=region, on=D(2021, 1, 1)).count() == 2


def test_a_representative_can_follow_another(region):
    first = _rep(region, "position", valid_to=D(2021, 1, 1))
    second = _rep(region, "position", valid_from=D(2021, 1, 1))
    assert list(appointment_list_representing(region=region, on=D(2021, 1, 1))) == [second]
    assert list(appointment_list_representing(region=region, on=D(2020, 12, 31))) == [first]


def test_representative_needs_a_side(region):
    with pytest.raises(ValidationError):
        _rep(region, "")


def test_one_county_councillor_per_region(region):
    appointment_start(
        actor=an_adviser(),
        person=PersonFactory(),
        role=Appointment.Role.COUNTY_COUNCILLOR,
        region=region,
        valid_from=D(2020, 1, 1),
    )
    with pytest.raises(ValidationError, match="har allerede en fylkesråd"):
        appointment_start(
            actor=an_adviser(),
            person=PersonFactory(),
            role=Appointment.Role.COUNTY_COUNCILLOR,
            region=region,
            valid_from=D(2020, 6, 1),
        )


def test_appointment_end_removes_the_right_to_act(region, leader):
    from regions.permissions import can_act_for_region

    appointment = Appointment.objects.get(person__user=leader)
    assert can_act_for_region(leader, region, on=D(2022, 1, 1))
    appointment_end(actor=an_adviser(), appointment=appointment, valid_to=D(2022, 1, 1))
    assert not can_act_for_region(leader, region, on=D(2022, 1, 1))
    assert can_act_for_region(leader, region, on=D(2021, 12, 31))


def test_region_role_needs_a_region(db):
    with pytest.raises(ValidationError):
        appointment_start(
            actor=an_adviser(),
            person=PersonFactory(),
            role=Appointment.Role.COUNTY_COUNCILLOR,
            valid_from=D(2020, 1, 1),
        )


# --- PostgreSQL: the exclusion constraints are the backstop ------------------------------------


@pytest.mark.postgres
def test_postgres_constraint_refuses_overlapping_membership(db):
    require_postgres(connection)
    existing = MembershipFactory(valid_from=D(2020, 1, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        RegionMembership.objects.create(
            municipality=existing.municipality, region=existing.region, valid_from=D(2021, 1, 1)
        )


@pytest.mark.postgres
def test_postgres_constraint_error_becomes_the_service_message(db, monkeypatch):
    """Even when the service check is bypassed (a race), the user gets the same clear message."""
    require_postgres(connection)
    existing = MembershipFactory(valid_from=D(2020, 1, 1))
    monkeypatch.setattr(services, "overlapping_memberships", lambda **kw: RegionMembership.objects.none())
    with pytest.raises(ValidationError) as excinfo:
        membership_start(
            actor=an_adviser(), municipality=existing.municipality, region=existing.region, valid_from=D(2021, 1, 1)
        )
    assert "er allerede medlem av" in " ".join(excinfo.value.messages)
    assert RegionMembership.objects.count() == 1


@pytest.mark.postgres
def test_postgres_constraint_refuses_two_councillors(db):
    require_postgres(connection)
    region = RegionFactory()
    AppointmentFactory(region=region, role=Appointment.Role.COUNTY_COUNCILLOR, valid_from=D(2020, 1, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        AppointmentFactory(region=region, role=Appointment.Role.COUNTY_COUNCILLOR, valid_from=D(2021, 1, 1))


@pytest.mark.postgres
def test_postgres_constraint_refuses_two_position_representatives(db):
    require_postgres(connection)
    region = RegionFactory()
    rep = Appointment.Role.COUNTY_COUNCIL_REPRESENTATIVE
    AppointmentFactory(region=region, role=rep, side="position", valid_from=D(2020, 1, 1))
    AppointmentFactory(region=region, role=rep, side="opposition", valid_from=D(2020, 1, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        AppointmentFactory(region=region, role=rep, side="position", valid_from=D(2021, 1, 1))
