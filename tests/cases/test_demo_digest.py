import io

import pytest

from cases.demo import load_demo
from cases.models import Case
from cases.services import digest_send
from notifications.models import Message
from tests.conftest import make_leader
from tests.factories import UserFactory

from .conftest import NOW

pytestmark = pytest.mark.django_db


def test_demo_is_idempotent(region, members, council_area, staff):
    make_leader(region, "leder")
    UserFactory(username="radgiver", role="adviser")
    staff.username = "saksbehandler"
    staff.save()
    load_demo(stdout=io.StringIO())
    count = Case.objects.count()
    statuses = set(Case.objects.values_list("status", flat=True))
    load_demo(stdout=io.StringIO())
    assert Case.objects.count() == count == 5
    assert statuses == {"draft", "submitted", "routed", "answer_sent"}


def test_daily_digest_once_per_adviser_and_day(submitted, adviser):
    assert digest_send(now=NOW) == 1
    digest_send(now=NOW)
    assert Message.objects.filter(recipient=adviser, key__startswith="cases.digest.").count() == 1


def test_daily_digest_is_written_in_the_advisers_own_language(submitted, adviser):
    adviser.language = "nn"
    adviser.save(update_fields=["language"])
    digest_send(now=NOW)
    message = Message.objects.get(recipient=adviser, key__startswith="cases.digest.")
    assert message.payload["subject"].startswith("Saker i dag:") and " ventar, " in message.payload["subject"]
    assert "Mottekne, ikkje fordelte:" in message.payload["body"]
