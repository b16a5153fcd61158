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
    assert Case.objects.count() == count == 6
    assert statuses == {"draft", "submitted", "routed", "answer_sent", "closed"}


def test_daily_digest_once_per_adviser_and_day(submitted, adviser):
    assert digest_send(now=NOW) == 1
    digest_send(now=NOW)
    assert Message.objects.filter(recipient=adviser, key__startswith="cases.digest.").count() == 1


def test_the_digest_counts_what_waits_when_it_is_sent(submitted, adviser, mailoutbox):
    """Planned at seven, sent after an outage: it tells what is waiting when it leaves, in the
    outbox's language, and a digest with nothing left to tell is not sent at all."""
    from cases import services
    from notifications.sweep import message_sweep

    digest_send(now=NOW)
    second = services.case_create(
        actor=submitted.created_by,
        title="Ny skolerute",
        description="Forslag.",
        topic=Case.Topic.CONCRETE_MATTER,
        origin_region=submitted.origin_region,
        now=NOW,
    )
    services.case_submit(case=second, actor=second.created_by, now=NOW)
    mailoutbox.clear()
    message_sweep(now=NOW)
    digest = Message.objects.get(recipient=adviser, kind="cases.digest")
    assert digest.state == Message.State.SENT
    assert digest.subject == "Saker i dag: 2 nye, 2 venter, 0 forfalt"


def test_a_digest_with_nothing_to_tell_is_not_sent(submitted, adviser):
    from cases import services
    from notifications.sweep import message_sweep

    digest_send(now=NOW)
    services.case_withdraw(case=submitted, actor=submitted.created_by, now=NOW)
    message_sweep(now=NOW)
    assert Message.objects.get(recipient=adviser, kind="cases.digest").state == Message.State.CANCELLED


def test_daily_digest_is_written_in_the_advisers_own_language(submitted, adviser, mailoutbox):
    """Written when it is sent, in the language the adviser chose (nynorsk here)."""
    from notifications.sweep import message_sweep

    adviser.language = "nn"
    adviser.save(update_fields=["language"])
    digest_send(now=NOW)
    message_sweep(now=NOW)
    message = Message.objects.get(recipient=adviser, key__startswith="cases.digest.")
    assert message.subject.startswith("Saker i dag:") and " ventar, " in message.subject
    assert "Mottekne, ikkje fordelte:" in mailoutbox[-1].body
