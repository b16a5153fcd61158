"""The theme group pages as their users see them: who sees a group, what a member region's leader sees
of its cases, each member region's anchoring, the panels on the region and the case pages, and a
group page whose cost does not grow with the group."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.models import Anchoring, Case
from meetings import services as meeting_services
from tests.factories import MembershipFactory, MunicipalityFactory, RegionFactory
from themes import services
from themes.selectors import anchoring_by_region

from .conftest import oslo, region_case, support


def _detail(group):
    return reverse("themes:group-detail", args=[group.pk])


def _meeting(adviser, region, title, start):
    return meeting_services.meeting_create(
        actor=adviser,
        title=title,
        start=start,
        end=start + datetime.timedelta(hours=2),
        region=region,
        now=start - datetime.timedelta(days=30),
    )


def test_the_adviser_sees_members_with_the_lead_cases_and_meetings_upcoming_first(
    client, group, adviser, leader, region
):
    case = region_case(leader, region, "Bussrute mellom Askim og Ski")
    services.theme_case_add(group=group, case=case, actor=adviser)
    now = timezone.now()
    later = _meeting(adviser, region, "Temamøte om buss", now + datetime.timedelta(days=40))
    sooner = _meeting(adviser, region, "Temamøte om tog", now + datetime.timedelta(days=10))
    earlier = _meeting(adviser, region, "Oppstartsmøte", now - datetime.timedelta(days=10))
    for meeting in (later, earlier, sooner):
        services.theme_meeting_add(group=group, meeting=meeting, actor=adviser)
    client.force_login(adviser)
    page = client.get(_detail(group)).content.decode()
    assert "Lederregion" in page and "Follo" in page
    assert "Bussrute mellom Askim og Ski" in page
    assert page.index("Temamøte om tog") < page.index("Temamøte om buss") < page.index("Oppstartsmøte")
    assert "Tidligere møter" in page


def test_a_member_regions_leader_reads_the_group_and_a_non_member_gets_404(client, group, leader, staff, db):
    outsider_region = RegionFactory(name="Haldenregionen", slug="halden")
    from tests.conftest import make_leader

    outsider = make_leader(outsider_region, "outsider")
    client.force_login(leader)
    assert client.get(_detail(group)).status_code == 200
    assert client.get(reverse("themes:group-edit", args=[group.pk])).status_code == 403
    for user in (outsider, staff):
        client.force_login(user)
        assert client.get(_detail(group)).status_code == 404


def test_a_leader_never_sees_another_regions_internal_case_through_the_group(
    client, group, adviser, leader, other_leader, other_region
):
    internal = region_case(other_leader, other_region, "Intern sak fra Follo")
    shared = region_case(other_leader, other_region, "Delt sak fra Follo", visibility=Case.Visibility.SHARED)
    for case in (internal, shared):
        services.theme_case_add(group=group, case=case, actor=adviser)
    client.force_login(leader)
    page = client.get(_detail(group)).content.decode()
    assert "Delt sak fra Follo" in page
    assert "Intern sak fra Follo" not in page
    link = group.theme_cases.get(case=internal)
    assert client.post(reverse("themes:case-remove", args=[link.pk])).status_code == 404
    client.force_login(other_leader)
    assert "Intern sak fra Follo" in client.get(_detail(group)).content.decode()


def test_each_member_region_shows_which_of_its_municipalities_anchored_the_case(
    client, group, adviser, leader, region, other_region, members, other_members
):
    shared = MunicipalityFactory(name="Delt kommune")
    MembershipFactory(region=region, municipality=shared)
    MembershipFactory(region=other_region, municipality=shared)
    case = region_case(leader, region, "Bussrute mellom Askim og Ski")
    support(case, leader, members[0])
    support(case, leader, shared)
    support(case, leader, members[2], stance=Anchoring.Stance.AGAINST)
    services.theme_case_add(group=group, case=case, actor=adviser)
    found = anchoring_by_region(case_ids=[case.pk], region_ids=[region.pk, other_region.pk])
    assert sorted(found[(case.pk, region.pk)]) == sorted([members[0].name, "Delt kommune"])
    assert found[(case.pk, other_region.pk)] == ["Delt kommune"]
    client.force_login(adviser)
    page = client.get(_detail(group)).content.decode()
    assert "2 av 4 kommuner forankret" in page
    assert "1 av 3 kommuner forankret (Delt kommune)" in page


def test_the_region_page_lists_the_regions_theme_groups(client, group, leader, other_leader, other_region):
    for user in (leader, other_leader):
        client.force_login(user)
        page = client.get(reverse("regions:region-detail", args=[other_region.slug])).content.decode()
        assert "Samferdsel og kollektivtransport" in page


def test_the_case_page_shows_the_groups_the_case_belongs_to(client, group, adviser, leader, region):
    case = region_case(leader, region, "Bussrute mellom Askim og Ski")
    client.force_login(leader)
    assert "Samferdsel og kollektivtransport" not in client.get(case.get_absolute_url()).content.decode()
    services.theme_case_add(group=group, case=case, actor=adviser)
    assert "Samferdsel og kollektivtransport" in client.get(case.get_absolute_url()).content.decode()


def test_the_list_filters_by_member_region(client, group, adviser, region):
    halden = RegionFactory(name="Haldenregionen", slug="halden", host_county=region.host_county)
    services.theme_group_create(
        county=region.host_county, name="Reiseliv", lead_region=halden, regions=[halden], actor=adviser
    )
    client.force_login(adviser)
    page = client.get(reverse("themes:index"), {"region": region.pk}).content.decode()
    assert "Samferdsel og kollektivtransport" in page and "Reiseliv" not in page
    assert client.get(reverse("themes:index"), {"region": "x"}).status_code == 400


def test_creating_a_group_with_a_lead_outside_the_members_shows_the_reason(client, adviser, region, other_region):
    client.force_login(adviser)
    response = client.post(
        reverse("themes:group-create"),
        {"county": region.host_county.pk, "name": "Samferdsel", "regions": [region.pk], "lead_region": other_region.pk},
    )
    assert response.status_code == 400
    assert "Lederregionen må være en av medlemsregionene." in response.content.decode()
    response = client.post(
        reverse("themes:group-create"),
        {
            "county": region.host_county.pk,
            "name": "Samferdsel",
            "regions": [region.pk, other_region.pk],
            "lead_region": other_region.pk,
        },
    )
    assert response.status_code == 302


def _fill(group, adviser, leader, region, members, n, start):
    for i in range(n):
        case = region_case(leader, region, f"Sak {start + i}")
        support(case, leader, members[i % len(members)])
        services.theme_case_add(group=group, case=case, actor=adviser)
        services.theme_meeting_add(
            group=group,
            meeting=_meeting(adviser, region, f"Møte {start + i}", oslo(2027, 1, 1 + start + i, 9)),
            actor=adviser,
        )
        extra = RegionFactory(host_county=region.host_county)
        MembershipFactory(region=extra, municipality=MunicipalityFactory())
        services.theme_member_add(group=group, region=extra, actor=adviser)


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_group_page_costs_the_same_queries_for_a_small_and_a_large_group(
    client, group, adviser, leader, region, members, django_assert_max_num_queries
):
    _fill(group, adviser, leader, region, members, 2, 0)
    client.force_login(leader)
    url = _detail(group)
    client.get(url)
    small = _count(client, url)
    _fill(group, adviser, leader, region, members, 10, 2)
    large = _count(client, url)
    assert small == large
    with django_assert_max_num_queries(12):
        client.get(url)
    client.force_login(adviser)
    client.get(url)
    with django_assert_max_num_queries(12):
        client.get(url)


def test_an_adviser_of_another_county_gets_404_for_the_group_and_its_steps(client, group):
    from accounts.models import User
    from regions.models import Appointment
    from tests.factories import AppointmentFactory, CountyFactory, PersonFactory, UserFactory

    elsewhere = UserFactory(username="innlandet", role=User.Role.ADVISER)
    AppointmentFactory(
        person=PersonFactory(user=elsewhere),
        role=Appointment.Role.COORDINATION_ADVISER,
        region=None,
        county=CountyFactory(number="34", name="Innlandet"),
    )
    client.force_login(elsewhere)
    assert client.get(_detail(group)).status_code == 404
    member = group.members.order_by("pk").last()
    assert client.post(reverse("themes:member-remove", args=[member.pk])).status_code == 404
    assert "Samferdsel og kollektivtransport" not in client.get(reverse("themes:index")).content.decode()
    member.refresh_from_db()
    assert member.left_on is None
