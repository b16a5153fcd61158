import datetime
from zoneinfo import ZoneInfo

import pytest

from cases import services as case_services
from cases.models import Anchoring, Case
from tests.factories import MembershipFactory, MunicipalityFactory
from themes import services

OSLO = ZoneInfo("Europe/Oslo")
NOW = datetime.datetime(2026, 3, 4, 10, 0, tzinfo=OSLO)


def oslo(*args):
    return datetime.datetime(*args, tzinfo=OSLO)


def region_case(leader, region, title, *, visibility=Case.Visibility.INTERNAL, submit=True):
    case = case_services.case_create(
        actor=leader,
        title=title,
        description="Regionrådet ber fylkeskommunen om en vurdering.",
        topic=Case.Topic.CONCRETE_MATTER,
        origin_region=region,
        visibility=visibility,
        now=NOW,
    )
    return case_services.case_submit(case=case, actor=leader, now=NOW) if submit else case


def support(case, leader, municipality, stance=Anchoring.Stance.SUPPORTS):
    return case_services.anchoring_record(
        case=case,
        actor=leader,
        municipality=municipality,
        body=Anchoring.Body.COUNCIL,
        stance=stance,
        decision_date=datetime.date(2026, 2, 20),
        now=NOW,
    )


@pytest.fixture
def other_members(other_region):
    """Two member municipalities of `other_region`."""
    return [MembershipFactory(region=other_region, municipality=MunicipalityFactory()).municipality for _ in range(2)]


@pytest.fixture
def group(adviser, region, other_region, members, other_members):
    """Indre Østfold and Follo cooperating on transport, led by Indre Østfold."""
    return services.theme_group_create(
        county=region.host_county,
        name="Samferdsel og kollektivtransport",
        description="Fylkesveier og busstilbud.",
        lead_region=region,
        regions=[region, other_region],
        actor=adviser,
        now=NOW,
    )
