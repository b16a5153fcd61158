"""The yearly report as OpenDocument text (issue 16, item 6: "PDF and Word/ODT"): the file opens, holds
the adviser's text and every figure of the Word file and the page, and only advisers get it."""

import io

from docx import Document

from .test_report import _url, world  # noqa: F401  (the report's world fixture)


def _odt(content):
    from odf import teletype
    from odf.opendocument import load
    from odf.table import Table, TableCell

    document = load(io.BytesIO(content))
    cells = {teletype.extractText(cell) for cell in document.getElementsByType(TableCell)}
    # The text outside the tables, in the document's order (headings, paragraphs, captions, bullets).
    lines = [teletype.extractText(element) for element in document.text.childNodes if element.qname != Table().qname]
    return cells, lines


def _word(content):
    document = Document(io.BytesIO(content))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return cells, [paragraph.text for paragraph in document.paragraphs]


def test_the_odt_opens_with_the_same_text_and_figures_as_word_and_the_page(client, world, adviser):  # noqa: F811
    county = world["county"]
    client.force_login(adviser)
    client.post(
        _url("reports:report", county),
        {"introduction": "Året var preget av NTP-arbeidet.", "assessment": "Forankringen er styrket."},
    )
    response = client.get(_url("reports:report-odt", county))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.oasis.opendocument.text"
    assert response["Content-Disposition"].endswith(f'-{county.number}-2026.odt"')
    cells, lines = _odt(response.content)
    word_cells, word_lines = _word(client.get(_url("reports:report-docx", county)).content)
    assert cells == set(word_cells)
    assert [line for line in word_lines if line] == [line for line in lines if line]
    assert "Året var preget av NTP-arbeidet." in lines and "Forankringen er styrket." in lines
    assert any("1\xa0500\xa0000,00" in cell for cell in cells)  # the priority's allocation, as on the page
    page = client.get(_url("reports:report", county)).content.decode()
    assert "1\xa0500\xa0000,00" in page
    for region_name in ("Indre Østfold", "Follo"):
        assert region_name in cells and region_name in page


def test_the_odt_link_is_on_the_page_and_others_get_404(client, world, adviser, leader, staff):  # noqa: F811
    county = world["county"]
    client.force_login(adviser)
    assert _url("reports:report-odt", county) in client.get(_url("reports:report", county)).content.decode()
    for user in (leader, staff):
        client.force_login(user)
        assert client.get(_url("reports:report-odt", county)).status_code == 404


def test_the_odt_survives_control_characters_already_stored(client, world, adviser, region):  # noqa: F811
    from regions.models import Region

    Region.objects.filter(pk=region.pk).update(name="Indre\x01Østfold")
    client.force_login(adviser)
    response = client.get(_url("reports:report-odt", world["county"]))
    assert response.status_code == 200
    cells, _lines = _odt(response.content)
    assert "IndreØstfold" in cells
