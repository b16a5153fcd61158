"""One poisoned message among good ones: it fails alone, with its reason and one attempt counted, the
others in its batch are delivered, none is left "sending", and the next sweep sends what comes next.

Each kind of poison is planned in the middle of one sweep batch of good messages of several kinds:
meeting reminders (with their preparer and .ics) and plain notifications. Runs on SQLite and on
PostgreSQL (the suite runs on both); the poisons only PostgreSQL refuses skip on SQLite.
"""

import datetime
from email import message_from_bytes, policy

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.core import mail
from django.db import connection, transaction

from meetings import services as meeting_services
from notifications import registry
from notifications.delivery import MAX_ATTEMPTS, message_deliver
from notifications.mail import KEY_HEADER
from notifications.models import Message, Notification
from notifications.registry import Rendered
from notifications.services import message_enqueue
from notifications.sweep import message_sweep
from regions.models import Appointment
from tests.conftest import require_postgres
from tests.factories import UserFactory
from tests.meetings.factories import NOW, appoint, oslo
from tests.outbox import notify

# The meeting's 7-day reminders fall due at 09:00 on 5 February 2030; everything here is due then.
DUE = oslo(2030, 2, 5, 9)
SWEEP_AT = DUE + datetime.timedelta(minutes=1)


@pytest.fixture
def test_kinds(monkeypatch):
    """Register renderers (and preparers) for kinds only this test knows, removed again afterwards."""

    def add(kind, renderer, preparer=None):
        monkeypatch.setitem(registry._renderers, kind, renderer)
        if preparer is not None:
            monkeypatch.setitem(registry._preparers, kind, preparer)

    return add


@pytest.fixture
def good_batch(adviser, region, leader):
    """Good messages due at DUE: a meeting's 7-day reminders to its three invitees (kind
    meetings.reminder, with an .ics) and six plain notifications. Returns a function that plans
    them; the test plans its poison between the two halves."""
    appoint(region, Appointment.Role.COUNTY_COUNCILLOR, "councillor", with_user=True)
    appoint(region, Appointment.Role.COUNTY_COUNCIL_REPRESENTATIVE, "rep")
    users = [leader, adviser, *(UserFactory(username=f"mottaker{n}") for n in range(4))]

    def plan(half):
        if half == 0:
            meeting_services.meeting_create(
                actor=adviser,
                title="Regionrådsmøte",
                start=oslo(2030, 2, 12, 9),
                end=oslo(2030, 2, 12, 12),
                region=region,
                now=NOW,
            )
        for user in users[half * 3 : half * 3 + 3]:
            notify(user=user, key=f"good:{user.username}", subject="Saken er besvart", due_at=DUE)

    return plan


def _good_keys():
    """Everything due at the sweep but the poison: the reminders, the leader's agenda cut-off notice,
    the plain notifications (and the poison's siblings of its own kind)."""
    return set(Message.objects.filter(due_at__lte=SWEEP_AT).exclude(key="poison").values_list("key", flat=True))


def _sent_keys():
    """The outbox key of each e-mail sent, read as a receiving program does (a long key is folded)."""
    return [
        str(message_from_bytes(email.message().as_bytes(), policy=policy.default)[KEY_HEADER]).strip()
        for email in mail.outbox
    ]


# --- The poisons: each plans one message and says how it must end --------------------------------


def _renderer_raises(leader, test_kinds):
    def render(message):
        raise RuntimeError("the renderer has a bug")

    test_kinds("tests.poison.render", render)
    message_enqueue(key="poison", kind="tests.poison.render", recipient=leader, due_at=DUE)
    return Message.State.FAILED, "render: RuntimeError: the renderer has a bug"


def _subject_not_text(leader, test_kinds):
    test_kinds("tests.poison.none", lambda message: Rendered(subject=None, body="Tekst"))
    message_enqueue(key="poison", kind="tests.poison.none", recipient=leader, due_at=DUE)
    return Message.State.FAILED, "render: TypeError: a header must be text, not NoneType"


def _line_break_in_address(leader, test_kinds):
    message = notify(user=leader, key="poison", subject="Hei", due_at=DUE)
    # What a script writing straight to the database gets past the form: a header injected in To.
    Message.objects.filter(pk=message.pk).update(email="leader@example.no\nBcc: angriper@example.com")
    return Message.State.FAILED, "render: ValidationError"


