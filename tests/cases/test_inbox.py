"""The inbox shows each lane a page at a time, with its total, however many cases wait."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.models import Case
from cases.selectors import INBOX_LANE_SIZE, case_inbox_counts

from .factories import CaseFactory

pytestmark = pytest.mark.django_db

SUBMITTED = datetime.datetime(2030, 3, 1, 9, 0, tzinfo=datetime.UTC)


def _submitted_cases(region, count, *, start=0, status=Case.Status.SUBMITTED, **fields):
    return [
        CaseFactory(
            origin_region=region,
            status=status,
            title=f"Innkommet {start + n:03d}",
            submitted_at=SUBMITTED + datetime.timedelta(minutes=start + n),
            **fields,
        )
        for n in range(count)
    ]


def _titles(response, lane):
    return [case.title for case in response.context["lanes"][lane].cases]


def test_a_full_lane_shows_a_page_and_a_link_to_the_next(client, adviser, region):
    _submitted_cases(region, INBOX_LANE_SIZE + 5)
    client.force_login(adviser)

    first = client.get(reverse("cases:inbox"))
    page = first.content.decode()

    assert _titles(first, "new") == [f"Innkommet {n:03d}" for n in range(INBOX_LANE_SIZE)]
    assert f"Saker 1–{INBOX_LANE_SIZE} av {INBOX_LANE_SIZE + 5}" in page
    assert 'href="?new_page=2#new">Vis flere</a>' in page
    second = client.get(reverse("cases:inbox"), {"new_page": 2})
    assert _titles(second, "new") == [f"Innkommet {n:03d}" for n in range(INBOX_LANE_SIZE, INBOX_LANE_SIZE + 5)]
    assert 'href="?#new">Vis forrige</a>' in second.content.decode()


def test_turning_one_lanes_page_keeps_the_others_where_they_are(client, adviser, region):
    _submitted_cases(region, INBOX_LANE_SIZE + 1)
    _submitted_cases(region, INBOX_LANE_SIZE + 1, start=100, status=Case.Status.RECEIVED)
    client.force_login(adviser)

    response = client.get(reverse("cases:inbox"), {"received_page": 2})

    assert _titles(response, "received") == ["Innkommet 125"]
    assert len(_titles(response, "new")) == INBOX_LANE_SIZE
    assert 'href="?received_page=2&amp;new_page=2#new">Vis flere</a>' in response.content.decode()


@pytest.mark.parametrize("page", ["x", "0", "-3", "99", "1e9", "２"])
def test_a_page_number_that_is_not_one_shows_a_page_and_no_error(client, adviser, region, page):
    _submitted_cases(region, INBOX_LANE_SIZE + 1)
    client.force_login(adviser)

    response = client.get(reverse("cases:inbox"), {"new_page": page})

    assert response.status_code == 200
    assert len(_titles(response, "new")) in (1, INBOX_LANE_SIZE)


def test_the_lane_counts_are_one_query(adviser, region, django_assert_num_queries):
    _submitted_cases(region, 3)
    CaseFactory(origin_region=region, status=Case.Status.ANSWERED, deadline=datetime.date(2030, 1, 1))
    CaseFactory(origin_region=region, status=Case.Status.RECEIVED, routing_problem="Uklart tema")
    with django_assert_num_queries(1):
        counts = case_inbox_counts(today=datetime.date(2030, 3, 2))
    assert counts == {"flagged": 1, "new": 3, "received": 0, "answered": 1, "overdue": 1, "waiting": 5}


def test_the_inbox_makes_the_same_queries_for_more_cases(client, adviser, region):
    _submitted_cases(region, 2)
    client.force_login(adviser)
    client.get(reverse("cases:inbox"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("cases:inbox"))
    _submitted_cases(region, 3 * INBOX_LANE_SIZE, start=10)
    for status in (Case.Status.RECEIVED, Case.Status.ANSWERED):
        _submitted_cases(region, INBOX_LANE_SIZE + 1, start=500, status=status, deadline=datetime.date(2020, 1, 1))
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("cases:inbox"))
    assert len(response.context["lanes"]["overdue"].cases) == INBOX_LANE_SIZE
    assert len(many) == len(few) <= 12


def test_the_lanes_and_the_start_pages_counts_agree_on_every_kind_of_open_case(adviser, region):
    """The inbox sorts the open cases into lanes in Python, the start page counts them in SQL: for every
    status, with and without a routing problem, a deadline past, today, ahead or none, both say the same,
    and each lane lists its cases oldest first, those without a date last."""
    from cases.selectors import case_inbox_lanes

    today = datetime.date(2030, 3, 10)
    deadlines = [None, today - datetime.timedelta(days=3), today, today + datetime.timedelta(days=3)]
    n = 0
    for status in Case.Status.values:
        for problem in ("", "Uklart"):
            for deadline in deadlines:
                n += 1
                CaseFactory(
                    origin_region=region,
                    status=status,
                    routing_problem=problem,
                    deadline=deadline,
                    title=f"Sak {n:03d}",
                    submitted_at=None if status == Case.Status.DRAFT else SUBMITTED + datetime.timedelta(minutes=n),
                )
    lanes, counts = case_inbox_lanes(today=today, size=200)
    assert counts == case_inbox_counts(today=today)
    assert counts["overdue"] > 0 and counts["flagged"] > 0 and counts["answered"] > 0
    for name, lane in lanes.items():
        assert lane.total == counts[name] == len(lane.cases), name
    assert all(case.deadline < today and case.is_open for case in lanes["overdue"].cases)
    overdue = [(case.deadline, case.pk) for case in lanes["overdue"].cases]
    assert overdue == sorted(overdue)
    answered = [case.deadline for case in lanes["answered"].cases]
    dated = [day for day in answered if day is not None]
    assert answered == sorted(dated) + [None] * (len(answered) - len(dated))
    new = [case.submitted_at for case in lanes["new"].cases]
    assert new == sorted(new)


def test_a_case_flagged_and_then_routed_moves_between_the_inbox_lanes(client, adviser, region, council_area):
    """The lanes read whether a case has a routing problem from a column the database keeps
    (Case.has_routing_problem): flagging a case puts it in "cannot be routed", routing it takes it out."""
    from cases import services

    case = _submitted_cases(region, 1)[0]
    client.force_login(adviser)
    assert _titles(client.get(reverse("cases:inbox")), "new") == ["Innkommet 000"]

    services.case_flag(case=case, actor=adviser, problem="Uklart hvilket rådsområde")
    flagged = client.get(reverse("cases:inbox"))
    assert _titles(flagged, "flagged") == ["Innkommet 000"] and _titles(flagged, "new") == []
    assert case_inbox_counts(today=datetime.date(2030, 3, 2))["flagged"] == 1

    services.case_route(case=Case.objects.get(pk=case.pk), actor=adviser, council_areas=[council_area])
    routed = client.get(reverse("cases:inbox"))
    assert _titles(routed, "flagged") == [] and _titles(routed, "new") == []
    assert case_inbox_counts(today=datetime.date(2030, 3, 2))["flagged"] == 0


def test_the_desk_index_holds_exactly_the_open_cases():
    """The inbox and the start pages read the open cases from the case_open_desk index alone; its
    condition must name the same statuses as Case.OPEN_STATUSES."""
    desk = next(index for index in Case._meta.indexes if index.name == "case_open_desk")
    assert set(dict(desk.condition.children)["status__in"]) == set(Case.OPEN_STATUSES)
