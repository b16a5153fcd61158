"""What an adviser screened reaches the archive as screened: an exempt case, attachment or agreement
carries its skjerming (tilgangsrestriksjon and the legal basis), a screened title its replacement as
the offentligTittel; what is public goes as public. Every such message still validates."""

from lxml import etree

from archive.arkivmelding import MDK, NS
from archive.models import ArchiveMessage
from archive.services import archive_package
from cases import services as case_services
from cases.models import Case

from .conftest import NOW, answer_sent_case

N = {"a": NS, "m": MDK}


def _documents(case):
    messages = ArchiveMessage.objects.filter(case=case).order_by("sequence")
    return [etree.fromstring(archive_package(message).xml) for message in messages]


def test_an_exempt_case_is_screened_in_every_registration_with_its_legal_basis(
    leader, region, members, adviser, staff, council_area
):
    case = answer_sent_case(leader=leader, region=region, adviser=adviser, staff=staff, council_area=council_area)
    case_services.case_screening_set(
        case=case,
        actor=adviser,
        access="exempt",
        legal_basis="offl_13_fvl_13",
        title_screened=True,
        screened_title="Sak om trafikksikkerhet",
        now=NOW,
    )
    case_services.case_close(case=Case.objects.get(pk=case.pk), actor=adviser, now=NOW)

    documents = _documents(case)
    first = documents[0]
    assert first.findtext("a:mappe/a:skjerming/a:tilgangsrestriksjon/m:kode", namespaces=N) == "13"
    assert first.findtext("a:mappe/a:skjerming/a:skjermingshjemmel", namespaces=N) == "offl. § 13 jf. fvl. § 13"
    assert first.findtext("a:mappe/a:offentligTittel", namespaces=N) == "Sak om trafikksikkerhet"
    for document in documents:
        assert document.findtext("a:registrering/a:skjerming/a:skjermingshjemmel", namespaces=N).startswith(
            "offl. § 13"
        )
        assert document.findtext("a:registrering/a:offentligTittel", namespaces=N) == "Sak om trafikksikkerhet"


def test_a_public_case_with_an_exempt_attachment_screens_only_the_attachment(closed, adviser):
    attachment = closed.attachments.get()
    case_services.attachment_screening_set(
        attachment=attachment, actor=adviser, access="exempt", legal_basis="offl_15", now=NOW
    )
    first = _documents(closed)[0]

    assert first.find("a:mappe/a:skjerming", N) is None
    assert first.find("a:registrering/a:skjerming", N) is None
    screened = [
        d.findtext("a:skjerming/a:skjermingshjemmel", namespaces=N)
        for d in first.iterfind(".//a:dokumentbeskrivelse", N)
    ]
    assert screened == [None, "offl. § 15"]
    assert first.findtext("a:mappe/a:offentligTittel", namespaces=N) == str(closed)
