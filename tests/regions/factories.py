"""Registry objects for the regions tests and the shared quality world, made through regions.services."""

import datetime

from regions import services
from regions.models import Confidence, Municipality, Region, RegionMembership
from tests.factories import MunicipalityFactory, an_adviser


def former_membership(
    region: Region,
    *,
    name: str,
    number: str,
    joined: datetime.date,
    left: datetime.date,
    merged_into: Municipality | None = None,
) -> RegionMembership:
    """A municipality that was a member of the region from `joined` until `left` (exclusive), with a
    low-confidence note; if `merged_into` is given, the municipality ended on `left` by merging into it."""
    municipality = MunicipalityFactory(
        number=number, name=name, county=region.host_county, valid_from=joined, valid_to=left if merged_into else None
    )
    if merged_into is not None:
        merged_into.predecessors.add(municipality)
    membership = services.membership_start(
        actor=an_adviser(),
        municipality=municipality,
        region=region,
        valid_from=joined,
        decided_on=joined - datetime.timedelta(days=30),
        decision_reference="K-sak 12/19",
        confidence=Confidence.LOW,
        note="Innmeldingsvedtaket er ikke funnet i arkivet.",
    )
    return services.membership_end(
        actor=an_adviser(), membership=membership, valid_to=left, decision_reference="K-sak 40/20"
    )
