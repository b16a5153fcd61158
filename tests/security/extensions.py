"""How the apps add their pages and objects to the quality suites without editing them.

Each app may provide `tests/<app>/quality.py` with any of these module attributes:

    URL_KWARGS = {"cases:case-detail": lambda world: {"pk": case_of(world.region_a).pk}}
        arguments for a URL pattern, built from the shared world (tests/security/world.py);
    URL_OBJECTS = {"cases:case-detail": "case_a", "cases:export": "no object"}
        what each URL with arguments is about (a world name, a callable of the world, "missing" or
        "no object"): the permission matrix asks the object's access function whether each role sees
        it, and requires 404 when it does not and never 404 when it does (docs/adr/0004);
    EXPECTED_STATUS = {"cases:inbox": {"adviser": 200, "leader_a": 404, "default": 200}}
        the status each role must get for a GET (roles in tests.security.world.ROLES);
    PUBLIC_URL_NAMES = {"meetings:calendar-feed"}
        URL names anonymous users may open (for example calendar feeds with a token);
    PAGES = [A11yPage("case-detail", "cases:case-detail", "leader_a", kwargs=...)]
        pages for the axe-core accessibility check and screenshots (tests/e2e/pages.py);
    WORLD_SETUP = [callable(world)]
        functions that add the app's objects to the world (world.objects["case_a"] = ...);
    FUZZ_PAGES = [("cases:index", "adviser", ["status", "region", "q", "page"])]
        list pages whose query strings hypothesis fuzzes, with the parameter names to try.
    CONSTRAINT_CASES = [ConstraintCase(...)]  (tests/reliability/test_constraints.py)
"""

import importlib

APPS = (
    "accounts",
    "regions",
    "partnerships",
    "meetings",
    "cases",
    "archive",
    "oparl",
    "public",
    "people",
    "funds",
    "rounds",
    "themes",
    "reports",
)


def _modules():
    for app in APPS:
        try:
            yield importlib.import_module(f"tests.{app}.quality")
        except ModuleNotFoundError as exc:
            if exc.name not in (f"tests.{app}", f"tests.{app}.quality"):
                raise


def collect_list(name: str) -> list:
    items = []
    for module in _modules():
        items.extend(getattr(module, name, []))
    return items


def collect_dict(name: str) -> dict:
    merged = {}
    for module in _modules():
        merged.update(getattr(module, name, {}))
    return merged


def collect_set(name: str) -> set:
    merged = set()
    for module in _modules():
        merged |= set(getattr(module, name, ()))
    return merged
