"""A region submitting while the adviser closes the round, on PostgreSQL with real threads on their
own connections: whichever comes first, the other sees it, and no reminder is left planned."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from notifications.models import Message
from rounds import services
from rounds.models import Contribution, Round
from rounds.renderers import DEADLINE_KIND
from tests.conftest import require_postgres

from .factories import open_round

pytestmark = pytest.mark.django_db(transaction=True)


def test_submitting_and_closing_at_once_leave_no_reminder_and_no_late_submission(region, adviser, leader):
    require_postgres(connection)
    round_ = open_round([region], adviser=adviser)
    contribution = Contribution.objects.get(round=round_)
    services.contribution_save(contribution=contribution, actor=leader, text="E18 først.")
    barrier = threading.Barrier(2)
    refused = []

    def run(step):
        try:
            barrier.wait(timeout=10)
            step()
        except ValidationError as error:
            refused.append(error)
        finally:
            connections.close_all()

    steps = [
        lambda: services.contribution_submit(contribution=contribution, actor=leader),
        lambda: services.round_close(round_=round_, actor=adviser),
    ]
    threads = [threading.Thread(target=run, args=(step,)) for step in steps]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    contribution.refresh_from_db()
    round_.refresh_from_db()
    assert round_.status == Round.Status.CLOSED
    assert (contribution.status == Contribution.Status.SUBMITTED) == (not refused)
    assert not Message.objects.filter(kind=DEADLINE_KIND, state=Message.State.PENDING).exists()
