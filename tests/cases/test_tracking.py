"""The tracking page counts in the database: the same numbers as counting case by case in Python, and
the same number of queries however many cases there are."""

import datetime
import statistics
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.models import Anchoring, Case, Routing
from cases.selectors import case_anchoring_strength, case_list_visible_to, overdue_q, tracking_data
from cases.services import case_anchoring_recount
from tests.factories import CouncilAreaFactory, MembershipFactory, MunicipalityFactory, RegionFactory, UserFactory

from .factories import CaseFactory

pytestmark = pytest.mark.django_db

OSLO = ZoneInfo("Europe/Oslo")
# Last year, so that the page (which counts the last twelve months, or a year it offers) shows it as
# `?aar=YEAR`, and the selector's default period up to TODAY holds it.
YEAR = datetime.date.today().year - 1
TODAY = datetime.date(YEAR, 6, 1)


def _at(day, hour=10, minute=0):
    return datetime.datetime(YEAR, *day, hour, minute, tzinfo=OSLO)


def _reference(*, user, today):
    """What the page showed before it counted in the database: every routing and case in Python."""
    cases = case_list_visible_to(user=user)
    routings = (
        Routing.objects.filter(case__in=cases.values("pk"))
        .exclude(state=Routing.State.CANCELLED)
        .select_related("case", "case__origin_region", "council_area")
    )
    regions, areas, cells, days_by_area = {}, {}, {}, {}
    for routing in routings:
        region = routing.case.origin_region
        if region is None:
            continue
        regions[region.pk] = region
        areas[routing.council_area_id] = routing.council_area
        cell = cells.setdefault((region.pk, routing.council_area_id), {"open": 0, "answered": 0})
        if routing.state == Routing.State.ANSWERED:
            cell["answered"] += 1
            if routing.answered_at and routing.case.submitted_at:
                days = (routing.answered_at - routing.case.submitted_at).total_seconds() / 86400
                days_by_area.setdefault(routing.council_area_id, []).append(days)
        else:
            cell["open"] += 1
    area_list = sorted(areas.values(), key=lambda a: a.name)
    matrix = []  # one table per county of the areas: the regions whose cases reached them
    for county in sorted({area.county for area in area_list}, key=lambda c: c.number):
        county_areas = [area for area in area_list if area.county == county]
        rows = [
            (
                region.pk,
                [
                    (area.pk, *cells.get((region.pk, area.pk), {"open": 0, "answered": 0}).values())
                    for area in county_areas
                ],
            )
            for region in sorted(regions.values(), key=lambda r: r.name)
            if any((region.pk, area.pk) in cells for area in county_areas)
        ]
        matrix.append((county.pk, rows))
    medians = [
        (
            area.pk,
            statistics.median(days_by_area[area.pk]) if area.pk in days_by_area else None,
            len(days_by_area.get(area.pk, [])),
        )
        for area in area_list
    ]
    overdue = [case.pk for case in cases.filter(overdue_q(today)).order_by("deadline", "pk")]
    by_topic = {}
    submitted = cases.filter(direction=Case.Direction.REGION_TO_COUNTY, submitted_at__isnull=False).exclude(
        status=Case.Status.WITHDRAWN
    )
    for case in submitted:
        strength = case_anchoring_strength(case=case)
        if strength is None or not strength.total:
            continue
        by_topic.setdefault(case.topic, {}).setdefault(case.origin_region, []).append(strength.share)
    anchoring = [
        (
            topic,
            [
                (region.pk, len(shares), round(100 * sum(shares) / len(shares)))
                for region, shares in sorted(per_region.items(), key=lambda item: item[0].name)
            ],
        )
        for topic, per_region in sorted(by_topic.items())
    ]
    return matrix, medians, overdue, anchoring


def _shown(data):
    matrix = [
        (
            table["county"].pk,
            [
                (row["region"].pk, [(c["area"].pk, c["open"], c["answered"]) for c in row["cells"]])
                for row in table["rows"]
            ],
        )
        for table in data["matrices"]
    ]
    medians = [(row["area"].pk, row["median"], row["count"]) for row in data["medians"]]
    overdue = [case.pk for case in data["overdue"]]
    anchoring = [
        (group["topic"], [(r["region"].pk, r["cases"], r["percent"]) for r in group["rows"]])
        for group in data["anchoring"]
    ]
    return matrix, medians, overdue, anchoring


