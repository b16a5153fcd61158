"""Factories for cases."""

import factory

from cases.models import Case
from tests.factories import RegionFactory, UserFactory


class CaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Case

    title = factory.Sequence(lambda n: f"Sak {n}")
    description = "Beskrivelse"
    origin_region = factory.SubFactory(RegionFactory)
    created_by = factory.SubFactory(UserFactory)
