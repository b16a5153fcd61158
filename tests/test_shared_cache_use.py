"""The shared cache is for speed only: the portal reaches it through core.shared_cache, whose every call
survives an outage (logged, answered as a miss). A module that imported django.core.cache itself could
turn a Redis outage into a 500 on its pages (as the case topics' labels once did), so no module of the
portal does, but core.shared_cache."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ALLOWED = {"core/shared_cache.py"}
SKIP = {".venv", "tests", "bench", "migrations", "node_modules", "staticfiles", "var"}


def _portal_modules():
    for path in ROOT.rglob("*.py"):
        relative = path.relative_to(ROOT)
        if SKIP & set(relative.parts):
            continue
        yield relative.as_posix(), path


def test_only_core_shared_cache_imports_the_django_cache():
    offenders = []
    for name, path in _portal_modules():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                modules = [node.module or ""]
            elif isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            else:
                continue
            if any(module.startswith("django.core.cache") for module in modules):
                offenders.append(name)
    assert sorted(set(offenders) - ALLOWED) == [], "use core.shared_cache instead"


def test_every_cache_call_survives_an_outage():
    from django.test import override_settings

    from core import shared_cache
    from tests.test_session_cache import DOWN

    with override_settings(CACHES=DOWN):
        assert shared_cache.cache_get("k", "fallback") == "fallback"
        assert shared_cache.cache_set("k", 1) is False
        assert shared_cache.cache_add("k", 1) is False
        assert shared_cache.cache_incr("k") is None
        shared_cache.cache_delete("k")
