import datetime
import io

import pytest

from rounds.demo import load_demo
from rounds.models import Contribution, Round
from tests.conftest import make_leader
from tests.factories import CountyFactory, RegionFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_demo_gives_ostfold_one_round_with_two_contributions_once():
    ostfold = CountyFactory(number="31", name="Østfold", valid_from=datetime.date(2024, 1, 1), valid_to=None)
    indre = RegionFactory(name="Indre Østfold", slug="indre-ostfold", host_county=ostfold)
    RegionFactory(name="Mosseregionen", slug="mosseregionen", host_county=ostfold)
    make_leader(indre, "leder")
    UserFactory(username="radgiver", role="adviser")
    load_demo(stdout=io.StringIO())
    load_demo(stdout=io.StringIO())
    round_ = Round.objects.get()
    assert round_.contributions.count() == 2
    submitted = round_.contributions.get(status=Contribution.Status.SUBMITTED)
    assert submitted.region == indre and "E18" in submitted.text


def test_the_demo_skips_quietly_without_its_county(db):
    load_demo(stdout=io.StringIO())
    assert not Round.objects.exists()
