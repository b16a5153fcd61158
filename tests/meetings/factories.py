"""Factories and helpers for the meetings tests."""

import datetime

from meetings.models import OSLO
from regions.models import Appointment
from tests.factories import AppointmentFactory, PersonFactory, UserFactory

# A fixed "now" ahead of the real clock (views use the real one): Monday 7 January 2030, 12:00 in Oslo.
NOW = datetime.datetime(2030, 1, 7, 12, 0, tzinfo=OSLO)


def oslo(year, month, day, hour=9, minute=0):
    return datetime.datetime(year, month, day, hour, minute, tzinfo=OSLO)


def appoint(region, role, name, *, with_user=False, side=""):
    """A person appointed to the region in the role (from 2020), optionally with a user account."""
    user = UserFactory(username=name) if with_user else None
    person = PersonFactory(name=name, user=user, email=f"{name}@example.no")
    if role == Appointment.Role.COUNTY_COUNCIL_REPRESENTATIVE and not side:
        side = Appointment.Side.POSITION
    AppointmentFactory(person=person, role=role, region=region, side=side)
    return person
