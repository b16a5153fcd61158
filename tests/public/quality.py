"""The public pages in the shared quality suites (tests/security/extensions.py): open to anonymous
visitors and the same for every role, so no URL names a user's object."""

from tests.e2e.pages import A11yPage

_ALL = {"adviser": 200, "admin": 200, "leader_a": 200, "leader_b": 200, "staff": 200}


def _region_a(world):
    return {"slug": world.region_a.slug}


def _meeting_a(world):
    return {"pk": world.meeting_a.pk}


def _case_a(world):
    """Region A's submitted case: public (not exempt), with a public PDF attachment."""
    return {"key": world.case_a.reference}


URL_KWARGS = {
    "public:region": _region_a,
    "public:region-feed": _region_a,
    "public:meeting": _meeting_a,
    "public:case": _case_a,
}
URL_OBJECTS = dict.fromkeys(URL_KWARGS, "no object")
_NO_ARGUMENTS = ("public:index", "public:county", "public:search")
PUBLIC_URL_NAMES = {*_NO_ARGUMENTS, *URL_KWARGS}
EXPECTED_STATUS = dict.fromkeys((*_NO_ARGUMENTS, *URL_KWARGS), _ALL)
FUZZ_PAGES = [("public:county", "leader_a", ["dato", "fylke"]), ("public:search", "leader_a", ["q", "hva", "page"])]
PAGES = [
    A11yPage("public-index-anonymous", "public:index"),
    A11yPage("public-region-anonymous", "public:region", kwargs=_region_a),
    A11yPage("public-meeting-anonymous", "public:meeting", kwargs=_meeting_a),
    A11yPage("public-case-anonymous", "public:case", kwargs=_case_a),
    A11yPage("public-county-anonymous", "public:county"),
    A11yPage("public-search-anonymous", "public:search", query="q=e&hva=saker"),
]
