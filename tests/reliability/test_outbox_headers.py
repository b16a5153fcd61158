"""Every header of every e-mail the outbox sends is a single line, whatever a user typed.

The class test plans a message of EVERY registered kind (notifications.registry) from real objects of
the shared world (tests/security/world.py), renames those objects with hostile text (line breaks, a
header to inject, escape and other control characters, written straight to the database as a script
would get past a form), sweeps, and reads each e-mail as a receiving program does. A kind registered
later without a planner here makes the test fail, so a new renderer cannot skip the proof.
"""

import datetime
import unicodedata
from email import message_from_bytes, policy

from django.core import mail
from django.db import transaction

from notifications import registry
from notifications.mail import KEY_HEADER
from notifications.models import Message, Notification
from notifications.sweep import message_sweep
from tests.outbox import TEST_KIND, notify
from tests.security.world import build_world

MARK = "Ondsinnet"
HOSTILE = f"{MARK}\r\nBcc: angriper@example.com\nX-Injected: ja\x0b\x0c\x1b[31m\x7f\x85\u2028\u2029slutt\r"
HEADERS = {
    "content-type",
    "mime-version",
    "content-transfer-encoding",
    "content-disposition",
    "subject",
    "from",
    "to",
    "date",
    "message-id",
    "reply-to",  # the meeting's organiser, or the coordination unit's mailbox
    KEY_HEADER.lower(),
}
SWEEP_AT = datetime.datetime(2031, 1, 1, tzinfo=datetime.UTC)  # after everything the world plans


def _cases_event(world):
    """A region leader submits a draft: the coordination unit is told (case title in the subject)."""
    from cases import services

    services.case_submit(case=world.case_a_draft, actor=world.user("leader_a"))


def _cases_deadline(world):
    """The deadline reminders to the council area that has still to answer (title in the text)."""
    from cases import services
    from tests.cases.quality import NOW

    assert services.deadline_reminders_plan(case=world.case_a_routed, now=NOW) > 0


def _cases_digest(world):
    """The advisers' daily digest (counts only, but its subject is built like the others)."""
    from cases import services
    from tests.cases.quality import NOW

    assert services.digest_send(now=NOW) > 0


def _cases_export(world):
    """A prepared export's notice to its owner (the world's export is built; the job plans this), which
    quotes the search the list was made with."""
    from urllib.parse import urlencode

    from cases.models import CaseExport
    from notifications.services import message_enqueue

    export = world.objects["export_a"]
    CaseExport.objects.filter(pk=export.pk).update(query=urlencode({"q": HOSTILE}))
    message_enqueue(
        key=f"cases.export.{export.pk}", kind="cases.export", recipient=export.owner, payload={"export_id": export.pk}
    )


def _meetings_reminder_cutoff_minutes(world):
    """The series' March meeting: reminders to its invitees, the cut-off notice to the region's leader,
    the minutes reminder to the organiser (the world's series planned them; planning is idempotent)."""
    from meetings import services
    from meetings.models import Meeting
    from tests.meetings.factories import NOW, oslo

    march = Meeting.objects.get(series=world.series_a, start=oslo(2030, 3, 12, 9))
    services.meeting_plan_messages(meeting=march, now=NOW)


def _meetings_invitation(world):
    from meetings import services
    from tests.meetings.factories import NOW

    services.agenda_publish(meeting=world.meeting_a, actor=world.user("adviser"), now=NOW)


def _meetings_cancellation(world):
    from meetings import services
    from tests.meetings.factories import NOW

    services.meeting_cancel(meeting=world.meeting_b, actor=world.user("adviser"), reason="Sykdom", now=NOW)


def _tests_note(world):
    """The tests' plain message, with text someone typed."""
    notify(user=world.user("adviser"), key="tests.simple.hostile", subject=f"Sak {HOSTILE}", body=HOSTILE)


