"""Every URL pattern in the resolver, requested as anonymous, leader of region A, leader of region B,
council-area staff, adviser and administrator: the expected status each time, never a 500."""

import pytest
from django.conf import settings
from django.shortcuts import resolve_url
from django.urls import NoReverseMatch, reverse

from .conftest import client_for
from .matrix import (
    ANY_LOGGED_IN,
    NO_OBJECT,
    access_functions,
    app_url_kwargs,
    can_see,
    expected_statuses,
    foundation_url_kwargs,
    public_url_names,
    sample_is_enough,
    url_object,
    url_objects,
)
from .urlwalk import endpoints
from .world import ACTS_AS


def _login_redirect(response):
    location = response.get("Location", "")
    return response.status_code == 302 and (
        location.startswith(resolve_url(settings.LOGIN_URL)) or location.startswith(reverse("admin:login"))
    )


def test_anonymous_users_are_sent_to_login_everywhere_except_the_public_pages(client, db):
    public = public_url_names()
    problems, checked = [], 0
    for endpoint in endpoints():
        assert endpoint.sample, f"could not build a sample URL for {endpoint.name} ({endpoint.route})"
        response = client.get(endpoint.sample)
        checked += 1
        if endpoint.name in public:
            if response.status_code == 500 or _login_redirect(response):
                problems.append(f"public {endpoint.name} {endpoint.sample}: {response.status_code}")
        elif not _login_redirect(response):
            problems.append(f"{endpoint.name} {endpoint.sample}: {response.status_code} {response.get('Location', '')}")
    print(f"anonymous: {checked} URL patterns checked, {len(public)} public names")
    assert not problems, "\n".join(problems)


def _urls_for(world, all_endpoints):
    """(endpoint, url) for every pattern that can be opened as a user, and the names left unmapped."""
    kwargs_map = {**foundation_url_kwargs(all_endpoints), **app_url_kwargs()}
    urls, unmapped = [], set()
    for endpoint in all_endpoints:
        if not endpoint.has_args or sample_is_enough(endpoint):
            urls.append((endpoint, endpoint.sample))
            continue
        build = kwargs_map.get(endpoint.name)
        kwargs = build(world) if build else None
        if kwargs is None:
            unmapped.add(endpoint.name)
            continue
        try:
            urls.append((endpoint, reverse(endpoint.name, kwargs=kwargs)))
        except NoReverseMatch:
            unmapped.add(endpoint.name)
    return urls, unmapped


def _allowed(expected, role, endpoint):
    rule = expected.get(endpoint.name)
    if rule is not None:
        value = rule.get(role, rule.get(ACTS_AS.get(role), rule.get("default")))
        return (value,) if isinstance(value, int) else tuple(value)
    if endpoint.name.startswith(("admin:", "<unnamed admin/")):
        # Django's admin: only staff get in; the others are sent to the admin's login page.
        return (200, 302, 403, 404, 405) if role == "admin" else (302,)
    # Not declared by the app yet: anything but an error; objects of others give 404, never 403.
    return (200, 302, 404, 405) if endpoint.has_args else (200, 302, 403, 404, 405)


@pytest.mark.parametrize("role", ANY_LOGGED_IN)
def test_each_role_gets_the_expected_status_on_every_url(role, world):
    all_endpoints = endpoints()
    urls, unmapped = _urls_for(world, all_endpoints)
    expected = expected_statuses()
    client = client_for(world, role)
    problems = []
    for endpoint, url in urls:
        response = client.get(url)
        allowed = _allowed(expected, role, endpoint)
        if response.status_code not in allowed:
            problems.append(f"{role} {endpoint.name} {url}: {response.status_code}, expected {allowed}")
        if endpoint.name.startswith("admin:") and role != "admin" and response.status_code == 302:
            location = response["Location"]
            assert location.startswith(reverse("admin:login")) or location == reverse("admin:index"), url
    undeclared = sorted(
        e.name for e, _ in urls if e.name not in expected and not e.name.startswith(("admin:", "<unnamed"))
    )
    print(f"{role}: {len(urls)} URLs requested, {len(unmapped)} patterns without objects")
    if role == "adviser":
        print("patterns without objects (add URL_KWARGS/WORLD_SETUP in tests/<app>/quality.py):", sorted(unmapped))
        print("patterns without a declared expectation (only 'not an error' checked):", undeclared)
    assert not problems, "\n".join(problems)
    # Every pattern is requested with real objects: a new one needs URL_KWARGS (and WORLD_SETUP) in
    # tests/<app>/quality.py; admin pages are mapped once the world holds an object of the model.
    assert not unmapped, f"URL patterns with arguments but no objects in URL_KWARGS: {sorted(unmapped)}"


