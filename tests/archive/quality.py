"""Archive pages and objects for the shared quality suites (tests/security/extensions.py).

The world gets one archive message of region A's case (case_a), failed at the HTTP endpoint, so the
list shows an error and a "send again" button; advisers see it, everyone else gets 403 for the list
and 404 for the message.
"""

from tests.e2e.pages import A11yPage


def _setup(world):
    from django.utils import timezone

    from archive.models import ArchiveMessage

    case = world.objects["case_a"]
    world.objects["archive_message_a"] = ArchiveMessage.objects.create(
        key=f"case-{case.pk}:incoming",
        cause=ArchiveMessage.Cause.CASE_CLOSED,
        case=case,
        folder_key=f"case-{case.pk}",
        sequence=1,
        part="incoming",
        title=case.title,
        state=ArchiveMessage.State.FAILED,
        attempts=8,
        last_error="deliver: HTTP 503: Arkivet er ikke tilgjengelig",
        created_at=timezone.now(),
    )


WORLD_SETUP = [_setup]

URL_KWARGS = {"archive:message-send-again": lambda w: {"pk": w.objects["archive_message_a"].pk}}
URL_OBJECTS = {"archive:message-send-again": "archive_message_a"}

_ADVISERS_ONLY = {"adviser": 200, "admin": 200, "leader_a": 403, "leader_b": 403, "staff": 403}
EXPECTED_STATUS = {
    "archive:message-list": _ADVISERS_ONLY,
    "archive:message-send-again": {"adviser": 405, "admin": 405, "leader_a": 405, "leader_b": 405, "staff": 405},
}

PAGES = [
    A11yPage("archive-list-adviser", "archive:message-list", "adviser"),
    A11yPage("archive-list-failed-adviser", "archive:message-list", "adviser", query="state=failed"),
]

FUZZ_PAGES = [("archive:message-list", "adviser", ["state", "cause", "page"])]
