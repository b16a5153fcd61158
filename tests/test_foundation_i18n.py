"""Every bokmål and nynorsk catalogue is complete and compiled: the .mo holds exactly what the .po says."""

from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parent.parent
CATALOGUES = sorted(
    p
    for language in ("nb", "nn")
    for p in ROOT.glob(f"**/locale/{language}/LC_MESSAGES/django.po")
    if not {".venv", "node_modules"} & set(p.parts)
)


def _translations(entries):
    result = {}
    for entry in entries:
        if entry.obsolete or not entry.msgid:
            continue
        value = tuple(sorted(entry.msgstr_plural.items())) if entry.msgid_plural else entry.msgstr
        result[(entry.msgctxt, entry.msgid)] = value
    return result


def test_there_are_catalogues():
    assert ROOT / "locale/nb/LC_MESSAGES/django.po" in CATALOGUES
    assert ROOT / "locale/nn/LC_MESSAGES/django.po" in CATALOGUES
    assert len(CATALOGUES) >= 4


@pytest.mark.parametrize("po_path", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_catalogue_is_complete_and_compiled(po_path):
    po = polib.pofile(str(po_path))
    mo_path = po_path.with_suffix(".mo")

    untranslated = [e.msgid for e in po.untranslated_entries()]
    fuzzy = [e.msgid for e in po.fuzzy_entries()]
    assert not untranslated, f"untranslated in {po_path.relative_to(ROOT)}: {untranslated}"
    assert not fuzzy, f"fuzzy in {po_path.relative_to(ROOT)}: {fuzzy}"
    assert mo_path.exists(), f"{mo_path.relative_to(ROOT)} is missing: run scripts/messages.py --compile-only"
    assert _translations(polib.mofile(str(mo_path))) == _translations(po), (
        f"{mo_path.relative_to(ROOT)} is out of date: run scripts/messages.py --compile-only"
    )
