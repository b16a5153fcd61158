"""Planning and delivering archive messages (Fiks Arkiv arkivmelding), with the outbox's guarantees.

- Planned in the cause's transaction: cases.hooks calls archive_plan_for_case inside case_close and
  partnerships.hooks archive_plan_for_agreement inside agreement_adopt, so the cause and its
  messages commit together or not at all.
- Never lost: a message is a row first; after commit a task is asked to deliver it, and if the broker
  is down that request is dropped and the sweep (Celery beat, every minute) delivers it.
- Never sent twice: one key per cause and part (planning twice does nothing); a conditional UPDATE
  claims a message for one worker; the folder package is named by the key and written by one atomic
  rename, and the HTTP target gets the key in a header to recognise a repeat.
- In order: a message waits until the earlier messages of its cause are archived (the first creates
  the saksmappe the others refer to).
- Retried with backoff (1, 2, 4 ... minutes, MAX_ATTEMPTS tries) for transient errors; a package the
  target refuses for good, or one that does not validate against the XSD, is FAILED at once. An
  adviser sends a failed one again (archive_message_send_again).
"""

import datetime
import logging
from functools import partial
from uuid import uuid4

from celery import current_app
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from notifications.delivery import backoff_delay
from notifications.faults import error_text, is_interruption

from . import permissions as perms
from .arkivmelding import ArchiveSchemaError, validate
from .content import (
    agreement_folder_key,
    agreement_package,
    agreement_parts,
    case_folder_key,
    case_package,
    case_parts,
    meeting_folder_key,
    meeting_package,
    meeting_parts,
)
from .models import ArchiveMessage
from .targets import DeliveryError, deliver, target_description

logger = logging.getLogger(__name__)

DELIVER_TASK = "archive.archive_message_deliver_task"  # archive/tasks.py; sent by name
MAX_ATTEMPTS = 8
STUCK_AFTER = datetime.timedelta(minutes=10)  # a claim older than this is a worker that died
SWEEP_BATCH = 100

S = ArchiveMessage.State


def _publish(message_id):
    try:
        current_app.send_task(DELIVER_TASK, args=[message_id])
    except Exception:  # broker down: the row is saved, the sweep delivers it later
        logger.warning("Broker unavailable; archive message %s waits for the next sweep.", message_id)


def _plan(*, cause, folder_key, parts, now, **about) -> list[ArchiveMessage]:
    """One message per part of one mappe, once (unique keys), in the caller's transaction; the first
    message's delivery is asked for after commit (each asks for the next when it is archived)."""
    messages = []
    for sequence, (part, title) in enumerate(parts, start=1):
        message, created = ArchiveMessage.objects.get_or_create(
            key=f"{folder_key}:{part}",
            defaults={
                "cause": cause,
                "folder_key": folder_key,
                "sequence": sequence,
                "part": part,
                "title": title[:255],
                "created_at": now,
                "available_at": timezone.now(),  # due at once, whatever day the cause is dated
                **about,
            },
        )
        messages.append(message)
        if created and sequence == 1:
            transaction.on_commit(partial(_publish, message.pk))
    return messages


def archive_plan_for_case(*, case, now=None) -> list[ArchiveMessage]:
    """Plan the arkivmelding messages of a closed case (its saksmappe and each journalpost), once per
    case, in the caller's transaction (cases.hooks: inside case_close)."""
    return _plan(
        cause=ArchiveMessage.Cause.CASE_CLOSED,
        folder_key=case_folder_key(case),
        parts=case_parts(case),
        now=now or timezone.now(),
        case=case,
    )


def archive_plan_for_agreement(*, agreement, now=None) -> list[ArchiveMessage]:
    """Plan the arkivmelding of an adopted agreement (a saksmappe with the agreement as a journalpost
    and its PDF/A), once per agreement, in the caller's transaction (partnerships.hooks: inside
    agreement_adopt)."""
    return _plan(
        cause=ArchiveMessage.Cause.AGREEMENT_ADOPTED,
        folder_key=agreement_folder_key(agreement),
        parts=agreement_parts(agreement),
        now=now or timezone.now(),
        agreement=agreement,
    )


