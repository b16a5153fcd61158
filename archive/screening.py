"""Screening (skjerming) of what the portal archives, read in one place.

Every builder asks `screening_of(obj)` for a case, an attachment, an agreement, a meeting's agenda
item or minutes, and writes what it answers into the arkivmelding. The objects carry the screening
fields of issue 15, item 1 (core.screening.ScreenedModel, docs/screening.md):

- an exemption (`access` "exempt", always with its legal basis) becomes <skjerming> with the
  tilgangsrestriksjon (the section's number, e.g. "13") and the skjermingshjemmel as written in a
  journal ("offl. § 13 jf. fvl. § 13");
- a screened title (also on a public object) becomes the offentligTittel: the title shown instead;
- "as usual for its kind" and "public" are registered as public: the archive journal needs a legal
  basis for a skjerming, and the kind's defaults (docs/screening.md) only decide what the portal itself
  publishes.
"""

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Screening:
    legal_basis: str = ""  # skjermingshjemmel; "" when only the title is screened
    restriction: str = ""  # tilgangsrestriksjon: the section's number, e.g. "13"
    public_title: str = ""  # the title the public journal shows instead ("" for the title itself)

    @property
    def exempt(self) -> bool:
        return bool(self.legal_basis)


def restriction_code(legal_basis: str) -> str:
    """The tilgangsrestriksjon code of a legal basis: the number of its first section ("§ 13" -> "13")."""
    found = re.search(r"§\s*(\d+)", legal_basis or "")
    return found.group(1) if found else "XX"


def screening_of(obj) -> Screening | None:
    """The screening of an archived object, or None when it is public with its own title (and for an
    object that carries no screening fields)."""
    if obj is None or not hasattr(obj, "access"):
        return None
    public_title = obj.screened_title if obj.title_screened else ""
    if obj.is_exempt:
        basis = obj.legal_basis_display
        return Screening(legal_basis=basis, restriction=restriction_code(basis), public_title=public_title)
    return Screening(public_title=public_title) if public_title else None


def strictest_screening(*objects) -> Screening | None:
    """The screening of a registration made of several objects (an agenda item and its minutes): an
    exemption wins, else a screened title, else None."""
    found = [screening for screening in map(screening_of, objects) if screening is not None]
    exempt = [screening for screening in found if screening.exempt]
    return (exempt or found or [None])[0]
