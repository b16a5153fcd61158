"""The public pages in the shared quality suites (tests/security/extensions.py): open to anonymous
visitors and the same for every role, so no URL names a user's object."""

from tests.e2e.pages import A11yPage

_ALL = {"adviser": 200, "admin": 200, "leader_a": 200, "leader_b": 200, "staff": 200}


def _region_a(world):
    return {"slug": world.region_a.slug}


URL_KWARGS = {"public:region": _region_a, "public:region-feed": _region_a}
URL_OBJECTS = {"public:region": "no object", "public:region-feed": "no object"}
PUBLIC_URL_NAMES = {"public:index", "public:region", "public:region-feed"}
EXPECTED_STATUS = {"public:index": _ALL, "public:region": _ALL, "public:region-feed": _ALL}
PAGES = [
    A11yPage("public-index-anonymous", "public:index"),
    A11yPage("public-region-anonymous", "public:region", kwargs=_region_a),
]