def _nul_in_body(leader, test_kinds):
    require_postgres(connection)  # SQLite stores a NUL character; PostgreSQL refuses it in text

    test_kinds("tests.poison.nul", lambda message: Rendered(subject="Hei", body="før\x00etter"))
    message_enqueue(key="poison", kind="tests.poison.nul", recipient=leader, due_at=DUE)
    return Message.State.FAILED, "in-app notification: ValueError: A string literal cannot contain NUL"


def _in_app_link_too_long(leader, test_kinds):
    require_postgres(connection)  # SQLite does not enforce a column's length; PostgreSQL does

    test_kinds("tests.poison.long", lambda message: Rendered(subject="Hei", body="Tekst", url="/saker/" + "x" * 600))
    message_enqueue(key="poison", kind="tests.poison.long", recipient=leader, due_at=DUE)
    return Message.State.FAILED, "in-app notification: DataError: value too long"


def _preparer_raises(leader, test_kinds):
    """A kind whose batch preparer raises on the poisoned payload, and whose renderer fails on it
    alone; its good siblings of the same kind, rendered alone, still go out."""

    def prepare(messages):
        if any(message.payload.get("poisoned") for message in messages):
            raise KeyError("case_id")

    def render(message):
        if message.payload.get("poisoned"):
            raise KeyError("case_id")
        return Rendered(subject="Rendered alone", body="The preparer failed, the renderer did not.")

    test_kinds("tests.poison.prepare", render, prepare)
    message_enqueue(key="poison", kind="tests.poison.prepare", recipient=leader, payload={"poisoned": 1}, due_at=DUE)
    for number in range(2):
        message_enqueue(key=f"sibling:{number}", kind="tests.poison.prepare", recipient=leader, due_at=DUE)
    return Message.State.FAILED, "render: KeyError: 'case_id'"


def _malformed_meeting_payload(leader, test_kinds):
    """A meetings.reminder whose payload is not an object makes the meetings preparer itself raise
    (TypeError) for the whole batch of reminders; alone, the renderer finds it no longer applies."""
    message = message_enqueue(key="poison", kind="meetings.reminder", recipient=leader, due_at=DUE)
    Message.objects.filter(pk=message.pk).update(payload=5)
    return Message.State.CANCELLED, "no longer applies"


POISONS = {
    "renderer raises": _renderer_raises,
    "renderer returns no subject": _subject_not_text,
    "line break in the address": _line_break_in_address,
    "NUL in the body (PostgreSQL)": _nul_in_body,
    "in-app link too long (PostgreSQL)": _in_app_link_too_long,
    "preparer raises": _preparer_raises,
    "meetings preparer raises on a malformed payload": _malformed_meeting_payload,
}


def _one_by_one(*, now):
    """The plain path: each due message delivered alone, as the task run after its commit does."""
    counts = {"sent": 0, "cancelled": 0, "retry": 0, "failed": 0}
    due = Message.objects.filter(state=Message.State.PENDING, available_at__lte=now).order_by("pk")
    for message_id in due.values_list("pk", flat=True):
        state = message_deliver(message_id=message_id, now=now)
        counts[{"sent": "sent", "cancelled": "cancelled", "pending": "retry"}.get(state, "failed")] += 1
    return counts


# Both paths end every message the same way: the sweep's shortcuts are for speed only.
PATHS = {"the sweep": message_sweep, "one message at a time": _one_by_one}


@pytest.mark.parametrize("deliver", PATHS.values(), ids=PATHS.keys())
@pytest.mark.parametrize("poison", POISONS.values(), ids=POISONS.keys())
def test_one_poisoned_message_fails_alone_and_the_batch_is_delivered(poison, deliver, good_batch, leader, test_kinds):
    if poison is _malformed_meeting_payload:
        # Planned first, so the meetings preparer meets it before any good reminder.
        state, reason = poison(leader, test_kinds)
        good_batch(0)
    else:
        good_batch(0)
        state, reason = poison(leader, test_kinds)
    good_batch(1)
    good = _good_keys()
    assert len(good) >= 9

    counts = deliver(now=SWEEP_AT)

    poisoned = Message.objects.get(key="poison")
    assert poisoned.state == state
    assert reason in poisoned.last_error
    if state == Message.State.FAILED:
        assert poisoned.attempts == 1
        assert counts["failed"] == 1
    assert not Message.objects.filter(state=Message.State.SENDING).exists(), "nothing left 'sending'"
    assert set(Message.objects.filter(key__in=good).values_list("state", flat=True)) == {Message.State.SENT}
    assert good <= set(_sent_keys()), "every good message of the batch was e-mailed"
    assert "poison" not in _sent_keys()
    assert not Notification.objects.filter(message__key="poison").exists()

    after = notify(user=leader, key="after", subject="Planlagt etterpå", due_at=SWEEP_AT)
    later = message_sweep(now=SWEEP_AT + datetime.timedelta(minutes=1))

    assert later["sent"] == 1 and later["failed"] == 0
    assert Message.objects.get(pk=after.pk).state == Message.State.SENT
    poisoned.refresh_from_db()
    assert (poisoned.state, poisoned.attempts) == (state, 1 if state == Message.State.FAILED else 0)


