"""Input-round pages and objects for the shared quality suites (tests/security/extensions.py).

The world gets an open round addressed to region A only, with A's draft contribution (text, a stored
PDF attachment, anchoring in a member council): leader_a and the secretariat read and write it,
leader_b and staff get 404 for the round and everything in it; an adviser's step on the round is
forbidden to leader_a (403: visible, nothing to hide). docs/adr/0004."""

import datetime

from tests.e2e.pages import A11yPage


def _setup(world):
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from django.utils import timezone

    from rounds import services
    from rounds.models import ContributionAttachment
    from tests.cases.factories import WORLD_PDF, WORLD_PDF_NAME

    adviser, leader_a = world.user("adviser"), world.user("leader_a")
    round_ = services.round_open(
        actor=adviser,
        county=world.county,
        title="Innspill til NTP 2029–2040",
        public_text="Fylket samler regionenes innspill til Nasjonal transportplan.",
        deadline=timezone.localdate() + datetime.timedelta(days=60),
        regions=[world.region_a],
        council_areas=[world.council_area],
    )
    contribution = round_.contributions.get()
    services.contribution_save(contribution=contribution, actor=leader_a, text="E18 og Østfoldbanen først.")
    services.anchoring_record(
        contribution=contribution, actor=leader_a, municipality=world.members_a[0], stance="supports"
    )
    if not default_storage.exists(WORLD_PDF_NAME):
        default_storage.save(WORLD_PDF_NAME, ContentFile(WORLD_PDF))
    attachment = ContributionAttachment(
        contribution=contribution,
        file=WORLD_PDF_NAME,
        original_name="uttalelse.pdf",
        content_type="application/pdf",
        size=len(WORLD_PDF),
        uploaded_by=leader_a,
        uploaded_at=timezone.now(),
    )
    attachment.save()
    world.objects["round_a"] = round_
    world.objects["contribution_a"] = contribution
    world.objects["round_attachment_a"] = attachment


WORLD_SETUP = [_setup]

_ROUND = lambda w: {"pk": w.round_a.pk}  # noqa: E731
_CONTRIBUTION = lambda w: {"pk": w.contribution_a.pk}  # noqa: E731

URL_KWARGS = {
    "rounds:round-detail": _ROUND,
    "rounds:round-close": _ROUND,
    "rounds:round-sent": _ROUND,
    "rounds:round-pdf": _ROUND,
    "rounds:round-docx": _ROUND,
    "rounds:contribution-detail": _CONTRIBUTION,
    "rounds:contribution-submit": _CONTRIBUTION,
    "rounds:attachment-add": _CONTRIBUTION,
    "rounds:anchoring-add": _CONTRIBUTION,
    "rounds:attachment-download": lambda w: {"pk": w.round_attachment_a.pk},
}

URL_OBJECTS = {
    "rounds:round-detail": "round_a",
    "rounds:round-close": "round_a",
    "rounds:round-sent": "round_a",
    "rounds:round-pdf": "round_a",
    "rounds:round-docx": "round_a",
    "rounds:contribution-detail": "contribution_a",
    "rounds:contribution-submit": "contribution_a",
    "rounds:attachment-add": "contribution_a",
    "rounds:anchoring-add": "contribution_a",
    "rounds:attachment-download": "round_attachment_a",
}

_EVERYONE = {"adviser": 200, "admin": 200, "leader_a": 200, "leader_b": 200, "staff": 200}
_READ_OWN = {"adviser": 200, "admin": 200, "leader_a": 200, "leader_b": 404, "staff": 404}
_ADVISER_STEP_ON_OWN = {"adviser": 200, "admin": 200, "leader_a": 403, "leader_b": 404, "staff": 404}
_ADVISERS_ONLY = {"adviser": 200, "admin": 200, "leader_a": 403, "leader_b": 403, "staff": 403}
_POST_ONLY = {"adviser": 405, "admin": 405, "leader_a": 405, "leader_b": 405, "staff": 405}

EXPECTED_STATUS = {
    "rounds:index": _EVERYONE,
    "rounds:round-open": _ADVISERS_ONLY,
    "rounds:round-detail": _READ_OWN,
    "rounds:round-sent": _ADVISER_STEP_ON_OWN,
    "rounds:round-pdf": _ADVISER_STEP_ON_OWN,
    "rounds:round-docx": _ADVISER_STEP_ON_OWN,
    "rounds:round-close": _POST_ONLY,
    "rounds:contribution-detail": _READ_OWN,
    "rounds:contribution-submit": _POST_ONLY,
    "rounds:attachment-add": _POST_ONLY,
    "rounds:anchoring-add": _POST_ONLY,
    "rounds:attachment-download": _READ_OWN,
}

PAGES = [
    A11yPage("rounds-index-adviser", "rounds:index", "adviser"),
    A11yPage("rounds-round-adviser", "rounds:round-detail", "adviser", kwargs=_ROUND),
    A11yPage("rounds-round-leader_a", "rounds:round-detail", "leader_a", kwargs=_ROUND),
    A11yPage("rounds-contribution-leader_a", "rounds:contribution-detail", "leader_a", kwargs=_CONTRIBUTION),
    A11yPage("rounds-open-adviser", "rounds:round-open", "adviser"),
]

FUZZ_PAGES = [("rounds:index", "adviser", ["page"])]