def _answer_rule_problems(world, role, methods):
    """Every URL about an object, as the role: 404 when the object's access function hides it from
    them, anything but 404 when it does not (403 for a step that is not theirs), never a 500."""
    objects, access = url_objects(), access_functions()
    urls, _ = _urls_for(world, endpoints())
    client, user = client_for(world, role), world.user(role)
    problems, undeclared = [], []
    for endpoint, url in urls:
        if endpoint.name.startswith(("admin:", "<unnamed")) or not endpoint.has_args:
            continue
        spec = objects.get(endpoint.name)
        if spec is None:
            undeclared.append(endpoint.name)
            continue
        if spec == NO_OBJECT:
            continue
        for method in methods:
            visible = can_see(user, url_object(world, spec), access)  # afresh: a POST may change it
            status = getattr(client, method)(url).status_code
            if status == 405:  # the method is refused before any object is read: nothing leaks
                continue
            if status == 500 or (status == 404) == visible:
                seen = "sees" if visible else "does not see"
                problems.append(f"{role} {method.upper()} {endpoint.name} {url}: {status}, but the role {seen} it")
    assert not undeclared, f"URL patterns with arguments but no URL_OBJECTS entry: {sorted(undeclared)}"
    return problems


@pytest.mark.parametrize("role", ANY_LOGGED_IN)
def test_a_hidden_object_is_404_and_a_step_on_a_visible_one_is_never_404(role, world):
    """docs/adr/0004-404-not-403.md, for every URL and role: whether the role sees the object is
    asked of the app's access function, never declared by hand; 403 is only ever for what they see."""
    problems = _answer_rule_problems(world, role, ("get",))
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("role", ANY_LOGGED_IN)
def test_posting_to_an_object_follows_the_same_rule(role, world):
    """The same by POST (empty data: a step without input may run for a role it is allowed to)."""
    problems = _answer_rule_problems(world, role, ("post",))
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("role", ["adviser", "leader_a", "staff"])
def test_no_filter_offers_dashes_for_all(role, world):
    """Every list filter's empty choice said "---------"; it says "Alle" (or names what all means)."""
    import re

    client = client_for(world, role)
    problems = []
    for endpoint, url in _urls_for(world, endpoints())[0]:
        if endpoint.name.startswith(("admin:", "<unnamed")):
            continue
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        html = response.content.decode()
        for form in re.findall(r"<form[^>]*method=\"get\".*?</form>", html, flags=re.S | re.I):
            if "---------" in form:
                problems.append(f"{endpoint.name} {url}")
    assert not problems, "filters offering '---------':\n" + "\n".join(sorted(set(problems)))


# What belongs to the leader as a person, not to the region: their own exports and their own reset link.
PERSONAL_URL_NAMES = {"cases:export-download", "password_reset_confirm"}


def test_the_secretariat_of_region_a_gets_exactly_what_its_leader_gets_on_every_url(world):
    """Issue 14: the secretariat acts for its region as the leader does: every page about region A's
    things opens (or is refused) for it exactly as for leader_a, and region B's stay hidden."""
    urls, _ = _urls_for(world, endpoints())
    leader, secretariat = client_for(world, "leader_a"), client_for(world, "secretariat_a")
    compared, differences = 0, []
    for endpoint, url in urls:
        if endpoint.name.startswith(("admin:", "<unnamed")) or endpoint.name in PERSONAL_URL_NAMES:
            continue
        as_leader, as_secretariat = leader.get(url).status_code, secretariat.get(url).status_code
        compared += 1
        if as_leader != as_secretariat:
            differences.append(f"{endpoint.name} {url}: leader_a {as_leader}, secretariat_a {as_secretariat}")
    assert compared > 50
    assert not differences, "\n".join(differences)