def test_a_case_title_with_a_line_break_reaches_the_adviser_on_one_subject_line(adviser, leader, region):
    """The defect as it was found: a title with a line break, written straight to the database as a
    script posting the form does, used to stop every e-mail."""
    from cases import services as case_services
    from cases.models import Case

    case = case_services.case_create(actor=leader, title="Fylkesvei 120", origin_region=region)
    with transaction.atomic():
        case_services.case_submit(case=case, actor=leader)
        notify(user=leader, key="unrelated", subject="Møteinnkalling")
    # The forms and the model refuse it now; a row written past them (an old row, a script) still reaches
    # the e-mail, which is rendered from the case as it is at send time.
    Case.objects.filter(pk=case.pk).update(title="Fylkesvei 120\nBcc: angriper@example.com\r\ntrenger gangvei")

    counts = message_sweep()

    assert counts["sent"] == 2 and counts["failed"] == 0
    to_adviser = [email for email in mail.outbox if email.to == [adviser.email]]
    assert len(to_adviser) == 1
    parsed = message_from_bytes(to_adviser[0].message().as_bytes())
    assert "Fylkesvei 120 Bcc: angriper@example.com trenger gangvei" in _unfolded(parsed["Subject"])
    assert parsed["Bcc"] is None and parsed.get_all("To") == [adviser.email]
    assert adviser.notifications.get().title.startswith("Sak ")
    assert "\n" not in adviser.notifications.get().title


def test_a_meeting_title_with_crlf_gives_single_line_reminders(adviser, region, leader):
    from meetings.models import Meeting

    meeting = meeting_services.meeting_create(
        actor=adviser,
        title="Regionrådsmøte",
        start=oslo(2030, 2, 12, 9),
        end=oslo(2030, 2, 12, 12),
        region=region,
        now=NOW,
    )
    Meeting.objects.filter(pk=meeting.pk).update(title="Regionrådsmøte\r\nX-Injected: ja")

    counts = message_sweep(now=oslo(2030, 2, 11, 9, 1))

    assert counts["failed"] == 0 and counts["sent"] >= 2
    reminders = [message_from_bytes(e.message().as_bytes()) for e in mail.outbox if e.attachments]
    assert reminders, "the reminders with their .ics went out"
    for parsed in reminders:
        assert "Regionrådsmøte X-Injected: ja" in _unfolded(parsed["Subject"])
        assert parsed["X-Injected"] is None


def _unfolded(header):
    from email.header import decode_header, make_header

    return str(make_header(decode_header(str(header)))).replace("\r\n ", " ").replace("\n ", " ")


def test_delivering_one_poisoned_message_by_id_fails_it_and_returns(leader):
    """message_deliver (the task run right after commit) isolates a message the same way."""
    message = notify(user=leader, key="poison", subject="Hei")
    Message.objects.filter(pk=message.pk).update(email="leader@example.no\r\nBcc: angriper@example.com")

    assert message_deliver(message_id=message.pk) == Message.State.FAILED

    message.refresh_from_db()
    assert (message.state, message.attempts) == (Message.State.FAILED, 1)
    assert message.last_error.startswith("render: ValidationError")
    assert mail.outbox == []


def test_a_message_the_database_refuses_to_mark_sent_is_not_sent_again(leader, adviser):
    """The e-mail has left when marking it sent fails: the message is marked failed with why, and no
    later sweep sends it a second time. A trigger makes the database refuse that one UPDATE."""
    _refuse_marking_sent(key="refused")
    with transaction.atomic():
        notify(user=leader, key="before", subject="Hei")
        notify(user=leader, key="refused", subject="Hei")
        notify(user=adviser, key="after", subject="Hei")

    counts = message_sweep()
    message_sweep(now=datetime.datetime.now(datetime.UTC) + datetime.timedelta(hours=12))

    refused = Message.objects.get(key="refused")
    assert (counts["sent"], counts["failed"]) == (2, 1)
    assert (refused.state, refused.attempts) == (Message.State.FAILED, 1)
    assert refused.last_error.startswith("e-mail sent, but marking it sent failed:")
    assert "refused by trigger" in refused.last_error
    assert sorted(_sent_keys()) == ["after", "before", "refused"], "each e-mail once"
    assert not Message.objects.filter(state=Message.State.SENDING).exists()


