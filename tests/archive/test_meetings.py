"""A meeting whose minutes are approved becomes a moetemappe: the minutes (a moetedokument, MP) and
one moetesak per agenda item, each a valid arkivmelding."""

import io

import pytest
from lxml import etree
from pypdf import PdfReader

from archive.arkivmelding import MDK, NS, validate
from archive.content import meeting_package, meeting_parts
from meetings import services
from regions.models import Appointment
from tests.meetings.factories import NOW, appoint, oslo

N = {"a": NS, "m": MDK}
XSI_TYPE = "{http://www.w3.org/2001/XMLSchema-instance}type"


@pytest.fixture
def meeting_with_minutes(adviser, region):
    appoint(region, Appointment.Role.COUNTY_COUNCILLOR, "councillor", with_user=True)
    meeting = services.meeting_create(
        actor=adviser,
        title="Regionrådsmøte",
        start=oslo(2030, 2, 12, 9),
        end=oslo(2030, 2, 12, 12),
        region=region,
        location="Rådhuset",
        now=NOW,
    )
    decided = services.agenda_item_add(meeting=meeting, actor=adviser, title="NTP-innspill", lane="planned", now=NOW)
    told = services.agenda_item_add(meeting=meeting, actor=adviser, title="Orientering om flom", lane="urgent", now=NOW)
    services.minutes_save(
        item=decided, actor=adviser, outcome="decision", text="Regionrådet slutter seg til innspillet."
    )
    services.minutes_save(item=told, actor=adviser, outcome="information", text="Tatt til orientering.")
    return meeting


def test_the_minutes_and_each_agenda_item_are_valid_messages_of_one_moetemappe(meeting_with_minutes, region):
    parts = meeting_parts(meeting_with_minutes)
    packages = [
        meeting_package(meeting=meeting_with_minutes, part=part, first=n == 0) for n, (part, _t) in enumerate(parts)
    ]
    for package in packages:
        validate(package.xml)
    documents = [etree.fromstring(package.xml) for package in packages]

    first = documents[0]
    assert first.find("a:mappe", N).get(XSI_TYPE) == "moetemappe"
    assert first.findtext("a:mappe/a:utvalg/m:navn", namespaces=N) == region.name
    assert first.findtext("a:mappe/a:moetedato", namespaces=N) == "2030-02-12"
    assert first.find("a:registrering", N).get(XSI_TYPE) == "moetedokument"
    assert first.findtext("a:registrering/a:moetedokumenttype/m:kode", namespaces=N) == "MP"
    types = [d.findtext("a:registrering/a:moetesakstype/m:kode", namespaces=N) for d in documents[1:]]
    assert types == ["PS", "RS"]
    assert all(d.find("a:mappe", N) is None for d in documents[1:])
    minutes = PdfReader(io.BytesIO(packages[0].files["01-protokoll.pdf"]))
    assert b'pdfaid:part="2"' in minutes.trailer["/Root"]["/Metadata"].get_object().get_data()
    assert "Regionrådet slutter seg til innspillet." in "".join(page.extract_text() for page in minutes.pages)


def test_approving_the_minutes_plans_the_moetemappe_and_it_lands_once(meeting_with_minutes, adviser, archive_folder):
    from archive.models import ArchiveMessage
    from archive.services import archive_sweep

    services.meeting_mark_held(meeting=meeting_with_minutes, actor=adviser)
    assert not ArchiveMessage.objects.exists()  # held, but the minutes are not approved yet
    services.minutes_approve(meeting=meeting_with_minutes, actor=adviser)

    messages = list(ArchiveMessage.objects.filter(meeting=meeting_with_minutes).order_by("sequence"))
    assert [m.part for m in messages] == [part for part, _title in meeting_parts(meeting_with_minutes)]
    archive_sweep()
    archive_sweep()
    assert sorted(p.name for p in archive_folder.iterdir()) == sorted(m.package_name for m in messages)
    assert set(ArchiveMessage.objects.values_list("state", flat=True)) == {ArchiveMessage.State.SENT}


def test_the_command_plans_minutes_approved_before_the_archive_existed(meeting_with_minutes, adviser):
    import io

    from django.core.management import call_command

    from archive.models import ArchiveMessage

    services.meeting_mark_held(meeting=meeting_with_minutes, actor=adviser)
    services.minutes_approve(meeting=meeting_with_minutes, actor=adviser)
    ArchiveMessage.objects.all().delete()  # as if approved before the hand-off existed

    out = io.StringIO()
    call_command("archive_plan_closed", stdout=out)
    call_command("archive_plan_closed", stdout=out)

    assert ArchiveMessage.objects.filter(meeting=meeting_with_minutes).count() == 3
    assert "1 meeting(s)" in out.getvalue() and "0 meeting(s)" in out.getvalue()
