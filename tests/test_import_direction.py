"""The apps depend downward only, in the order of their models: core (imports nothing of the project)
<- accounts <- notifications <- regions <- partnerships <- cases <- meetings <- oparl <- public <- portal
(the shell, which may import every app). No two modules import each other. An app that needs something from an app
above it offers a hook or a panel registry (regions.hooks, partnerships.hooks, core.panels) that the
app above fills in its AppConfig.ready(). Read from the source (ast), so a lazy import inside a
function counts too."""

import ast
from pathlib import Path

from django.conf import settings

ORDER = [
    "core",
    "accounts",
    "notifications",
    "regions",
    "partnerships",
    "cases",
    "meetings",
    "archive",
    "oparl",
    "publicsite",
    "people",
    "funds",
    "rounds",
    "themes",
    "reports",
    "portal",
]
LEVEL = {app: level for level, app in enumerate(ORDER)}


def _modules():
    root = Path(settings.BASE_DIR)
    modules = {}
    for app in [*ORDER, "viken"]:
        for path in (root / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            name = ".".join(path.relative_to(root).with_suffix("").parts).removesuffix(".__init__")
            modules[name] = path
    return modules


def _imports(name, path, modules):
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[: len(parts) - node.level + 1] + ([base] if base else []))
            targets = [base, *(f"{base}.{alias.name}" for alias in node.names)]
        elif isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        else:
            continue
        found |= {target for target in targets if target in modules and target != name}
    return found


def test_every_import_points_down_the_app_order_and_none_runs_in_a_circle():
    modules = _modules()
    edges = {name: _imports(name, path, modules) for name, path in modules.items()}
    upward = sorted(
        f"{source} -> {target}"
        for source, targets in edges.items()
        for target in targets
        if source.split(".")[0] in LEVEL
        and target.split(".")[0] in LEVEL
        and LEVEL[target.split(".")[0]] > LEVEL[source.split(".")[0]]
    )
    circles = sorted(f"{a} <-> {b}" for a, targets in edges.items() for b in targets if a < b and a in edges[b])
    assert upward == []
    assert circles == []


def test_every_app_of_the_project_has_its_place_in_the_order():
    from core.checks import project_app_configs

    assert {config.label for config in project_app_configs()} <= set(ORDER)
