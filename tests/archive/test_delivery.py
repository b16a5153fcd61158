"""A closed case reaches the archive exactly once: planned with the closing, delivered in order to a
folder (atomically, one package per message) or an HTTP endpoint, retried with backoff, never twice,
also when the broker is down while the case is closed."""

import datetime
import io
import zipfile

import pytest
from django.db import transaction
from django.utils import timezone

from archive.arkivmelding import validate
from archive.models import ArchiveMessage
from archive.services import MAX_ATTEMPTS, archive_message_deliver, archive_sweep
from archive.tasks import archive_message_deliver_task
from cases import services
from tests.reliability.processes import celery_broker, spare_port

from .conftest import NOW

S = ArchiveMessage.State


def _packages(folder):
    return sorted(path.name for path in folder.iterdir()) if folder.exists() else []


def test_closing_a_case_plans_its_messages_in_the_same_transaction(closed):
    messages = ArchiveMessage.objects.filter(case=closed).order_by("sequence")
    assert [(m.sequence, m.state) for m in messages] == [(n, S.PENDING) for n in range(1, 5)]
    assert messages[0].created_at == NOW


def test_a_close_that_is_rolled_back_plans_nothing(answered, adviser):
    with pytest.raises(RuntimeError), transaction.atomic():
        services.case_close(case=answered, actor=adviser, now=NOW)
        raise RuntimeError("something after the closing failed")
    assert not ArchiveMessage.objects.exists()


def test_a_case_that_is_not_closed_is_not_archived(answered):
    assert archive_sweep() == {"requeued": 0, S.SENT: 0, S.FAILED: 0, S.PENDING: 0}
    assert not ArchiveMessage.objects.exists()


def test_the_sweep_writes_one_package_per_message_and_a_second_run_writes_nothing(closed, archive_folder):
    first = archive_sweep()
    after_first = _packages(archive_folder)
    second = archive_sweep()
    for message in ArchiveMessage.objects.all():  # the task delivered again (Celery: at least once)
        archive_message_deliver_task(message.pk)

    assert first[S.SENT] == 4 and second[S.SENT] == 0
    assert _packages(archive_folder) == after_first == sorted(m.package_name for m in ArchiveMessage.objects.all())
    for message in ArchiveMessage.objects.all():
        package = archive_folder / message.package_name
        validate((package / "arkivmelding.xml").read_bytes())
        assert message.state == S.SENT and str(package) == message.receipt
    incoming = archive_folder / ArchiveMessage.objects.get(sequence=1, case=closed).package_name
    assert sorted(p.name for p in incoming.iterdir()) == ["01-dokument.pdf", "02-vedlegg.pdf", "arkivmelding.xml"]
    assert not [p for p in archive_folder.iterdir() if p.name.startswith(".tmp")]


def test_a_package_already_in_the_folder_is_not_written_twice(closed, archive_folder):
    """A worker killed after the rename but before marking the message archived: the re-run finds
    the package and records it, instead of writing a second one."""
    first = ArchiveMessage.objects.get(case=closed, sequence=1)
    (archive_folder / first.package_name).mkdir(parents=True)
    (archive_folder / first.package_name / "arkivmelding.xml").write_bytes(b"<from the first run/>")

    assert archive_message_deliver(message_id=first.pk) == S.SENT

    first.refresh_from_db()
    assert "already delivered" in first.receipt
    assert (archive_folder / first.package_name / "arkivmelding.xml").read_bytes() == b"<from the first run/>"


def test_a_registration_waits_for_the_saksmappe_before_it(closed, archive_folder):
    second = ArchiveMessage.objects.get(case=closed, sequence=2)
    assert archive_message_deliver(message_id=second.pk) is None
    assert _packages(archive_folder) == []
    archive_message_deliver(message_id=ArchiveMessage.objects.get(case=closed, sequence=1).pk)
    assert archive_message_deliver(message_id=second.pk) == S.SENT


