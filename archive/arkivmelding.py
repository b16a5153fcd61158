"""Building and checking an arkivmelding (Fiks Arkiv v1, message type
no.ks.fiks.arkiv.v1.arkivering.arkivmelding.opprett) with lxml.

The schema allows one mappe and one registrering per message: the first message of a cause creates
the mappe (a saksmappe) with its first registration, each later one adds a registration to it by the
mappe's external key (referanseForelderMappe/referanseEksternNoekkel). Every value of a code list
comes from the vendored lists (archive.codes), and every message is validated against the vendored
XSD before it leaves (validate()).
"""

import datetime
import hashlib
from dataclasses import dataclass, field
from functools import cache

from lxml import etree

from .codes import STANDARD_DIR, code
from .screening import Screening

MESSAGE_TYPE = "no.ks.fiks.arkiv.v1.arkivering.arkivmelding.opprett"
NS = "https://ks-no.github.io/standarder/fiks-protokoll/fiks-arkiv/arkivmelding/opprett/v1"
# The children of the catalogue's complex types (a code, an external key, identities) are in the
# metadata catalogue's namespace.
MDK = "https://ks-no.github.io/standarder/fiks-protokoll/fiks-arkiv/metadatakatalog/v1"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
SCHEMA_FILE = STANDARD_DIR / f"{MESSAGE_TYPE}.xsd"
SYSTEM = "Regionportalen"


class ArchiveSchemaError(ValueError):
    """The message does not validate against the Fiks Arkiv XSD (a programming error: never retried)."""


@cache
def schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMA_FILE)))


def validate(xml: bytes) -> None:
    """Raise ArchiveSchemaError with the schema's own words when `xml` does not validate."""
    document = etree.fromstring(xml)
    if not schema().validate(document):
        errors = "; ".join(f"line {e.line}: {e.message}" for e in schema().error_log)
        raise ArchiveSchemaError(errors)


@dataclass
class Party:
    """A correspondence party (korrespondansepart): a region, a council area, the coordination unit."""

    name: str
    kind: str  # korrespondanseparttype: EA, EM, IA, IM, ...
    organisation_number: str = ""
    screened: bool = False


@dataclass
class Document:
    """One dokumentbeskrivelse with its one file (dokumentobjekt)."""

    title: str
    file_name: str  # the name in the package
    original_name: str
    content: bytes
    mime_type: str
    main: bool = True  # tilknyttetRegistreringSom H (main document) or V (attachment)
    archive_format: bool = False  # PDF/A made by the portal: variantformat A
    document_type: str = "KORR"
    created_at: datetime.datetime | None = None
    screening: Screening | None = None


@dataclass
class Registration:
    """A journalpost."""

    title: str
    journalpost_type: str  # I, U, N, X
    key: str  # external key (fagsystem's id of the registration)
    document_date: datetime.date
    received_at: datetime.datetime | None = None
    sent_at: datetime.datetime | None = None
    author: str = ""
    description: str = ""
    parties: list[Party] = field(default_factory=list)
    documents: list[Document] = field(default_factory=list)
    screening: Screening | None = None


@dataclass
class CaseFolder:
    """A saksmappe."""

    title: str
    key: str  # external key of the mappe
    created_at: datetime.datetime
    closed_at: datetime.datetime | None
    case_date: datetime.date
    description: str = ""
    keywords: list[str] = field(default_factory=list)
    responsible: str = ""
    unit: str = ""
    status: str = "A"  # saksstatus
    screening: Screening | None = None


def _sub(parent, name, text=None):
    element = etree.SubElement(parent, f"{{{NS}}}{name}")
    if text is not None:
        element.text = str(text)
    return element


def _mdk(parent, name, text=None):
    element = etree.SubElement(parent, f"{{{MDK}}}{name}")
    if text is not None:
        element.text = str(text)
    return element


def _code(parent, name, code_list, value):
    element = _sub(parent, name)
    kode, description = code(code_list, value)
    _mdk(element, "kode", kode)
    _mdk(element, "beskrivelse", description)
    return element


def _plain_code(parent, name, value, description=""):
    element = _sub(parent, name)
    _mdk(element, "kode", value)
    if description:
        _mdk(element, "beskrivelse", description)
    return element


def _when(value):
    return value.isoformat(timespec="seconds") if isinstance(value, datetime.datetime) else value.isoformat()


def _external_key(parent, name, key, *, catalogue=False):
    element = (_mdk if catalogue else _sub)(parent, name)
    _mdk(element, "fagsystem", SYSTEM)
    _mdk(element, "noekkel", key)
    return element


