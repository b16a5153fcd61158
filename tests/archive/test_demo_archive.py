"""Issue 15's "done when" on the demo itself: every closed case of the demo gives an arkivmelding that
validates against the official XSD and lands in the archive folder exactly once, however often the
sweep and the demo run."""

import io

import pytest
from django.core.management import call_command

from archive.arkivmelding import validate
from archive.models import ArchiveMessage
from archive.services import archive_sweep
from cases.models import Case

pytestmark = [pytest.mark.django_db, pytest.mark.quality]


def _packages(folder):
    return sorted(path.name for path in folder.iterdir()) if folder.exists() else []


def test_every_closed_case_of_the_demo_lands_in_the_archive_once_and_valid(settings, archive_folder):
    settings.DEBUG = True  # the demo users are made only with DEBUG on, as `make run` has it
    out = io.StringIO()
    call_command("load_reference_data", stdout=out)
    call_command("setup_demo", stdout=out)
    call_command("archive_plan_closed", stdout=out)  # what was closed before the archive existed

    closed = set(Case.objects.filter(status=Case.Status.CLOSED).values_list("pk", flat=True))
    assert closed, "the demo has closed cases"
    archive_sweep()
    packages = _packages(archive_folder)

    messages = ArchiveMessage.objects.all()
    assert {message.case_id for message in messages if message.case_id} == closed
    assert all(message.state == ArchiveMessage.State.SENT for message in messages)
    assert packages == sorted(message.package_name for message in messages)  # one package each
    for message in messages:
        validate((archive_folder / message.package_name / "arkivmelding.xml").read_bytes())

    # Again: the demo, the planning and the sweep add nothing and write nothing twice.
    call_command("setup_demo", stdout=out)
    call_command("archive_plan_closed", stdout=out)
    archive_sweep()
    assert ArchiveMessage.objects.count() == len(messages)
    assert _packages(archive_folder) == packages
