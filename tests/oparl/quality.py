"""The open API's URLs in the shared quality suites (tests/security/extensions.py).

The API is public: no login, and the same answer for every role and for anonymous visitors, so every
URL names "no object" for the 404-or-403 rule (it is not a user's object; oparl.selectors decide
through the public selectors). Region A's internal submitted case (case_a) is public here: screening
(docs/screening.md) decides what the public sees, not the portal's sharing between regions.
"""

_ALL = {"adviser": 200, "admin": 200, "leader_a": 200, "leader_b": 200, "staff": 200}
_NONE = {"adviser": 404, "admin": 404, "leader_a": 404, "leader_b": 404, "staff": 404}


def _county(world):
    return {"pk": world.county.pk}


_LISTS = (
    "body",
    "body-organizations",
    "body-people",
    "body-memberships",
    "body-meetings",
    "body-agenda-items",
    "body-papers",
    "body-consultations",
    "body-files",
    "body-locations",
    "body-legislative-terms",
)
_MISSING_OBJECTS = ("person", "membership", "agenda-item", "location")

URL_KWARGS = {
    **{f"oparl:{name}": _county for name in _LISTS},
    "oparl:organization": lambda w: {"kind": "region", "pk": w.region_a.pk},
    "oparl:legislative-term": lambda w: {"pk": w.term.pk},
    "oparl:meeting": lambda w: {"pk": w.meeting_a.pk},
    "oparl:paper": lambda w: {"kind": "case", "pk": w.case_a.pk},
    "oparl:consultation": lambda w: {"kind": "routing", "pk": 999999},
    "oparl:file": lambda w: {"kind": "attachment", "pk": w.attachment_a.pk},
    "oparl:file-download": lambda w: {"kind": "attachment", "pk": w.attachment_a.pk},
    **{f"oparl:{name}": (lambda w: {"pk": 999999}) for name in _MISSING_OBJECTS},
}

URL_OBJECTS = dict.fromkeys(URL_KWARGS, "no object")

PUBLIC_URL_NAMES = {
    "oparl:openapi",
    "oparl:system",
    "oparl:body-list",
    *URL_KWARGS,
}

EXPECTED_STATUS = {
    "oparl:openapi": _ALL,
    "oparl:system": _ALL,
    "oparl:body-list": _ALL,
    **{f"oparl:{name}": _ALL for name in _LISTS},
    "oparl:organization": _ALL,
    "oparl:legislative-term": _ALL,
    "oparl:meeting": _ALL,
    "oparl:paper": _ALL,
    "oparl:file": _ALL,
    "oparl:file-download": _ALL,
    "oparl:consultation": _NONE,
    **{f"oparl:{name}": _NONE for name in _MISSING_OBJECTS},
}