def _screening(parent, screening: Screening | None):
    if screening is None or not screening.exempt:
        return
    element = _sub(parent, "skjerming")
    _plain_code(element, "tilgangsrestriksjon", screening.restriction)
    _sub(element, "skjermingshjemmel", screening.legal_basis)


def _public_title(parent, title, screening):
    """offentligTittel: the title as the public journal shows it (a screened title: the one shown instead)."""
    _sub(parent, "offentligTittel", screening.public_title if screening and screening.public_title else title)


def _identities(parent, name, text):
    if text:
        element = _sub(parent, name)
        _mdk(element, "navn", text)


def _case_folder(root, folder: CaseFolder):
    mappe = _sub(root, "mappe")
    mappe.set(f"{{{XSI}}}type", "saksmappe")
    _sub(mappe, "tittel", folder.title)
    _public_title(mappe, folder.title, folder.screening)
    if folder.description:
        _sub(mappe, "beskrivelse", folder.description)
    for keyword in folder.keywords:
        _sub(mappe, "noekkelord", keyword)
    _sub(mappe, "opprettetDato", _when(folder.created_at))
    _sub(mappe, "opprettetAv", SYSTEM)
    if folder.closed_at:
        _sub(mappe, "avsluttetDato", _when(folder.closed_at))
        _sub(mappe, "avsluttetAv", folder.responsible or SYSTEM)
    _screening(mappe, folder.screening)
    _external_key(mappe, "referanseEksternNoekkel", folder.key)
    _sub(mappe, "saksdato", _when(folder.case_date))
    _identities(mappe, "administrativEnhet", folder.unit)
    _identities(mappe, "saksansvarlig", folder.responsible)
    _code(mappe, "saksstatus", "saksstatus", folder.status)


def _document(parent, number, document: Document):
    element = _sub(parent, "dokumentbeskrivelse")
    _code(element, "dokumenttype", "dokumenttype", document.document_type)
    _code(element, "dokumentstatus", "dokumentstatus", "F")
    _sub(element, "tittel", document.title)
    if document.created_at:
        _sub(element, "opprettetDato", _when(document.created_at))
    _code(element, "tilknyttetRegistreringSom", "tilknyttetregistreringsom", "H" if document.main else "V")
    _sub(element, "dokumentnummer", number)
    _screening(element, document.screening)
    obj = _sub(element, "dokumentobjekt")
    _sub(obj, "versjonsnummer", 1)
    _code(obj, "variantformat", "variantformat", "A" if document.archive_format else "P")
    if document.mime_type == "application/pdf":
        archive_pdf = document.archive_format
        _plain_code(obj, "format", "RA-PDF" if archive_pdf else "PDF", "PDF/A-2b" if archive_pdf else "PDF")
    _sub(obj, "mimeType", document.mime_type)
    _sub(obj, "filnavn", document.original_name)
    _sub(obj, "referanseDokumentfil", document.file_name)
    _sub(obj, "sjekksum", hashlib.sha256(document.content).hexdigest())
    _sub(obj, "sjekksumAlgoritme", "SHA-256")
    _sub(obj, "filstoerrelse", len(document.content))


def _party(parent, party: Party):
    element = _sub(parent, "korrespondansepart")
    _code(element, "korrespondanseparttype", "korrespondanseparttype", party.kind)
    _sub(element, "korrespondansepartNavn", party.name)
    if party.organisation_number:
        _sub(element, "organisasjonid", party.organisation_number)
    if party.screened:
        _sub(element, "erSkjermet", "true")


def _registration(root, registration: Registration, folder_key: str, *, first_number=1):
    element = _sub(root, "registrering")
    element.set(f"{{{XSI}}}type", "journalpost")
    created = registration.sent_at or registration.received_at
    if created is None:  # a registration known by its day only (an adoption): the day's start
        created = datetime.datetime.combine(registration.document_date, datetime.time.min)
    _sub(element, "opprettetDato", _when(created))
    _sub(element, "opprettetAv", SYSTEM)
    parent = _sub(element, "referanseForelderMappe")
    _external_key(parent, "referanseEksternNoekkel", folder_key, catalogue=True)
    _screening(element, registration.screening)
    for number, document in enumerate(registration.documents, start=first_number):
        _document(element, number, document)
    _sub(element, "tittel", registration.title)
    _public_title(element, registration.title, registration.screening)
    if registration.description:
        _sub(element, "beskrivelse", registration.description)
    if registration.author:
        _sub(element, "forfatter", registration.author)
    for party in registration.parties:
        _party(element, party)
    _external_key(element, "referanseEksternNoekkel", registration.key)
    _code(element, "journalposttype", "journalposttype", registration.journalpost_type)
    _code(element, "journalstatus", "journalstatus", "J")
    _sub(element, "journaldato", _when(registration.document_date))
    _sub(element, "dokumentetsDato", _when(registration.document_date))
    if registration.received_at:
        _sub(element, "mottattDato", _when(registration.received_at))
    if registration.sent_at:
        _sub(element, "sendtDato", _when(registration.sent_at))
    attachments = sum(1 for document in registration.documents if not document.main)
    _sub(element, "antallVedlegg", attachments)