def _partnerships_proposal(world):
    """A leader's proposal (to the advisers) and its rejection (to the leader): both name the region."""
    from partnerships import services
    from partnerships.models import SpecialPart

    proposal = services.proposal_create(
        special_part=SpecialPart.objects.get(pk=world.agreement_a.special_part.pk),
        section="introduction",
        proposed_text="Ny tekst.",
        actor=world.user("leader_a"),
    )
    services.proposal_reject(proposal=proposal, actor=world.user("adviser"), note="Ikke nå")


def _people_invitation(world):
    """An adviser invites a person: the e-mail names the person and the adviser who sent it."""
    from people import services
    from tests.factories import UserFactory

    services.invitation_send(actor=world.user("adviser"), person=UserFactory(username="ny_person"))


def _partnerships_term(world):
    """Reminders before the end of region B's agreement and its revision, to the advisers and leader_b."""
    from partnerships import services

    services.agreement_set_term(
        agreement=world.agreement_b,
        actor=world.user("adviser"),
        term_starts_on=datetime.date(2021, 6, 1),
        term_ends_on=datetime.date(2030, 6, 1),
        revision_on=datetime.date(2029, 6, 1),
    )


def _rounds_deadline(world):
    """An input round to region A: reminders before its deadline to leader_a name the region and the round."""
    from django.utils import timezone

    from rounds import services

    services.round_open(
        actor=world.user("adviser"),
        county=world.county,
        title="Innspill til NTP",
        public_text="Innspill.",
        deadline=timezone.localdate() + datetime.timedelta(days=60),
        regions=[world.region_a],
    )


PLANNERS = {
    "cases.event": _cases_event,
    "cases.deadline": _cases_deadline,
    "cases.digest": _cases_digest,
    "cases.export": _cases_export,
    "meetings.reminder": _meetings_reminder_cutoff_minutes,
    "meetings.cutoff": _meetings_reminder_cutoff_minutes,
    "meetings.minutes": _meetings_reminder_cutoff_minutes,
    "meetings.invitation": _meetings_invitation,
    "meetings.cancellation": _meetings_cancellation,
    TEST_KIND: _tests_note,
    "partnerships.proposal_made": _partnerships_proposal,
    "partnerships.proposal_decided": _partnerships_proposal,
    "people.invitation": _people_invitation,
    "partnerships.agreement_expires": _partnerships_term,
    "partnerships.agreement_revision_due": _partnerships_term,
    "rounds.deadline": _rounds_deadline,
}


# Kinds whose text quotes nothing anyone typed (the digest gives counts): proven sent, not hostile.
QUOTE_NOTHING_TYPED = {"cases.digest"}


def _registered_kinds():
    return {kind for kind in registry._renderers if not kind.startswith("tests.")}


def _make_hostile():
    """Every name and title a message may quote, rewritten straight in the database."""
    from accounts.models import User
    from cases.models import Case
    from meetings.models import AgendaItem, Meeting, MeetingSeries
    from regions.models import CouncilArea, Person, Region
    from rounds.models import Round

    for model, fields in [
        (Region, ["name"]),
        (CouncilArea, ["name"]),
        (Person, ["name"]),
        (User, ["first_name", "last_name"]),
        (Case, ["title", "description"]),
        (MeetingSeries, ["title"]),
        (Meeting, ["title", "location", "cancel_reason"]),
        (AgendaItem, ["title"]),
        (Round, ["title"]),
    ]:
        model.objects.update(**dict.fromkeys(fields, HOSTILE))


def _one_line(text):
    return not any(unicodedata.category(char) in ("Cc", "Zl", "Zp") for char in str(text))


