"""factory-boy factories shared by all tests."""

import datetime

import factory

from accounts.models import User
from regions.models import Appointment, CouncilArea, County, Municipality, Person, Region, RegionMembership

DEFAULT_FROM = datetime.date(2020, 1, 1)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="no_NO")
    last_name = factory.Faker("last_name", locale="no_NO")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.no")
    role = User.Role.OTHER
    password = factory.django.Password("Passord-for-test-1")


class CountyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = County
        django_get_or_create = ("number", "name")

    number = "30"
    name = "Viken"
    valid_from = DEFAULT_FROM
    valid_to = datetime.date(2024, 1, 1)


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality

    number = factory.Sequence(lambda n: f"{3100 + n % 800:04d}")
    name = factory.Sequence(lambda n: f"Kommune {n}")
    county = factory.SubFactory(CountyFactory)
    valid_from = DEFAULT_FROM


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region

    name = factory.Sequence(lambda n: f"Region {n}")
    slug = factory.Sequence(lambda n: f"region-{n}")
    host_county = factory.SubFactory(CountyFactory)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RegionMembership

    municipality = factory.SubFactory(MunicipalityFactory)
    region = factory.SubFactory(RegionFactory)
    valid_from = DEFAULT_FROM


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Faker("name", locale="no_NO")
    email = factory.Sequence(lambda n: f"person{n}@example.no")


class CouncilAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CouncilArea

    county = factory.SubFactory(CountyFactory)
    name = factory.Sequence(lambda n: f"Rådsområde {n}")
    slug = factory.Sequence(lambda n: f"radsomrade-{n}")
    valid_from = DEFAULT_FROM


class AppointmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Appointment

    person = factory.SubFactory(PersonFactory)
    role = Appointment.Role.REGION_COUNCIL_LEADER
    region = factory.SubFactory(RegionFactory)
    valid_from = DEFAULT_FROM


def an_adviser(adviser=None):
    """The acting adviser a builder uses: the given one, or an existing or new adviser."""
    return (
        adviser
        or User.objects.filter(role=User.Role.ADVISER, is_active=True).first()
        or UserFactory(role=User.Role.ADVISER)
    )