def arkivmelding(*, folder: CaseFolder | None, registration: Registration | None, folder_key: str) -> bytes:
    """The arkivmelding.xml of one message: a new saksmappe (when `folder` is given), and one
    journalpost placed in the mappe with the external key `folder_key`."""
    root = etree.Element(f"{{{NS}}}arkivmelding", nsmap={None: NS, "n5mdk": MDK, "xsi": XSI})
    _sub(root, "system", SYSTEM)
    _sub(root, "regel", MESSAGE_TYPE)
    _sub(root, "antallFiler", len(registration.documents) if registration else 0)
    if folder is not None:
        _case_folder(root, folder)
    if registration is not None:
        _registration(root, registration, folder_key)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


# --- meetings: a møtemappe with its registrations -------------------------------------------------


@dataclass
class MeetingFolder:
    """A moetemappe: the meeting, its body (utvalg) and who took part."""

    title: str
    key: str
    created_at: datetime.datetime
    number: str
    committee: str
    date: datetime.date
    place: str = ""
    participants: list[str] = field(default_factory=list)
    screening: Screening | None = None


@dataclass
class MeetingRegistration:
    """A moetedokument (the minutes: moetedokumenttype MP) or a moetesak (one agenda item)."""

    title: str
    key: str
    created_at: datetime.datetime
    documents: list[Document] = field(default_factory=list)
    description: str = ""
    document_type: str = ""  # moeteregistreringstype, for a moetedokument
    case_type: str = ""  # moetesakstype, for a moetesak
    year: int = 0
    sequence: int = 0
    screening: Screening | None = None


def _meeting_folder(root, folder: MeetingFolder):
    mappe = _sub(root, "mappe")
    mappe.set(f"{{{XSI}}}type", "moetemappe")
    _sub(mappe, "tittel", folder.title)
    _public_title(mappe, folder.title, folder.screening)
    _sub(mappe, "opprettetDato", _when(folder.created_at))
    _sub(mappe, "opprettetAv", SYSTEM)
    _screening(mappe, folder.screening)
    _external_key(mappe, "referanseEksternNoekkel", folder.key)
    _sub(mappe, "moetenummer", folder.number)
    _identities(mappe, "utvalg", folder.committee)
    _sub(mappe, "moetedato", _when(folder.date))
    if folder.place:
        _sub(mappe, "moetested", folder.place)
    for name in folder.participants:
        participant = _sub(mappe, "moetedeltaker")
        identity = _mdk(participant, "identifikator")
        _mdk(identity, "navn", name)


def _meeting_registration(root, registration: MeetingRegistration, folder_key: str):
    element = _sub(root, "registrering")
    element.set(f"{{{XSI}}}type", "moetesak" if registration.case_type else "moetedokument")
    _sub(element, "opprettetDato", _when(registration.created_at))
    _sub(element, "opprettetAv", SYSTEM)
    parent = _sub(element, "referanseForelderMappe")
    _external_key(parent, "referanseEksternNoekkel", folder_key, catalogue=True)
    _screening(element, registration.screening)
    for number, document in enumerate(registration.documents, start=1):
        _document(element, number, document)
    _sub(element, "tittel", registration.title)
    _public_title(element, registration.title, registration.screening)
    if registration.description:
        _sub(element, "beskrivelse", registration.description)
    _external_key(element, "referanseEksternNoekkel", registration.key)
    if registration.case_type:
        _code(element, "moetesakstype", "moetesakstype", registration.case_type)
        _sub(element, "moetesaksaar", registration.year)
        _sub(element, "moetesakssekvensnummer", registration.sequence)
    else:
        _code(element, "moetedokumenttype", "moeteregistreringstype", registration.document_type)


def moetemelding(*, folder: MeetingFolder | None, registration: MeetingRegistration, folder_key: str) -> bytes:
    """The arkivmelding.xml of one meeting message: a new moetemappe (when `folder` is given) and
    one registration (the minutes or an agenda item) placed in the mappe with `folder_key`."""
    root = etree.Element(f"{{{NS}}}arkivmelding", nsmap={None: NS, "n5mdk": MDK, "xsi": XSI})
    _sub(root, "system", SYSTEM)
    _sub(root, "regel", MESSAGE_TYPE)
    _sub(root, "antallFiler", len(registration.documents))
    if folder is not None:
        _meeting_folder(root, folder)
    _meeting_registration(root, registration, folder_key)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