@pytest.fixture
def world(db):
    """Three regions (one without members), three council areas, open, answered and cancelled
    routings with odd and even numbers of answers per area, and anchorings that count or do not."""
    adviser = UserFactory(username="tracking-adviser", role="adviser")
    east, west, empty = (
        RegionFactory(name="Øst"),
        RegionFactory(name="Vest"),
        RegionFactory(name="Tom"),
    )
    roads, schools, health = (
        CouncilAreaFactory(name="Samferdsel"),
        CouncilAreaFactory(name="Utdanning"),
        CouncilAreaFactory(name="Helse"),
    )
    east_members = [MembershipFactory(region=east).municipality for _ in range(3)]
    # Joins east on 4 March (Oslo time): a case submitted at 00:30 that day counts it, one at 23:30
    # the evening before (the same UTC date as the first) does not.
    late_joiner = MunicipalityFactory()
    MembershipFactory(region=east, municipality=late_joiner, valid_from=datetime.date(YEAR, 3, 4))
    # Left west on 1 March: counted before, not after.
    leaver = MunicipalityFactory()
    MembershipFactory(region=west, municipality=leaver, valid_to=datetime.date(YEAR, 3, 1))
    west_members = [MembershipFactory(region=west).municipality for _ in range(2)]
    # A municipality in both regions.
    MembershipFactory(region=west, municipality=east_members[0])

    def case(region, *, submitted, topic=Case.Topic.NTP, status=Case.Status.ROUTED, deadline=None):
        return CaseFactory(
            origin_region=region,
            topic=topic,
            status=status,
            submitted_at=submitted,
            deadline=deadline,
            created_by=adviser,
        )

    def route(case_, area, *, answered=None, state=None):
        return Routing.objects.create(
            case=case_,
            council_area=area,
            routed_by=adviser,
            routed_at=case_.submitted_at or _at((3, 1)),
            answered_at=answered,
            state=state or (Routing.State.ANSWERED if answered else Routing.State.PENDING),
        )

    def anchor(case_, municipality, *, stance=Anchoring.Stance.SUPPORTS, body=Anchoring.Body.COUNCIL):
        Anchoring.objects.create(
            case=case_,
            municipality=municipality,
            stance=stance,
            body=body,
            recorded_by=adviser,
            recorded_at=_at((5, 1)),
        )

    before_midnight = case(east, submitted=_at((3, 3), 23, 30))
    after_midnight = case(east, submitted=_at((3, 4), 0, 30))
    for c in (before_midnight, after_midnight):
        anchor(c, east_members[0])
        anchor(c, late_joiner)
    anchor(after_midnight, east_members[1], stance=Anchoring.Stance.AGAINST)
    anchor(after_midnight, east_members[2], body=Anchoring.Body.MAYOR)
    route(before_midnight, roads, answered=_at((3, 10), 12))
    route(after_midnight, roads, answered=_at((3, 6), 9))
    route(after_midnight, schools)
    route(after_midnight, health, state=Routing.State.CANCELLED)

    early_west = case(west, submitted=_at((2, 20)), topic=Case.Topic.REGIONAL_PLAN)
    late_west = case(west, submitted=_at((3, 20)), topic=Case.Topic.REGIONAL_PLAN, deadline=datetime.date(YEAR, 5, 1))
    anchor(early_west, leaver)
    anchor(early_west, west_members[0])
    anchor(late_west, leaver)  # no longer a member on the submission day
    anchor(late_west, east_members[0])
    route(early_west, roads, answered=_at((3, 2), 8))
    route(early_west, schools, answered=_at((4, 2), 8))
    route(late_west, schools, answered=_at((3, 21), 8))
    route(late_west, roads)
    route(late_west, health, answered=_at((3, 25)))
    withdrawn = case(west, submitted=_at((3, 1)), status=Case.Status.WITHDRAWN)
    anchor(withdrawn, west_members[1])
    route(withdrawn, health, state=Routing.State.CANCELLED)

    no_members = case(empty, submitted=_at((3, 5)), deadline=datetime.date(YEAR, 4, 1))
    route(no_members, health, answered=_at((3, 5), 11))
    case(east, submitted=_at((3, 6)), status=Case.Status.SUBMITTED, deadline=datetime.date(YEAR, 4, 1))
    case(east, submitted=None, status=Case.Status.DRAFT, deadline=datetime.date(YEAR, 1, 1))
    # The rows were written without the services, as a bulk load would: the nightly recount.
    case_anchoring_recount()
    return adviser


def test_tracking_counts_as_going_through_every_case_did(world):
    shown = _shown(tracking_data(user=world, today=TODAY))
    matrix, medians, overdue, anchoring = _reference(user=world, today=TODAY)

    assert shown[0] == matrix
    assert [(area, count) for area, _median, count in shown[1]] == [(area, count) for area, _median, count in medians]
    assert [m for _area, m, _count in shown[1]] == pytest.approx([m for _area, m, _count in medians])
    assert shown[2] == overdue
    assert shown[3] == anchoring
    # The fixture reaches what it is meant to: both regions with members, an area with an even number
    # of answers (the median lies between two) and with an odd one, and a share that is not whole.
    assert len(matrix) == 1
    assert [len(row[1]) for row in matrix[0][1]] == [3, 3, 3]
    assert sorted(count for _area, _median, count in medians) == [2, 2, 3]
    rows = matrix[0][1]
    assert anchoring == [("ntp", [(rows[2][0], 3, 28)]), ("regional_plan", [(rows[1][0], 2, 42)])]


