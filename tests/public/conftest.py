import pytest

from tests.oparl.conftest import build_world


@pytest.fixture
def world(region, other_region, leader, other_leader, adviser, council_area, staff):
    return build_world(
        region=region,
        other_region=other_region,
        leader=leader,
        other_leader=other_leader,
        adviser=adviser,
        council_area=council_area,
        staff=staff,
    )
