"""Screening (skjerming) of what the portal archives, read in one place.

Every builder asks `screening_of(obj)` for a case, an attachment or a registration's source and
writes what it answers into the arkivmelding (<skjerming> with tilgangsrestriksjon and
skjermingshjemmel, offentligTittel, erSkjermet on parties). The screening fields (public / exempt
with the legal basis) are being added to cases, meetings and partnerships by issue 15, item 1; until
they are on main, nothing is screened: this function answers None for everything, and the archive
therefore receives every registration as public.
"""

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Screening:
    legal_basis: str  # skjermingshjemmel, e.g. "offl. § 13 jf. fvl. § 13"
    restriction: str  # tilgangsrestriksjon: the Noark code of the section, e.g. "13"
    whole_document: bool = True  # skjermingdokument H (whole) or D (parts)
    screen_title: bool = False  # the title is screened too (offentligTittel is written without it)


def restriction_code(legal_basis: str) -> str:
    """The tilgangsrestriksjon code of a legal basis: the number of its first offentleglova section."""
    found = re.search(r"§\s*(\d+)", legal_basis or "")
    return found.group(1) if found else "XX"


def screening_of(obj) -> Screening | None:
    """The screening of a case, attachment or other archived object, or None when it is public.
    (No object carries screening fields yet: see the module's docstring.)"""
    return None
