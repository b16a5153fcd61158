import datetime
import io
from decimal import Decimal

import pytest

from funds.demo import load_demo
from funds.models import FundYear
from funds.selectors import fund_balance, fund_year_list_visible_to
from tests.factories import CountyFactory, RegionFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_demo_gives_two_regions_of_ostfold_a_year_of_funds_once():
    ostfold = CountyFactory(number="31", name="Østfold", valid_from=datetime.date(2024, 1, 1), valid_to=None)
    RegionFactory(name="Indre Østfold", slug="indre-ostfold", host_county=ostfold)
    RegionFactory(name="Mosseregionen", slug="mosseregionen", host_county=ostfold)
    adviser = UserFactory(username="radgiver", role="adviser")
    load_demo(stdout=io.StringIO())
    load_demo(stdout=io.StringIO())
    years = {year.region.name: fund_balance(year) for year in fund_year_list_visible_to(user=adviser)}
    assert FundYear.objects.filter(year=2026).count() == 2
    assert years["Indre Østfold"]["income"] == Decimal("3500000.00")
    assert years["Indre Østfold"]["paid"] == Decimal("400000.00")
    assert years["Mosseregionen"]["available"] == Decimal("3000000.00")


def test_the_demo_skips_quietly_without_its_county(db):
    load_demo(stdout=io.StringIO())
    assert not FundYear.objects.exists()
