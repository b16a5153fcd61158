"""The demo shows an outcome that reached a case: a held meeting's decision and the reference group's
input on the demo NTP case, once however often the demo runs."""

import io

import pytest

from cases import services as case_services
from cases.models import CaseEvent
from meetings.demo import DECIDED_CASE, HELD_TITLE, load_demo
from meetings.models import Meeting, ReferenceGroupInput
from tests.factories import RegionFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_demo_decides_on_the_ntp_case_once(client):
    region = RegionFactory(name="Indre Østfold", slug="indre-ostfold")
    adviser = UserFactory(username="radgiver", role="adviser")
    case = case_services.case_create(actor=adviser, title=DECIDED_CASE, origin_region=region)
    load_demo(stdout=io.StringIO())
    load_demo(stdout=io.StringIO())  # a second run changes nothing
    assert Meeting.objects.filter(title=HELD_TITLE, status=Meeting.Status.HELD).count() == 1
    assert CaseEvent.objects.filter(case=case, action=CaseEvent.Action.MEETING_OUTCOME).count() == 1
    assert ReferenceGroupInput.objects.filter(case=case).count() == 1
    client.force_login(adviser)
    html = client.get(case.get_absolute_url()).content.decode()
    assert "Regionrådet slutter seg til innspillet" in html and "Referansegruppen anbefaler" in html
