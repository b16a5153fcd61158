"""Every message the portal builds is a valid arkivmelding (the official Fiks Arkiv XSD, with lxml)
and says what an archivist needs: the saksmappe, each journalpost with its type, parties and files."""

import hashlib
import io

from lxml import etree
from pypdf import PdfReader

from archive.arkivmelding import MDK, NS, schema, validate
from archive.codes import code_list
from archive.models import ArchiveMessage
from archive.services import archive_package

N = {"a": NS, "m": MDK}
XSI_TYPE = "{http://www.w3.org/2001/XMLSchema-instance}type"


def _packages(case):
    messages = list(ArchiveMessage.objects.filter(case=case).order_by("sequence"))
    return messages, [archive_package(message) for message in messages]


def _assert_valid(xml):
    document = etree.fromstring(xml)
    assert schema().validate(document), schema().error_log
    return document


def test_a_closed_region_case_becomes_a_saksmappe_with_one_valid_message_per_journalpost(closed):
    messages, packages = _packages(closed)

    assert [m.part for m in messages] == [
        "incoming",
        f"routing:{closed.routings.get().pk}",
        f"routing-answer:{closed.routings.get().pk}",
        "answer",
    ]
    documents = [_assert_valid(package.xml) for package in packages]
    types = [d.findtext("a:registrering/a:journalposttype/m:kode", namespaces=N) for d in documents]
    assert types == ["I", "N", "X", "U"]
    # Only the first message creates the saksmappe; each registration refers to it by its key.
    first, *others = documents
    assert first.find("a:mappe", N).get(XSI_TYPE) == "saksmappe"
    assert first.findtext("a:mappe/a:tittel", namespaces=N) == str(closed)
    assert first.findtext("a:mappe/a:saksstatus/m:kode", namespaces=N) == "A"
    assert all(d.find("a:mappe", N) is None for d in others)
    keys = {
        d.findtext("a:registrering/a:referanseForelderMappe/m:referanseEksternNoekkel/m:noekkel", namespaces=N)
        for d in documents
    }
    assert keys == {first.findtext("a:mappe/a:referanseEksternNoekkel/m:noekkel", namespaces=N)}


def test_the_incoming_case_carries_its_pdfa_and_the_attachment_with_parties_and_checksums(closed):
    _messages, packages = _packages(closed)
    incoming = packages[0]
    document = _assert_valid(incoming.xml)

    parties = [
        (
            p.findtext("a:korrespondanseparttype/m:kode", namespaces=N),
            p.findtext("a:korrespondansepartNavn", namespaces=N),
        )
        for p in document.iterfind(".//a:korrespondansepart", N)
    ]
    assert parties[0] == ("EA", closed.origin_region.name)
    assert parties[1][0] == "IM"
    objects = document.findall(".//a:dokumentobjekt", N)
    assert [o.findtext("a:variantformat/m:kode", namespaces=N) for o in objects] == ["A", "P"]
    assert objects[1].findtext("a:filnavn", namespaces=N) == "kart over strekningen.pdf"
    assert int(document.findtext("a:antallFiler", namespaces=N)) == len(incoming.files) == 2
    for obj in objects:
        content = incoming.files[obj.findtext("a:referanseDokumentfil", namespaces=N)]
        assert obj.findtext("a:sjekksum", namespaces=N) == hashlib.sha256(content).hexdigest()
    main = incoming.files[objects[0].findtext("a:referanseDokumentfil", namespaces=N)]
    metadata = PdfReader(io.BytesIO(main)).trailer["/Root"]["/Metadata"].get_object().get_data()
    assert b'pdfaid:part="2" pdfaid:conformance="B"' in metadata  # PDF/A-2b, declared in the XMP


def test_a_closed_county_case_validates_too(closed_county_case):
    messages, packages = _packages(closed_county_case)
    documents = [_assert_valid(package.xml) for package in packages]

    types = [d.findtext("a:registrering/a:journalposttype/m:kode", namespaces=N) for d in documents]
    assert types == ["N", "U", "I", "U", "I", "X"]
    assert len(messages) == 6


def test_every_code_written_is_in_the_standards_code_lists(closed, closed_county_case):
    lists = {
        "journalposttype": "journalposttype",
        "journalstatus": "journalstatus",
        "saksstatus": "saksstatus",
        "dokumenttype": "dokumenttype",
        "dokumentstatus": "dokumentstatus",
        "korrespondanseparttype": "korrespondanseparttype",
        "tilknyttetRegistreringSom": "tilknyttetregistreringsom",
        "variantformat": "variantformat",
    }
    for case in (closed, closed_county_case):
        for package in _packages(case)[1]:
            document = etree.fromstring(package.xml)
            for element, list_name in lists.items():
                for found in document.iterfind(f".//a:{element}", N):
                    kode = found.findtext("m:kode", namespaces=N)
                    assert kode in code_list(list_name)
                    assert found.findtext("m:beskrivelse", namespaces=N) == code_list(list_name)[kode]


def test_a_message_that_breaks_the_schema_is_refused_with_the_schemas_words(closed):
    from archive.arkivmelding import ArchiveSchemaError

    _messages, packages = _packages(closed)
    broken = (
        packages[0]
        .xml.replace(b"<journalposttype>", b"<journalposttypo>")
        .replace(b"</journalposttype>", b"</journalposttypo>")
    )
    try:
        validate(broken)
    except ArchiveSchemaError as error:
        assert "journalposttypo" in str(error)
    else:
        raise AssertionError("an invalid message was accepted")
