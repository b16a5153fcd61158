"""One document, written as Word (.docx, python-docx) or OpenDocument text (.odt, odfpy).

An app builds its document once as a list of blocks (a title, headings, paragraphs, bullets, tables
with a caption) and asks for the format the reader wants; both files then hold the same text and the
same figures. Every text is passed through core.validators.printable (no control characters in the
files). Imports nothing of the project."""

import io
from dataclasses import dataclass, field

from core.validators import printable


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 1  # 0: the document's title


@dataclass(frozen=True)
class Paragraph:
    text: str


@dataclass(frozen=True)
class Bullet:
    text: str


@dataclass(frozen=True)
class Table:
    caption: str
    header: list
    rows: list = field(default_factory=list)


def _line(value) -> str:
    return printable(str(value), multiline=False)


def _text(value) -> str:
    return printable(str(value))


def write_docx(blocks) -> bytes:
    """The blocks as a Word document."""
    from docx import Document  # imported late: only the Word download needs it

    document = Document()
    for block in blocks:
        if isinstance(block, Heading):
            document.add_heading(_line(block.text), block.level)
        elif isinstance(block, Paragraph):
            document.add_paragraph(_text(block.text))
        elif isinstance(block, Bullet):
            document.add_paragraph(_line(block.text), style="List Bullet")
        elif isinstance(block, Table):
            document.add_paragraph(_line(block.caption), style="Caption")
            table = document.add_table(rows=1, cols=len(block.header))
            table.style = "Table Grid"
            for cell, text in zip(table.rows[0].cells, block.header, strict=True):
                cell.text = _line(text)
            for row in block.rows:
                for cell, value in zip(table.add_row().cells, row, strict=True):
                    cell.text = _line(value)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _odt_styles(document) -> dict:
    from odf.style import ParagraphProperties, Style, TableColumnProperties, TextProperties

    styles = {}
    for name, size in (("Title", "20pt"), ("Heading_1", "15pt"), ("Heading_2", "13pt")):
        style = Style(name=name, family="paragraph")
        style.addElement(TextProperties(fontsize=size, fontweight="bold"))
        style.addElement(ParagraphProperties(margintop="0.3cm", marginbottom="0.2cm"))
        document.styles.addElement(style)
        styles[name] = style
    styles["Caption"] = Style(name="Caption", family="paragraph")
    styles["Caption"].addElement(TextProperties(fontstyle="italic"))
    styles["Caption"].addElement(ParagraphProperties(margintop="0.3cm"))
    document.styles.addElement(styles["Caption"])
    styles["TableHeading"] = Style(name="TableHeading", family="paragraph")
    styles["TableHeading"].addElement(TextProperties(fontweight="bold"))
    document.styles.addElement(styles["TableHeading"])
    styles["Column"] = Style(name="Column", family="table-column")
    styles["Column"].addElement(TableColumnProperties(columnwidth="3.5cm"))
    document.automaticstyles.addElement(styles["Column"])
    return styles


def _odt_table(block, number, styles):
    from odf.table import Table as OdfTable
    from odf.table import TableCell, TableColumn, TableHeaderRows, TableRow
    from odf.text import P

    def row_of(values, style=None):
        row = TableRow()
        for value in values:
            cell = TableCell(valuetype="string")
            cell.addElement(P(stylename=style, text=_line(value)) if style else P(text=_line(value)))
            row.addElement(cell)
        return row

    table = OdfTable(name=f"Table{number}")
    table.addElement(TableColumn(numbercolumnsrepeated=len(block.header), stylename=styles["Column"]))
    header_rows = TableHeaderRows()
    header_rows.addElement(row_of(block.header, styles["TableHeading"]))
    table.addElement(header_rows)
    for values in block.rows:
        table.addElement(row_of(values))
    return [P(stylename=styles["Caption"], text=_line(block.caption)), table]


def _odt_elements(block, number, styles):
    from odf.text import H, List, ListItem, P

    if isinstance(block, Heading):
        if block.level == 0:
            return [P(stylename=styles["Title"], text=_line(block.text))]
        level = min(block.level, 2)
        return [H(outlinelevel=level, stylename=styles[f"Heading_{level}"], text=_line(block.text))]
    if isinstance(block, Paragraph):
        return [P(text=line) for line in _text(block.text).split("\n")]
    if isinstance(block, Bullet):
        items, item = List(), ListItem()
        item.addElement(P(text=_line(block.text)))
        items.addElement(item)
        return [items]
    return _odt_table(block, number, styles)


def write_odt(blocks) -> bytes:
    """The blocks as an OpenDocument text (LibreOffice, and Word opens it too)."""
    from odf.opendocument import OpenDocumentText  # imported late: only the ODT download needs it

    document = OpenDocumentText()
    styles = _odt_styles(document)
    for number, block in enumerate(blocks, start=1):
        for element in _odt_elements(block, number, styles):
            document.text.addElement(element)
    out = io.BytesIO()
    document.write(out)
    return out.getvalue()