def test_a_case_closed_while_the_broker_is_down_lands_once_when_the_sweep_runs(
    answered, adviser, archive_folder, django_capture_on_commit_callbacks
):
    with celery_broker(f"redis://127.0.0.1:{spare_port()}/0"):
        with django_capture_on_commit_callbacks(execute=True):
            services.case_close(case=answered, actor=adviser, now=NOW)
        answered.refresh_from_db()
        assert answered.status == answered.Status.CLOSED
        assert _packages(archive_folder) == []
        assert set(ArchiveMessage.objects.values_list("state", flat=True)) == {S.PENDING}

        archive_sweep()
        archive_sweep()

    assert len(_packages(archive_folder)) == 4
    assert set(ArchiveMessage.objects.values_list("state", flat=True)) == {S.SENT}


def test_the_http_endpoint_gets_each_package_once_as_a_zip_and_its_receipt_is_recorded(closed, archive_endpoint):
    archive_sweep()
    archive_sweep()

    assert len(archive_endpoint.requests) == 4
    keys = [headers["X-Regionportalen-Archive-Key"] for headers, _body in archive_endpoint.requests]
    assert keys == [m.key for m in ArchiveMessage.objects.filter(case=closed).order_by("sequence")]
    for headers, body in archive_endpoint.requests:
        assert headers["Content-Type"] == "application/zip"
        with zipfile.ZipFile(io.BytesIO(body)) as package:
            validate(package.read("arkivmelding.xml"))
    receipts = list(ArchiveMessage.objects.order_by("sequence").values_list("receipt", flat=True))
    assert receipts == [f"Mottatt som arkivmelding {n}" for n in range(1, 5)]


def test_a_failing_endpoint_is_retried_with_backoff_and_then_shown_as_failed(closed, archive_endpoint, client, adviser):
    archive_endpoint.status = 503
    now = timezone.now()
    archive_sweep(now=now)
    first = ArchiveMessage.objects.get(case=closed, sequence=1)
    assert (first.state, first.attempts) == (S.PENDING, 1)
    assert first.available_at - now >= datetime.timedelta(minutes=1)
    assert "HTTP 503" in first.last_error
    archive_sweep(now=now)  # not due yet: nothing is tried
    assert len(archive_endpoint.requests) == 1

    delays = []
    while first.state == S.PENDING:
        delays.append(first.available_at)
        archive_sweep(now=first.available_at)
        first.refresh_from_db()
    assert first.state == S.FAILED and first.attempts == MAX_ATTEMPTS
    assert len(archive_endpoint.requests) == MAX_ATTEMPTS
    gaps = [later - earlier for earlier, later in zip(delays, delays[1:], strict=False)]
    assert gaps == sorted(gaps) and gaps[-1] > gaps[0]  # the wait grows
    # The later registrations wait for the failed one: none is sent before it.
    assert set(ArchiveMessage.objects.exclude(pk=first.pk).values_list("state", flat=True)) == {S.PENDING}

    client.force_login(adviser)
    case_page = client.get(closed.get_absolute_url()).content.decode()
    assert "HTTP 503" in case_page
    listed = client.get("/arkiv/?state=failed").content.decode()
    assert "HTTP 503" in listed and closed.title in listed


def test_an_endpoint_that_refuses_the_package_fails_it_at_once(closed, archive_endpoint):
    archive_endpoint.status = 400
    archive_sweep()
    first = ArchiveMessage.objects.get(case=closed, sequence=1)
    assert (first.state, first.attempts) == (S.FAILED, 1)
    assert len(archive_endpoint.requests) == 1


def test_a_message_a_killed_worker_left_being_delivered_is_delivered_by_a_later_sweep(closed, archive_folder):
    first = ArchiveMessage.objects.get(case=closed, sequence=1)
    claimed_at = timezone.now() - datetime.timedelta(minutes=11)
    ArchiveMessage.objects.filter(pk=first.pk).update(state=S.SENDING, claimed_at=claimed_at, claim_token="dead")
    archive_sweep(now=claimed_at + datetime.timedelta(minutes=5))  # not stuck long enough yet
    first.refresh_from_db()
    assert first.state == S.SENDING

    counts = archive_sweep()

    assert counts["requeued"] == 1 and counts[S.SENT] == 4
    assert len(_packages(archive_folder)) == 4
