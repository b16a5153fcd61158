"""Every URL pattern in the resolver, requested as anonymous, leader of region A, leader of region B,
council-area staff, adviser and administrator: the expected status each time, never a 500."""

import os

import pytest
from django.conf import settings
from django.shortcuts import resolve_url
from django.urls import NoReverseMatch, reverse

from .conftest import client_for
from .matrix import (
    ANY_LOGGED_IN,
    app_url_kwargs,
    expected_statuses,
    foundation_url_kwargs,
    public_url_names,
    sample_is_enough,
)
from .urlwalk import endpoints

IN_CI = os.environ.get("CI") == "true"

# Patterns with arguments that have no objects in the world yet (the state when the apps first landed).
# Under CI=true a pattern missing from this list and from every URL_KWARGS fails the suite: give it
# arguments in tests/<app>/quality.py (URL_KWARGS, and WORLD_SETUP to create the objects), then remove
# it here. Admin pages of a model are mapped automatically once the world holds one of its objects.
KNOWN_UNMAPPED: set[str] = {
    "admin:axes_accessattempt_change",
    "admin:axes_accessattempt_delete",
    "admin:axes_accessattempt_history",
    "admin:axes_accessfailurelog_change",
    "admin:axes_accessfailurelog_delete",
    "admin:axes_accessfailurelog_history",
    "admin:cases_anchoring_change",
    "admin:cases_anchoring_delete",
    "admin:cases_anchoring_history",
    "admin:cases_attachment_change",
    "admin:cases_attachment_delete",
    "admin:cases_attachment_history",
    "admin:cases_case_change",
    "admin:cases_case_delete",
    "admin:cases_case_history",
    "admin:cases_caseevent_change",
    "admin:cases_caseevent_delete",
    "admin:cases_caseevent_history",
    "admin:cases_referencecounter_change",
    "admin:cases_referencecounter_delete",
    "admin:cases_referencecounter_history",
    "admin:cases_regionrequest_change",
    "admin:cases_regionrequest_delete",
    "admin:cases_regionrequest_history",
    "admin:cases_routing_change",
    "admin:cases_routing_delete",
    "admin:cases_routing_history",
    "admin:cases_topicmapping_change",
    "admin:cases_topicmapping_delete",
    "admin:cases_topicmapping_history",
    "admin:meetings_agendaitem_change",
    "admin:meetings_agendaitem_delete",
    "admin:meetings_agendaitem_history",
    "admin:meetings_calendarfeed_change",
    "admin:meetings_calendarfeed_delete",
    "admin:meetings_calendarfeed_history",
    "admin:meetings_meeting_change",
    "admin:meetings_meeting_delete",
    "admin:meetings_meeting_history",
    "admin:meetings_meetingseries_change",
    "admin:meetings_meetingseries_delete",
    "admin:meetings_meetingseries_history",
    "admin:meetings_minutesentry_change",
    "admin:meetings_minutesentry_delete",
    "admin:meetings_minutesentry_history",
    "admin:meetings_participant_change",
    "admin:meetings_participant_delete",
    "admin:meetings_participant_history",
    "admin:meetings_referencegroupinput_change",
    "admin:meetings_referencegroupinput_delete",
    "admin:meetings_referencegroupinput_history",
    "admin:partnerships_comment_change",
    "admin:partnerships_comment_delete",
    "admin:partnerships_comment_history",
    "admin:partnerships_instrument_change",
    "admin:partnerships_instrument_delete",
    "admin:partnerships_instrument_history",
    "admin:partnerships_instrumentpriority_change",
    "admin:partnerships_instrumentpriority_delete",
    "admin:partnerships_instrumentpriority_history",
    "admin:partnerships_knowledgereference_change",
    "admin:partnerships_knowledgereference_delete",
    "admin:partnerships_knowledgereference_history",
    "admin:partnerships_strategicplan_change",
    "admin:partnerships_strategicplan_delete",
    "admin:partnerships_strategicplan_history",
    "admin:partnerships_workinggroupmember_change",
    "admin:partnerships_workinggroupmember_delete",
    "admin:partnerships_workinggroupmember_history",
    "cases:anchoring-record",
    "cases:anchoring-remove",
    "cases:attachment-download",
    "cases:attachment-upload",
    "cases:case-agenda-add",
    "cases:case-detail",
    "cases:case-step",
    "cases:case-update",
    "cases:export",
    "cases:region-request-answer",
    "cases:routing-acknowledge",
    "cases:routing-answer",
    "meetings:agenda-builder",
    "meetings:agenda-case-add",
    "meetings:agenda-item-move",
    "meetings:agenda-item-state",
    "meetings:agenda-propose",
    "meetings:calendar",
    "meetings:feed",
    "meetings:feed-revoke",
    "meetings:meeting-cancel",
    "meetings:meeting-detail",
    "meetings:meeting-edit",
    "meetings:meeting-held",
    "meetings:meeting-ics",
    "meetings:meeting-move",
    "meetings:meeting-pdf",
    "meetings:meeting-publish",
    "meetings:minutes-edit",
    "meetings:participant-add",
    "meetings:participant-status",
    "meetings:reference-input",
    "meetings:series-detail",
    "meetings:series-generate",
    "regions:appointment-end",
    "regions:council-area-detail",
    "regions:county-detail",
    "regions:export",
    "regions:membership-end",
    "regions:membership-move",
    "regions:municipality-detail",
    "regions:region-detail",
}


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
        value = rule.get(role, rule.get("default"))
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
    if IN_CI:
        new = unmapped - KNOWN_UNMAPPED
        assert not new, f"URL patterns with arguments but no objects in URL_KWARGS: {sorted(new)}"


def test_a_leader_whose_region_differs_gets_404_not_403_on_declared_object_pages(world):
    """The apps' URL_KWARGS for region A's objects: leader B must get 404 (existence does not leak)."""
    expected = expected_statuses()
    urls, _ = _urls_for(world, endpoints())
    client = client_for(world, "leader_b")
    for endpoint, url in urls:
        if endpoint.name.startswith(("admin:", "<unnamed")) or not endpoint.has_args:
            continue
        response = client.get(url)
        assert response.status_code != 403, f"{endpoint.name} {url} answers 403: use 404 so existence does not leak"
        rule = expected.get(endpoint.name, {})
        if "leader_b" in rule:
            assert response.status_code in _allowed(expected, "leader_b", endpoint)
