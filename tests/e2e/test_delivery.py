"""A notification planned in the outbox is delivered by a real Celery worker and shown in the browser."""

import pytest
from django.db import transaction
from django.utils import timezone

from notifications.models import Message
from tests.outbox import notify
from tests.reliability.processes import wait_until

pytestmark = pytest.mark.e2e


def test_worker_delivers_a_planned_notification_that_the_leader_then_sees(
    world, celery_worker, browser_page, login_as, screenshot
):
    leader = world.user("leader_a")
    page = login_as(browser_page, leader)
    with transaction.atomic():
        notify(user=leader, key="e2e:welcome", subject="Nytt møte i regionrådet", body="Se innkallingen.", url="/")

    wait_until(
        lambda: Message.objects.filter(key="e2e:welcome", state=Message.State.SENT).exists(),
        timeout=30,
        what="the worker to deliver the message",
    )
    # The world's own messages (e.g. meeting invitations) are delivered by the worker as well.
    wait_until(
        lambda: (
            not Message.objects.filter(
                state__in=[Message.State.PENDING, Message.State.SENDING], available_at__lte=timezone.now()
            ).exists()
        ),
        timeout=60,
        what="the worker to deliver everything due",
    )
    unread = leader.notifications.filter(read_at__isnull=True).count()
    page.goto("/")
    page.get_by_role("link", name="Varsler").click()

    assert page.locator("h1").inner_text() == "Varsler"
    assert page.get_by_role("link", name="Nytt møte i regionrådet").is_visible()
    assert unread >= 1
    assert page.get_by_role("link", name=f"Varsler {unread} uleste").is_visible()
    assert celery_worker.mail_files_by_key().get("e2e:welcome") == 1, "one e-mail for the message"
    screenshot(page, "notifications-leader_a")