def _refuse_marking_sent(*, key):
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "CREATE FUNCTION refuse_sent() RETURNS trigger AS $$ BEGIN "
                f"IF NEW.state = 'sent' AND NEW.key = '{key}' THEN RAISE EXCEPTION 'refused by trigger'; END IF; "
                "RETURN NEW; END $$ LANGUAGE plpgsql"
            )
            cursor.execute(
                "CREATE TRIGGER refuse_sent BEFORE UPDATE ON notifications_message "
                "FOR EACH ROW EXECUTE FUNCTION refuse_sent()"
            )
        else:
            cursor.execute(
                "CREATE TRIGGER refuse_sent BEFORE UPDATE OF state ON notifications_message "
                f"WHEN NEW.state = 'sent' AND NEW.key = '{key}' "
                "BEGIN SELECT RAISE(ABORT, 'refused by trigger'); END"
            )


def test_an_interrupted_batch_is_released_and_a_recurring_interruption_cannot_hold_it(leader, test_kinds):
    """Celery's soft time limit arriving while a message is rendered escapes the sweep (the task must
    stop), but the batch is not left "sending": the interrupted message counts an attempt, the others
    go straight back to pending and out with the next sweep. If the same message interrupts every
    sweep, it fails after MAX_ATTEMPTS instead of holding its batch for ever."""

    def render(message):
        raise SoftTimeLimitExceeded()

    test_kinds("tests.poison.interrupt", render)
    with transaction.atomic():
        notify(user=leader, key="first", subject="Hei")
        message_enqueue(key="poison", kind="tests.poison.interrupt", recipient=leader)
        notify(user=leader, key="second", subject="Hei")
    now = datetime.datetime.now(datetime.UTC)

    with pytest.raises(SoftTimeLimitExceeded):
        message_sweep(now=now)

    assert not Message.objects.filter(state=Message.State.SENDING).exists()
    poisoned = Message.objects.get(key="poison")
    assert (poisoned.state, poisoned.attempts) == (Message.State.PENDING, 1)
    assert poisoned.last_error.startswith("interrupted: SoftTimeLimitExceeded")
    assert set(Message.objects.filter(key__in=["first", "second"]).values_list("state", "attempts")) == {
        (Message.State.PENDING, 0)
    }

    assert message_sweep(now=now)["sent"] == 2, "the others go out with the next sweep"
    for _attempt in range(MAX_ATTEMPTS - 1):
        poisoned.refresh_from_db()
        with pytest.raises(SoftTimeLimitExceeded):
            message_sweep(now=poisoned.available_at)
    poisoned.refresh_from_db()
    assert (poisoned.state, poisoned.attempts) == (Message.State.FAILED, MAX_ATTEMPTS)
    assert message_sweep(now=poisoned.available_at + datetime.timedelta(days=1))["sent"] == 0


def test_a_message_that_kills_its_worker_every_time_fails_after_the_last_attempt(leader):
    """A hard kill (out of memory, Celery's hard time limit) cannot be caught; what it leaves behind is
    a message "sending". Each re-queue counts an attempt, so a message that kills every worker that
    tries it ends FAILED instead of taking its batch down every ten minutes for ever."""
    from notifications.sweep import STUCK_AFTER, message_requeue_stuck

    message = notify(user=leader, key="killer", subject="Hei")
    claimed_at = datetime.datetime(2030, 1, 1, tzinfo=datetime.UTC)
    for attempt in range(1, MAX_ATTEMPTS + 1):
        # What a worker killed while delivering the message leaves behind:
        Message.objects.filter(pk=message.pk).update(
            state=Message.State.SENDING, claimed_at=claimed_at, claim_token="x"
        )
        assert message_requeue_stuck(now=claimed_at + STUCK_AFTER + datetime.timedelta(seconds=1)) == 1
        message.refresh_from_db()
        assert message.attempts == attempt
        assert message.state == (Message.State.FAILED if attempt == MAX_ATTEMPTS else Message.State.PENDING)
        claimed_at += datetime.timedelta(hours=1)

    assert "left 'sending'" in message.last_error
    assert message_sweep(now=claimed_at)["sent"] == 0
