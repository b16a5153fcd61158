"""An adopted agreement is archived: a saksmappe with the agreement as a journalpost and the adopted
text as PDF/A, planned in the adoption's transaction, valid against the XSD, delivered once."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from lxml import etree
from pypdf import PdfReader

from archive.arkivmelding import MDK, NS
from archive.models import ArchiveMessage
from archive.services import archive_package, archive_sweep
from tests.partnerships.factories import adopted_agreement, adopted_general_part, draft_agreement

N = {"a": NS, "m": MDK}


@pytest.fixture
def agreement(region, adviser):
    adopted_general_part(region.host_county, adviser=adviser)
    return adopted_agreement(region, adviser=adviser)


def test_adopting_an_agreement_plans_one_valid_message_with_its_pdfa(agreement, region):
    message = ArchiveMessage.objects.get(agreement=agreement)
    package = archive_package(message)  # validates against the XSD
    document = etree.fromstring(package.xml)

    assert document.find("a:mappe", N) is not None
    assert document.findtext("a:registrering/a:journalposttype/m:kode", namespaces=N) == "X"
    assert document.findtext(".//a:dokumenttype/m:kode", namespaces=N) == "AVTALE"
    parties = [
        p.findtext("a:korrespondansepartNavn", namespaces=N) for p in document.iterfind(".//a:korrespondansepart", N)
    ]
    assert region.name in parties
    assert "FT-sak 40/21" in document.findtext("a:registrering/a:beskrivelse", namespaces=N)
    pdf = PdfReader(io.BytesIO(package.files["01-avtale.pdf"]))
    assert b'pdfaid:part="2"' in pdf.trailer["/Root"]["/Metadata"].get_object().get_data()
    assert region.name in "".join(page.extract_text() for page in pdf.pages)


def test_the_agreement_lands_in_the_folder_once_and_the_adviser_sees_it(agreement, archive_folder, client, adviser):
    archive_sweep()
    archive_sweep()
    message = ArchiveMessage.objects.get(agreement=agreement)
    assert message.state == ArchiveMessage.State.SENT
    assert [p.name for p in archive_folder.iterdir()] == [message.package_name]

    client.force_login(adviser)
    page = client.get("/arkiv/?cause=agreement_adopted").content.decode()
    assert agreement.get_absolute_url() in page


def test_a_refused_adoption_plans_nothing(region, adviser):
    adopted_general_part(region.host_county, adviser=adviser)
    draft = draft_agreement(region, adviser=adviser)
    from partnerships import services

    with pytest.raises(ValidationError), transaction.atomic():
        services.agreement_adopt(agreement=draft, actor=adviser, county_adopted_on=None, county_decision_reference="")
    assert not ArchiveMessage.objects.exists()


def test_an_exempt_agreement_is_screened_in_the_archive(agreement, adviser):
    from partnerships import services

    services.agreement_screening_set(agreement=agreement, actor=adviser, access="exempt", legal_basis="offl_14")
    document = etree.fromstring(archive_package(ArchiveMessage.objects.get(agreement=agreement)).xml)
    assert document.findtext("a:mappe/a:skjerming/a:skjermingshjemmel", namespaces=N) == "offl. § 14"
    assert document.findtext("a:registrering/a:skjerming/a:tilgangsrestriksjon/m:kode", namespaces=N) == "14"
