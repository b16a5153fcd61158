"""A plain message kind for tests that need "some message" in the outbox without a case or a meeting
behind it. The portal itself has no fixed-text messages: every kind is written at send time by its
renderer. Celery workers started by the tests import this module (`-I tests.outbox`) to render it."""

from notifications.registry import Rendered, register
from notifications.services import message_enqueue

TEST_KIND = "tests.note"


@register(TEST_KIND)
def render_note(message):
    payload = message.payload
    return Rendered(subject=payload.get("subject", ""), body=payload.get("body", ""), url=payload.get("url", ""))


def notify(*, user, key, subject, body="", url="", due_at=None):
    """Plan a plain message (in-app and e-mail) with the given text."""
    return message_enqueue(
        key=key,
        kind=TEST_KIND,
        recipient=user,
        payload={"subject": str(subject), "body": str(body), "url": str(url)},
        due_at=due_at,
    )