def test_every_kind_of_message_has_single_line_headers_whatever_users_typed(db):
    assert _registered_kinds() <= PLANNERS.keys(), (
        f"kinds without a planner here: {sorted(_registered_kinds() - PLANNERS.keys())}; add one that plans "
        "a message of the kind from real objects, so its headers are proven single-line too"
    )
    world = build_world()
    with transaction.atomic():
        for planner in dict.fromkeys(PLANNERS.values()):
            planner(world)
    _make_hostile()
    mail.outbox = []

    counts = message_sweep(now=SWEEP_AT)

    assert counts["failed"] == counts["retry"] == 0, list(
        Message.objects.exclude(last_error="").values_list("last_error")
    )
    sent = dict(Message.objects.filter(state=Message.State.SENT).values_list("key", "kind"))
    hostile_kinds, sent_kinds = set(), set()
    for email in mail.outbox:
        parsed = message_from_bytes(email.message().as_bytes(), policy=policy.default)
        kind = sent[str(parsed[KEY_HEADER]).strip()]
        sent_kinds.add(kind)
        for part in parsed.walk():
            for name, value in part.items():
                assert name.lower() in HEADERS, f"{kind}: header {name!r} was injected"
                assert _one_line(value), f"{kind}: {name} is not one line: {str(value)!r}"
            if part.get_filename() is not None:
                assert _one_line(part.get_filename())
        assert parsed.get_all("To") == [email.to[0]] and "\n" not in email.to[0]
        text = str(parsed["Subject"]) + "".join(
            part.get_content() for part in parsed.walk() if part.get_content_type() == "text/plain"
        )
        if MARK in text:
            hostile_kinds.add(kind)

    assert sent_kinds >= _registered_kinds(), f"never sent: {sorted(_registered_kinds() - sent_kinds)}"
    quoting = _registered_kinds() - QUOTE_NOTHING_TYPED
    assert hostile_kinds >= quoting, (
        f"no e-mail of these kinds carried the hostile text: {sorted(quoting - hostile_kinds)}"
    )
    assert all(_one_line(title) for title in Notification.objects.values_list("title", flat=True))
    assert Notification.objects.filter(title__contains=MARK).exists()


def test_an_attachment_name_with_line_breaks_is_one_line_and_keeps_its_extension(leader, monkeypatch):
    """File names are headers too (Content-Disposition); a renderer may pass on what a user uploaded."""
    from notifications.registry import Attachment, Rendered
    from notifications.services import message_enqueue

    name = "Referat\r\nContent-Type: text/html\x00 fra møtet/../" + "langt " * 40 + ".pdf"
    monkeypatch.setitem(
        registry._renderers,
        "tests.attachment",
        lambda message: Rendered(
            subject="Referat", body="Vedlagt.", attachments=[Attachment(name, b"%PDF-1.7", "application/pdf")]
        ),
    )
    message_enqueue(key="attachment", kind="tests.attachment", recipient=leader)

    assert message_sweep()["sent"] == 1

    parsed = message_from_bytes(mail.outbox[0].message().as_bytes(), policy=policy.default)
    (part,) = [part for part in parsed.walk() if part.get_filename()]
    filename = part.get_filename()
    assert _one_line(filename) and filename.endswith(".pdf") and len(filename) <= 100
    assert "/" not in filename, "no folders in a file name"
    assert len(part.get_all("Content-Type")) == 1, "no header injected"
    assert part.get_content_type() == "application/pdf"


def test_single_line_folds_breaks_trims_and_shortens_within_the_limit():
    from core.text import single_line

    assert single_line("Fylkesvei 120\r\n\ttrenger\x0bgangvei\u2028 ") == "Fylkesvei 120 trenger gangvei"
    assert single_line("  Indre Østfold  ") == "Indre Østfold"
    assert single_line("Møte om kollektivtrafikk i regionen", max_length=30) == "Møte om kollektivtrafikk i…"
    assert single_line("x" * 300, max_length=255) == "x" * 254 + "…"
    assert all(len(single_line("ord " * 100, max_length=n)) <= n for n in range(0, 60))
    assert single_line("a\ud800b") == "a\ufffdb", "a lone surrogate cannot be encoded"
