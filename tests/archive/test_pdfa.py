"""Every archival PDF the portal builds for the archive hand-off (each registration of a closed case,
the adopted agreement, the approved minutes and each agenda item) is the PDF/A-2b it declares, as far
as one can check without veraPDF (tests/archive/pdfa.py); and the check catches a PDF that is not."""

import io

import pikepdf
from lxml import etree

from archive.arkivmelding import MDK, NS
from archive.content import meeting_package, meeting_parts
from archive.models import ArchiveMessage
from archive.services import archive_package
from meetings.pdf import render_pdf
from partnerships.pdf import agreement_pdf
from tests.partnerships.factories import adopted_agreement, adopted_general_part

from .pdfa import pdf_fonts, pdfa_problems
from .test_meetings import meeting_with_minutes  # noqa: F401 (a fixture)

N = {"a": NS, "m": MDK}


def _archival_files(package) -> dict[str, bytes]:
    """The files the message declares in archive format (variantformat A): the ones the portal built."""
    document = etree.fromstring(package.xml)
    return {
        name: package.files[name]
        for obj in document.iterfind(".//a:dokumentobjekt", N)
        if obj.findtext("a:variantformat/m:kode", namespaces=N) == "A"
        for name in [obj.findtext("a:referanseDokumentfil", namespaces=N)]
    }


def _assert_pdfa(files: dict[str, bytes]):
    assert files
    for name, data in files.items():
        assert data.startswith(b"%PDF"), name
        assert pdfa_problems(data) == [], name
        assert pdf_fonts(data), f"{name} has no fonts to check"


def test_every_archival_pdf_of_a_closed_case_is_pdfa_2b(closed, closed_county_case):
    files = {}
    for case in (closed, closed_county_case):
        for message in ArchiveMessage.objects.filter(case=case).order_by("sequence"):
            files.update(
                {
                    f"{case.pk}/{message.part}/{name}": data
                    for name, data in _archival_files(archive_package(message)).items()
                }
            )
    assert len(files) >= 10  # every registration of both cases carries its own PDF/A
    _assert_pdfa(files)


def test_the_archived_agreement_is_pdfa_2b(region, adviser):
    adopted_general_part(region.host_county, adviser=adviser)
    agreement = adopted_agreement(region, adviser=adviser)
    package = archive_package(ArchiveMessage.objects.get(agreement=agreement))
    files = _archival_files(package)
    assert "01-avtale.pdf" in files
    _assert_pdfa(files)


def test_the_archived_minutes_and_agenda_items_are_pdfa_2b(meeting_with_minutes):  # noqa: F811
    files = {}
    for number, (part, _title) in enumerate(meeting_parts(meeting_with_minutes)):
        package = meeting_package(meeting=meeting_with_minutes, part=part, first=number == 0)
        files.update({f"{part}/{name}": data for name, data in _archival_files(package).items()})
    assert any(name.endswith("01-protokoll.pdf") for name in files)
    _assert_pdfa(files)


def test_the_check_finds_what_is_missing_in_a_plain_pdf(region, adviser):
    """The screen PDFs (not archival) lack what PDF/A needs, and the check says so; a PDF/A given
    JavaScript, a launch action or encryption is refused too."""
    plain = render_pdf("<html><body><h1>Referat</h1><p>Tatt til orientering.</p></body></html>")
    problems = pdfa_problems(plain)
    assert any("XMP" in problem for problem in problems)
    assert "no GTS_PDFA1 OutputIntent" in problems

    archival = render_pdf("<html><body><p>Tatt til orientering.</p></body></html>", pdf_variant="pdf/a-2b")
    assert pdfa_problems(archival) == []

    def changed(change, **save):
        with pikepdf.open(io.BytesIO(archival)) as pdf:
            change(pdf)
            out = io.BytesIO()
            pdf.save(out, **save)
            return out.getvalue()

    def javascript(pdf):
        pdf.Root.OpenAction = pdf.make_indirect(pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS="app.alert(1)"))

    def launch(pdf):
        pdf.pages[0].Annots = pdf.make_indirect(
            pikepdf.Array(
                [
                    pikepdf.Dictionary(
                        Type=pikepdf.Name.Annot,
                        Subtype=pikepdf.Name.Link,
                        Rect=[0, 0, 10, 10],
                        A=pikepdf.Dictionary(S=pikepdf.Name.Launch, F="x.exe"),
                    )
                ]
            )
        )

    def unembedded(pdf):
        font = pdf.make_indirect(
            pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica)
        )
        pdf.pages[0].Resources.Font = pikepdf.Dictionary(F9=font)

    assert any("JavaScript" in p for p in pdfa_problems(changed(javascript)))
    assert any("Launch" in p for p in pdfa_problems(changed(launch)))
    assert pdfa_problems(changed(unembedded)) == ["font /Helvetica is not embedded"]
    encrypted = changed(lambda pdf: None, encryption=pikepdf.Encryption(owner="eier", user="", R=6))
    assert pdfa_problems(encrypted) == ["encrypted"]


def test_the_screen_agreement_pdf_is_not_claimed_to_be_pdfa(region, adviser):
    """The agreement PDF offered for download is the plain one; only the archive's copy is PDF/A."""
    adopted_general_part(region.host_county, adviser=adviser)
    agreement = adopted_agreement(region, adviser=adviser)
    context = {
        "agreement": agreement,
        "general_part": agreement.general_part,
        "special_part": agreement.special_part,
        "priorities": list(agreement.special_part.priorities.all()),
    }
    assert pdfa_problems(agreement_pdf(context=context, pdf_variant="pdf/a-2b")) == []
    assert pdfa_problems(agreement_pdf(context=context)) != []
