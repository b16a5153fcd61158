"""One rule for access (docs/adr/0004-404-not-403.md), read from the code of every app:

- a service that acts for a person takes that person as `actor=` (never `by=`, `author=`, `user=`),
  and every service a page (a view or an admin action) calls is called with the person who asked;
- a view never opens an object with get_object_or_404 or Model.objects.get: it asks the app's
  access function (`<entity>_get_for_user(user=..., pk=...)`), which decides visibility and answers
  404 for a hidden object exactly as for a missing one.
"""

import ast
import importlib
import inspect
from pathlib import Path

import pytest

from core.checks import project_app_configs

# Names that said "the acting person" before the rule; a service names that person `actor`.
ACTOR_ALIASES = {"by", "author", "user", "requester", "created_by", "decided_by", "done_by", "acting_user"}

# Functions in a services module that views call but that act for no one: pure helpers on input.
NOT_AN_ACT = {
    "partnerships.services.lines_of",  # splits a text area into list items; writes nothing
    # Recounts what the admin's edit changed (the admin checked the person); the counts belong to no one.
    "cases.services.case_anchoring_recount",
}


def _apps():
    return [config for config in project_app_configs() if Path(config.path, "views.py").exists()]


def _tree(path: Path):
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _service_aliases(tree, app_label):
    """Local names bound to a services module ({"services": "cases.services", ...}) and to functions
    imported from one ({"case_submit": "cases.services"})."""
    modules, functions = {}, {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            source = node.module or ""
            if node.level == 1:
                source = f"{app_label}.{source}" if source else app_label
            for alias in node.names:
                local = alias.asname or alias.name
                if alias.name == "services":
                    modules[local] = f"{source}.services"
                elif source.endswith(".services"):
                    functions[local] = source
    return modules, functions


def _service_calls(path: Path, app_label):
    """(module, function name, ast.Call) for every call of a service function in a view module."""
    tree = _tree(path)
    modules, functions = _service_aliases(tree, app_label)
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id in modules:
            yield modules[func.value.id], func.attr, node
        elif isinstance(func, ast.Name) and func.id in functions:
            yield functions[func.id], func.id, node


def _page_modules():
    """The modules that act for the person at the keyboard: every app's views and admin."""
    for config in project_app_configs():
        for filename in ("views.py", "admin.py"):
            if Path(config.path, filename).exists():
                yield config, Path(config.path, filename)


def test_every_service_a_page_calls_is_told_who_acts():
    problems, checked = [], 0
    for config, path in _page_modules():
        for module_name, name, call in _service_calls(path, config.label):
            if f"{module_name}.{name}" in NOT_AN_ACT:
                continue
            checked += 1
            function = getattr(importlib.import_module(module_name), name)
            where = f"{path.relative_to(Path(config.path).parent)}:{call.lineno} {module_name}.{name}"
            if "actor" not in inspect.signature(function).parameters:
                problems.append(f"{where} takes no actor=")
            elif not any(keyword.arg == "actor" for keyword in call.keywords):
                problems.append(f"{where} is called without actor=")
    assert checked > 40, f"only {checked} service calls found in the views: is the walk still right?"
    assert not problems, "\n".join(problems)


def _public_services():
    for config in project_app_configs():
        if not Path(config.path, "services.py").exists():
            continue
        module = importlib.import_module(f"{config.name}.services")
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if not name.startswith("_") and function.__module__ == module.__name__:
                yield f"{module.__name__}.{name}", function


def test_no_service_names_the_acting_person_anything_but_actor():
    problems = []
    for name, function in _public_services():
        parameters = inspect.signature(function).parameters
        aliases = sorted(ACTOR_ALIASES & set(parameters))
        if aliases:
            problems.append(f"{name}({', '.join(aliases)}=...): call the acting person actor=")
        actor = parameters.get("actor")
        if actor is not None and actor.kind is not inspect.Parameter.KEYWORD_ONLY:
            problems.append(f"{name}: actor must be keyword-only")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("opener", ["get_object_or_404", "get_list_or_404"])
def test_no_view_opens_an_object_past_its_access_function(opener):
    """Visibility is the access function's (selectors/permissions) to decide, never the view's."""
    problems = []
    for config in _apps():
        path = Path(config.path, "views.py")
        for node in ast.walk(_tree(path)):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
            objects_get = (
                name == "get"
                and isinstance(func, ast.Attribute)
                and isinstance(func.value, ast.Attribute)
                and func.value.attr == "objects"
            )
            if name == opener or (opener == "get_object_or_404" and objects_get):
                problems.append(f"{config.label}/views.py:{node.lineno} {ast.unparse(node)[:80]}")
    assert not problems, "use the app's <entity>_get_for_user(user=..., pk=...):\n" + "\n".join(problems)


def test_every_access_function_answers_404_for_a_missing_object(db):
    """Each `<entity>_get_for_user` of the apps treats a missing (or malformed) id as not found."""
    from django.http import Http404

    from tests.factories import UserFactory

    user = UserFactory(role="adviser")
    found = []
    for config in project_app_configs():
        for layer in ("selectors", "permissions"):
            if not Path(config.path, f"{layer}.py").exists():
                continue
            module = importlib.import_module(f"{config.name}.{layer}")
            for name, function in inspect.getmembers(module, inspect.isfunction):
                parameters = inspect.signature(function).parameters
                if not name.endswith("_get_for_user") or set(parameters) != {"user", "pk"}:
                    continue
                if function.__module__ != module.__name__:
                    continue
                found.append(name)
                for pk in (999999, "x"):
                    with pytest.raises(Http404):
                        function(user=user, pk=pk)
    assert len(found) >= 15, sorted(found)