def test_the_tracking_page_makes_the_same_queries_for_more_cases(client, world):
    client.force_login(world)
    url = reverse("cases:tracking") + f"?aar={YEAR}"
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    region = RegionFactory(name="Ny")
    area = CouncilAreaFactory(name="Næring")
    municipality = MembershipFactory(region=region).municipality
    for day in range(1, 21):
        case = CaseFactory(
            origin_region=region,
            status=Case.Status.ROUTED,
            topic=Case.Topic.OTHER,
            submitted_at=_at((3, day)),
            deadline=datetime.date(YEAR, 4, day),
            created_by=world,
        )
        Routing.objects.create(
            case=case,
            council_area=area,
            routed_by=world,
            routed_at=case.submitted_at,
            answered_at=_at((4, day)),
            state=Routing.State.ANSWERED,
        )
        Anchoring.objects.create(
            case=case, municipality=municipality, stance="supports", recorded_by=world, recorded_at=_at((5, 1))
        )
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert len(many) == len(few)
    assert "Ny" in response.content.decode()


def test_tracking_lists_the_first_overdue_cases_and_says_how_many(world):
    data = tracking_data(user=world, today=TODAY, overdue_limit=2)
    assert len(data["overdue"]) == 2
    assert data["overdue_count"] == 3
    assert tracking_data(user=world, today=TODAY)["overdue_count"] == 3


def test_the_tracking_page_shows_one_table_per_county_of_the_council_areas(client, db):
    """A region whose cases reach two counties' areas is a row in both tables; a region that reached
    only one county's areas is not a row of the other's; each cell links to its cases."""
    adviser = UserFactory(username="tracking-two-counties", role="adviser")
    from tests.factories import CountyFactory

    ostfold = CountyFactory(number="31", name="Østfold", valid_from=datetime.date(2024, 1, 1), valid_to=None)
    akershus = CountyFactory(number="32", name="Akershus", valid_from=datetime.date(2024, 1, 1), valid_to=None)
    roads_31 = CouncilAreaFactory(county=ostfold, name="Samferdsel")
    roads_32 = CouncilAreaFactory(county=akershus, name="Samferdsel")
    border, inland = RegionFactory(name="Grenseregionen"), RegionFactory(name="Innlandsregionen")
    for region, areas in ((border, [roads_31, roads_32]), (inland, [roads_31])):
        case = CaseFactory(
            origin_region=region, status=Case.Status.ROUTED, submitted_at=_at((3, 1)), created_by=adviser
        )
        for area in areas:
            Routing.objects.create(case=case, council_area=area, routed_by=adviser, routed_at=_at((3, 1)))

    tables = tracking_data(user=adviser, today=TODAY)["matrices"]
    assert [(t["county"].name, [row["region"].name for row in t["rows"]]) for t in tables] == [
        ("Østfold", ["Grenseregionen", "Innlandsregionen"]),
        ("Akershus", ["Grenseregionen"]),
    ]
    client.force_login(adviser)
    page = client.get(reverse("cases:tracking"), {"aar": YEAR}).content.decode()
    assert page.count("<caption>Østfold:") == 1 and page.count("<caption>Akershus:") == 1
    assert f'?region={border.pk}&amp;council_area={roads_32.pk}">åpne: 1, besvart: 0</a>' in page


def test_tracking_shows_the_last_twelve_months_or_a_chosen_year(client, db):
    """A routing from two years ago is not in the default period, but in its year; a year the page does
    not offer (or text) falls back to the last twelve months with no error."""
    adviser = UserFactory(username="tracking-period", role="adviser")
    region, area = RegionFactory(name="Fjernregionen"), CouncilAreaFactory(name="Kultur")
    today = datetime.date.today()
    old_day = datetime.datetime(today.year - 2, 5, 2, 10, tzinfo=OSLO)
    case = CaseFactory(origin_region=region, status=Case.Status.ROUTED, submitted_at=old_day, created_by=adviser)
    Routing.objects.create(case=case, council_area=area, routed_by=adviser, routed_at=old_day)
    client.force_login(adviser)
    url = reverse("cases:tracking")

    assert "Fjernregionen" not in client.get(url).content.decode()
    page = client.get(url, {"aar": today.year - 2}).content.decode()
    assert "åpne: 1, besvart: 0" in page and f"i {today.year - 2};" in page
    for wrong in ("abc", "1900", str(today.year + 1)):
        response = client.get(url, {"aar": wrong})
        assert response.status_code == 200 and "åpne: 1" not in response.content.decode()
        assert "siste tolv månedene" in response.content.decode()