def archive_plan_for_meeting(*, meeting, now=None) -> list[ArchiveMessage]:
    """Plan the arkivmelding messages of a meeting whose minutes are approved (a moetemappe with the
    minutes, then one moetesak per agenda item), once per meeting, in the caller's transaction
    (meetings.hooks: inside minutes_approve)."""
    return _plan(
        cause=ArchiveMessage.Cause.MINUTES_APPROVED,
        folder_key=meeting_folder_key(meeting),
        parts=meeting_parts(meeting),
        now=now or timezone.now(),
        meeting=meeting,
    )


def _earlier_unarchived():
    return ArchiveMessage.objects.filter(folder_key=OuterRef("folder_key"), sequence__lt=OuterRef("sequence")).exclude(
        state=S.SENT
    )


def _finish(message, **fields):
    ArchiveMessage.objects.filter(pk=message.pk, claim_token=message.claim_token).update(**fields)


def _fail(message, *, stage, exc, transient):
    attempts = message.attempts + 1
    error = error_text(stage, exc)
    if not transient or attempts >= MAX_ATTEMPTS:
        logger.error("Archive message %s failed for good after %s attempt(s): %s", message.pk, attempts, error)
        _finish(message, state=S.FAILED, attempts=attempts, last_error=error, claim_token="")
        return S.FAILED
    logger.warning("Archive message %s failed (attempt %s), retrying: %s", message.pk, attempts, error)
    _finish(
        message,
        state=S.PENDING,
        attempts=attempts,
        last_error=error,
        available_at=timezone.now() + backoff_delay(attempts),
        claim_token="",
    )
    return S.PENDING


def archive_package(message):
    """The package (arkivmelding.xml and files) of one message, validated against the XSD."""
    first = message.sequence == 1
    if message.cause == ArchiveMessage.Cause.AGREEMENT_ADOPTED:
        package = agreement_package(agreement=message.agreement, part=message.part, first=first)
    elif message.cause == ArchiveMessage.Cause.MINUTES_APPROVED:
        package = meeting_package(meeting=message.meeting, part=message.part, first=first)
    else:
        package = case_package(case=message.case, part=message.part, first=first)
    validate(package.xml)
    return package


def archive_message_deliver(*, message_id, now=None, publish_next=True) -> str | None:
    """Deliver one message if it is pending, due and the earlier messages of its cause are archived;
    returns the state it ends in, or None when another worker has it, it is done or it must wait."""
    now = now or timezone.now()
    token = uuid4().hex
    claimed = (
        ArchiveMessage.objects.filter(pk=message_id, state=S.PENDING, available_at__lte=now)
        .exclude(Exists(_earlier_unarchived()))
        .update(state=S.SENDING, claimed_at=timezone.now(), claim_token=token)
    )
    if not claimed:
        return None
    message = ArchiveMessage.objects.select_related("case", "agreement", "meeting").get(pk=message_id)
    try:
        try:
            package = archive_package(message)
        except ArchiveSchemaError as exc:
            return _fail(message, stage="build", exc=exc, transient=False)
        except Exception as exc:
            if is_interruption(exc):
                raise
            logger.exception("Building archive message %s failed", message.pk)
            return _fail(message, stage="build", exc=exc, transient=False)
        try:
            receipt = deliver(name=message.package_name, key=message.key, xml=package.xml, files=package.files)
        except DeliveryError as exc:
            return _fail(message, stage="deliver", exc=str(exc), transient=exc.transient)
        except OSError as exc:  # the folder: a full disk, a missing mount
            return _fail(message, stage="deliver", exc=exc, transient=True)
    except BaseException as exc:
        if not isinstance(exc, Exception) or is_interruption(exc):
            _fail(message, stage="interrupted", exc=exc, transient=True)
        raise
    _finish(
        message,
        state=S.SENT,
        sent_at=timezone.now(),
        attempts=message.attempts + 1,
        receipt=receipt[:2000],
        target=target_description()[:500],
        last_error="",
        claim_token="",
    )
    following = ArchiveMessage.objects.filter(
        folder_key=message.folder_key, sequence=message.sequence + 1, state=S.PENDING
    ).first()
    if following is not None and publish_next:
        transaction.on_commit(partial(_publish, following.pk))
    return S.SENT


