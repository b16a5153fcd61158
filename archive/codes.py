"""The Fiks Arkiv code lists (vendored in archive/standards/fiks-arkiv-v1/kodelister): the portal
writes only values these lists hold, each with the list's own description."""

import json
from functools import cache
from pathlib import Path

STANDARD_DIR = Path(__file__).resolve().parent / "standards" / "fiks-arkiv-v1"


@cache
def code_list(name: str) -> dict[str, str]:
    """{code: description} of one code list, e.g. code_list("journalposttype")["I"]."""
    data = json.loads((STANDARD_DIR / "kodelister" / f"{name}.json").read_text(encoding="utf-8"))
    return {row["kodeverdi"]: row["kodebeskrivelse"] for row in data["kodeliste"]}


def code(name: str, value: str) -> tuple[str, str]:
    """(code, description) from a code list; a value the list lacks is a programming error."""
    descriptions = code_list(name)
    if value not in descriptions:
        raise KeyError(f"{value!r} is not in the Fiks Arkiv code list {name!r}")
    return value, descriptions[value]
