import datetime
import io

import pytest
from django.urls import reverse

from funds.demo import load_demo as load_funds_demo
from reports.demo import load_demo
from reports.models import ReportText
from tests.factories import CountyFactory, RegionFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_demo_report_for_ostfold_2026_opens_with_the_advisers_text_and_the_demo_funds(client):
    ostfold = CountyFactory(number="31", name="Østfold", valid_from=datetime.date(2024, 1, 1), valid_to=None)
    RegionFactory(name="Indre Østfold", slug="indre-ostfold", host_county=ostfold)
    RegionFactory(name="Mosseregionen", slug="mosseregionen", host_county=ostfold)
    adviser = UserFactory(username="radgiver", role="adviser")
    load_funds_demo(stdout=io.StringIO())
    load_demo(stdout=io.StringIO())
    load_demo(stdout=io.StringIO())  # a second run changes nothing
    assert ReportText.objects.filter(county=ostfold, year=2026).count() == 1
    client.force_login(adviser)
    html = client.get(reverse("reports:report", kwargs={"county": ostfold.pk, "year": 2026})).content.decode()
    assert "(Eksempel)" in html
    assert "7\xa0000\xa0000,00" in html  # both regions' income, as on the funds overview


def test_the_demo_skips_quietly_without_its_county(db):
    load_demo(stdout=io.StringIO())
    assert not ReportText.objects.exists()
