"""The PDF/A-2b requirements one can check without a full validator (veraPDF), read with pikepdf:

- XMP metadata in the document catalogue declaring pdfaid:part 2, conformance B (ISO 19005-2, 6.6.4);
- an OutputIntent (GTS_PDFA1) with an embedded ICC profile (6.2.3), a real one ("acsp" signature);
- every font embedded (6.2.11.4): a font program (FontFile, FontFile2 or FontFile3) in the descriptor of
  every font but Type 3 (its glyphs are content streams) and Type 0 (its descendant font is checked);
- no encryption (6.1.3);
- no JavaScript and no Launch actions anywhere (6.5.1, 6.6.1): no JavaScript name tree, no action of
  those kinds and no /JS, in any object.

`pdfa_problems(data)` returns what is wrong, in words; an empty list for a PDF that passes.
"""

import io

import pikepdf

FONT_FILES = ("/FontFile", "/FontFile2", "/FontFile3")
FORBIDDEN_ACTIONS = ("/JavaScript", "/Launch")


def _xmp_problems(pdf) -> list[str]:
    if "/Metadata" not in pdf.Root:
        return ["no XMP metadata stream in the catalogue"]
    meta = pdf.open_metadata()
    part, conformance = meta.get("pdfaid:part"), meta.get("pdfaid:conformance")
    problems = []
    if part != "2":
        problems.append(f"XMP pdfaid:part is {part!r}, not '2'")
    if conformance != "B":
        problems.append(f"XMP pdfaid:conformance is {conformance!r}, not 'B'")
    return problems


def _output_intent_problems(pdf) -> list[str]:
    intents = [intent for intent in pdf.Root.get("/OutputIntents", []) if intent.get("/S") == "/GTS_PDFA1"]
    if not intents:
        return ["no GTS_PDFA1 OutputIntent"]
    problems = []
    for intent in intents:
        profile = intent.get("/DestOutputProfile")
        if not isinstance(profile, pikepdf.Stream):
            problems.append("an OutputIntent without an embedded ICC profile")
            continue
        data = profile.read_bytes()
        if len(data) < 128 or data[36:40] != b"acsp":
            problems.append("an OutputIntent whose profile is not an ICC profile")
    return problems


def _dictionaries(pdf):
    """Every dictionary of the file: each indirect object and the direct ones nested in it (an
    annotation's action, a font written straight into a page's resources)."""

    def nested(obj):
        if isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
            if isinstance(obj, pikepdf.Dictionary):
                yield obj
            values = obj.values()
        elif isinstance(obj, pikepdf.Array):
            values = obj
        else:
            return
        for value in values:
            if not getattr(value, "is_indirect", False):  # an indirect one is reached through pdf.objects
                yield from nested(value)

    for obj in pdf.objects:
        yield from nested(obj)


def _is_font(obj) -> bool:
    return obj.get("/Type") == "/Font"


def _font_problems(pdf) -> list[str]:
    problems = []
    for obj in _dictionaries(pdf):
        if not _is_font(obj) or obj.get("/Subtype") in ("/Type0", "/Type3"):
            continue
        descriptor = obj.get("/FontDescriptor")
        if descriptor is None or not any(name in descriptor for name in FONT_FILES):
            problems.append(f"font {obj.get('/BaseFont')} is not embedded")
    return problems


def _action_problems(pdf) -> list[str]:
    problems = []
    if "/JavaScript" in pdf.Root.get("/Names", {}):
        problems.append("a JavaScript name tree in the catalogue")
    for obj in _dictionaries(pdf):
        if obj.get("/S") in FORBIDDEN_ACTIONS:
            problems.append(f"a {obj.get('/S')} action")
        elif "/JS" in obj:
            problems.append("a JavaScript (/JS) entry")
    return problems


def pdfa_problems(data: bytes) -> list[str]:
    """What keeps these bytes from being the PDF/A-2b they claim to be (the checks above)."""
    try:
        pdf = pikepdf.open(io.BytesIO(data))
    except pikepdf.PasswordError:
        return ["encrypted (a password is needed to open it)"]
    with pdf:
        if pdf.is_encrypted or "/Encrypt" in pdf.trailer:
            return ["encrypted"]
        return [*_xmp_problems(pdf), *_output_intent_problems(pdf), *_font_problems(pdf), *_action_problems(pdf)]


def pdf_fonts(data: bytes) -> list[str]:
    """The base names of the fonts in the PDF (to see that the check above had fonts to look at)."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        return [str(obj.get("/BaseFont")) for obj in _dictionaries(pdf) if _is_font(obj) and "/BaseFont" in obj]
