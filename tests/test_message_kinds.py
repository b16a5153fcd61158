"""One way to notify: every message the portal sends has a kind whose renderer writes its text at send
time, and each kind is written once, as a constant in its app's renderers module, which the app's
services plan with. A kind spelt out again as a string (or built with an f-string) where it is planned
or registered could drift from its renderer, and its messages would wait in the outbox unrendered."""

import ast
from pathlib import Path

from django.conf import settings

from core.checks import project_app_configs
from notifications import registry


def _app_modules():
    for config in project_app_configs():
        for path in Path(config.path).rglob("*.py"):
            if "migrations" not in path.parts:
                yield config.label, path


def _literal(node):
    return isinstance(node, ast.Constant | ast.JoinedStr)


def test_kinds_are_planned_and_registered_by_constant_only():
    spelt_out = []
    for _label, path in _app_modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", getattr(node.func, "attr", ""))
            if name == "message_enqueue":
                spelt_out += [
                    f"{path.relative_to(settings.BASE_DIR)}:{node.lineno}"
                    for keyword in node.keywords
                    if keyword.arg == "kind" and _literal(keyword.value)
                ]
            registers = isinstance(node.func, ast.Name) and name in {"register", "register_prepare"}
            if registers and node.args and _literal(node.args[0]):
                spelt_out.append(f"{path.relative_to(settings.BASE_DIR)}:{node.lineno}")
    assert spelt_out == []


def test_each_kind_belongs_to_the_app_that_renders_it():
    apps = {config.label for config in project_app_configs()}
    kinds = [kind for kind in registry._renderers if kind.split(".")[0] in apps]
    assert len(kinds) >= 10
    for kind in kinds:
        renderer = registry.get_renderer(kind)
        assert renderer.__module__ == f"{kind.split('.')[0]}.renderers", kind


def test_the_portal_has_no_fixed_text_messages():
    """Text fixed when a message is planned would be in the planner's language, not the reader's."""
    from notifications import services

    assert not hasattr(services, "notify")
    assert not [kind for kind in registry._renderers if kind.startswith("notifications.")]
