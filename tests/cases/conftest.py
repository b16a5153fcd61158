import datetime
from zoneinfo import ZoneInfo

import pytest

from cases import services
from cases.models import Case

OSLO = ZoneInfo("Europe/Oslo")
NOW = datetime.datetime(2030, 3, 4, 10, 0, tzinfo=OSLO)


@pytest.fixture
def now():
    return NOW


@pytest.fixture
def draft(leader, region, members):
    """A draft from `region`, written by its leader."""
    return services.case_create(
        actor=leader,
        title="Fylkesvei 120 trenger gang- og sykkelvei",
        description="Trafikksikkerhet for skolebarn langs fylkesveien.",
        topic=Case.Topic.CONCRETE_MATTER,
        origin_region=region,
        deadline=datetime.date(2030, 4, 1),
        now=NOW,
    )


@pytest.fixture
def submitted(draft, leader):
    return services.case_submit(case=draft, actor=leader, now=NOW)


@pytest.fixture
def routed(submitted, adviser, council_area, staff):
    services.case_receive(case=submitted, actor=adviser, now=NOW)
    services.case_route(case=submitted, actor=adviser, council_areas=[council_area], now=NOW)
    submitted.refresh_from_db()
    return submitted