def archive_sweep(*, now=None, batch_size=SWEEP_BATCH) -> dict:
    """Re-queue what a killed worker left half-done and deliver every due message in order; run by
    beat every minute, so a broker outage or a dead worker only delays the archive."""
    now = now or timezone.now()
    requeued = ArchiveMessage.objects.filter(state=S.SENDING, claimed_at__lt=now - STUCK_AFTER).update(
        state=S.PENDING, claim_token="", available_at=now
    )
    counts = {"requeued": requeued, S.SENT: 0, S.FAILED: 0, S.PENDING: 0}
    due = (
        ArchiveMessage.objects.filter(state=S.PENDING, available_at__lte=now)
        .exclude(Exists(_earlier_unarchived()))
        .order_by("available_at", "pk")
        .values_list("pk", flat=True)
    )
    handled = 0
    while handled < batch_size:
        # Each round delivers what may go now; archiving a message lets the next one of its cause go
        # in the following round.
        progressed = False
        for pk in list(due[: batch_size - handled]):
            outcome = archive_message_deliver(message_id=pk, now=now, publish_next=False)
            if outcome is None:
                continue
            handled += 1
            counts[outcome] += 1
            progressed = progressed or outcome == S.SENT
        if not progressed:
            break
    return counts


def archive_message_send_again(*, message, actor) -> ArchiveMessage:
    """Put a failed archive message back in the queue (attempts from zero, due now) and ask for its
    delivery after commit; its last error stays until it is archived."""
    if not perms.can_send_archive_message_again(actor, message):
        raise PermissionDenied(_("You may not send archive messages again."))
    with transaction.atomic():
        updated = ArchiveMessage.objects.filter(pk=message.pk, state=S.FAILED).update(
            state=S.PENDING, attempts=0, available_at=timezone.now(), claim_token=""
        )
        if not updated:
            raise ValidationError(_("Only a message that failed can be sent again."))
        transaction.on_commit(partial(_publish, message.pk))
    logger.info("Archive message %s sent again by %s; its last error: %s", message.pk, actor, message.last_error)
    message.refresh_from_db()
    return message


def archive_plan_earlier(*, now=None) -> dict:
    """Plan the messages of what was closed, adopted or approved before the archive hand-off existed:
    every closed case, adopted (later superseded or terminated) agreement and meeting with approved
    minutes that has no archive message yet; each in its own transaction. Returns how many of each."""
    from cases.models import Case
    from meetings.models import Meeting
    from partnerships.models import Agreement

    def without_messages(qs, field):
        return qs.exclude(Exists(ArchiveMessage.objects.filter(**{field: OuterRef("pk")}))).order_by("pk")

    sources = {
        "cases": (
            without_messages(Case.objects.filter(status=Case.Status.CLOSED), "case"),
            lambda case: archive_plan_for_case(case=case, now=now or case.closed_at),
        ),
        "agreements": (
            without_messages(
                Agreement.objects.filter(county_adopted_on__isnull=False).select_related("region", "county"),
                "agreement",
            ),
            lambda agreement: archive_plan_for_agreement(agreement=agreement, now=now),
        ),
        "meetings": (
            without_messages(Meeting.objects.filter(minutes_approved_at__isnull=False), "meeting"),
            lambda meeting: archive_plan_for_meeting(meeting=meeting, now=now or meeting.minutes_approved_at),
        ),
    }
    planned = {}
    for name, (queryset, plan) in sources.items():
        planned[name] = 0
        for obj in queryset.iterator(chunk_size=200):
            with transaction.atomic():
                plan(obj)
            planned[name] += 1
    return planned
