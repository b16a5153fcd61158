"""Advisers and council-area staff see their county's regions (issue 13, item 2); admins and people given
the national view see every county. On the reference data with today's map (2026)."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts.models import User
from cases import services as case_services
from cases.models import Case
from regions.models import Appointment, CouncilArea, County, Region
from regions.selectors import county_scope_for, region_list_in_scope
from tests.cases.factories import CaseFactory
from tests.factories import AppointmentFactory, PersonFactory, UserFactory

TODAY = datetime.date(2026, 11, 30)
OSTFOLD_REGIONS = {"sondre-ostfold", "indre-ostfold", "mosseregionen"}  # Søndre Østfold: reference correction K1


@pytest.fixture
def reference(db):
    call_command("load_reference_data", stdout=io.StringIO())


def _adviser_of(number, username):
    user = UserFactory(username=username, role=User.Role.ADVISER)
    AppointmentFactory(
        person=PersonFactory(user=user, name=username),
        role=Appointment.Role.COORDINATION_ADVISER,
        region=None,
        county=County.objects.get(number=number),
        valid_from=datetime.date(2024, 1, 1),
    )
    return user


@pytest.fixture
def ostfold_adviser(reference):
    return _adviser_of("31", "ostfold")


def _slugs(user):
    return {r.slug for r in region_list_in_scope(user=user, on=TODAY)}


def test_an_ostfold_adviser_sees_ostfolds_regions_and_nothing_of_viken(ostfold_adviser, client):
    assert _slugs(ostfold_adviser) == OSTFOLD_REGIONS
    client.force_login(ostfold_adviser)
    home = client.get(reverse("portal:home")).content.decode()
    # 3 regions (Søndre Østfold replaced Haldenregionen and Nedre Glomma in 2021), 12 municipalities + Vestby
    assert '<p class="h2 mb-0">3</p>' in home and '<p class="h2 mb-0">13</p>' in home
    registry = client.get(reverse("regions:index")).content.decode()
    assert "<h1>Østfold" in registry and "Follo" not in registry


def test_a_region_shared_by_two_counties_is_seen_by_both(ostfold_adviser):
    akershus = _adviser_of("32", "akershus")
    assert "mosseregionen" in _slugs(akershus) and "mosseregionen" in _slugs(ostfold_adviser)
    assert "follo" in _slugs(akershus) and "indre-ostfold" not in _slugs(akershus)


def test_on_new_year_2020_the_registry_shows_viken_as_before(ostfold_adviser, client):
    client.force_login(ostfold_adviser)
    html = client.get(reverse("regions:index"), {"dato": "2020-01-01"}).content.decode()
    assert "<h1>Viken" in html
    assert html.count('<section class="card h-100"') == 14


def test_admins_people_given_it_and_advisers_without_a_county_see_every_county(reference):
    admin = UserFactory(username="admin", role=User.Role.ADMIN)
    national = UserFactory(username="national", role=User.Role.ADVISER, national_view=True)
    plain = UserFactory(username="plain", role=User.Role.ADVISER)
    for user in (admin, national, plain):
        assert county_scope_for(user=user) is None
        assert len(_slugs(user)) == Region.objects.valid_on(TODAY).count()


def test_council_area_staff_belong_to_their_areas_county(reference):
    user = UserFactory(username="staff", role=User.Role.COUNCIL_AREA_STAFF)
    area = CouncilArea.objects.get(county__number="31", slug="fylkesutvalget")
    AppointmentFactory(
        person=PersonFactory(user=user, name="staff"),
        role=Appointment.Role.COUNCIL_AREA_STAFF,
        region=None,
        council_area=area,
        valid_from=datetime.date(2024, 1, 1),
    )
    assert _slugs(user) == OSTFOLD_REGIONS


def test_agreements_list_shows_the_advisers_county(ostfold_adviser, client):
    client.force_login(ostfold_adviser)
    html = client.get(reverse("partnerships:index")).content.decode()
    assert "Indre Østfold" in html and "Mosseregionen" in html
    assert "Follo" not in html and "Hallingdal" not in html


def test_inbox_and_cases_are_the_advisers_county(ostfold_adviser, client):
    ours = CaseFactory(origin_region=Region.objects.get(slug="indre-ostfold"), status=Case.Status.SUBMITTED)
    theirs = CaseFactory(origin_region=Region.objects.get(slug="follo"), status=Case.Status.SUBMITTED)
    client.force_login(ostfold_adviser)
    inbox = client.get(reverse("cases:inbox")).content.decode()
    assert ours.title in inbox and theirs.title not in inbox
    assert client.get(reverse("cases:case-detail", args=[theirs.pk])).status_code == 404
    national = UserFactory(username="national", role=User.Role.ADVISER, national_view=True)
    client.force_login(national)
    assert theirs.title in client.get(reverse("cases:inbox")).content.decode()


def test_send_to_every_region_stays_in_the_advisers_county(ostfold_adviser):
    area = CouncilArea.objects.get(county__number="31", slug="fylkesutvalget")
    case = CaseFactory(
        origin_region=None,
        origin_council_area=area,
        direction=Case.Direction.COUNTY_TO_REGIONS,
        status=Case.Status.SUBMITTED,
    )
    case_services.case_regions_send(case=case, actor=ostfold_adviser, regions=None)
    assert set(case.region_requests.values_list("region__slug", flat=True)) == OSTFOLD_REGIONS


def test_a_case_sent_to_every_region_of_the_county_is_listed_once(ostfold_adviser):
    from cases.selectors import case_list_visible_to

    area = CouncilArea.objects.get(county__number="31", slug="fylkesutvalget")
    case = CaseFactory(
        origin_region=None,
        origin_council_area=area,
        direction=Case.Direction.COUNTY_TO_REGIONS,
        status=Case.Status.SUBMITTED,
    )
    case_services.case_regions_send(case=case, actor=ostfold_adviser, regions=None)
    assert list(case_list_visible_to(user=ostfold_adviser).values_list("pk", flat=True)) == [case.pk]


def test_the_case_page_offers_the_advisers_county_regions_to_send_to(ostfold_adviser):
    from cases.forms import RegionsSendForm

    choices = {r.slug for r in RegionsSendForm(user=ostfold_adviser).fields["regions"].queryset}
    assert choices == OSTFOLD_REGIONS
    follo = Region.objects.get(slug="follo")
    assert not RegionsSendForm({"regions": [follo.pk]}, user=ostfold_adviser).is_valid()


def test_a_new_case_is_written_on_behalf_of_the_advisers_county_only(ostfold_adviser):
    """The new-case form's senders: Østfold's regions and council areas, not every county's."""
    from cases.forms import CaseForm

    form = CaseForm(user=ostfold_adviser)
    assert {r.slug for r in form.fields["origin_region"].queryset} == OSTFOLD_REGIONS
    counties = {a.county.number for a in form.fields["origin_council_area"].queryset.select_related("county")}
    assert counties == {"31"}
    follo = Region.objects.get(slug="follo")
    posted = CaseForm({"direction": "region_to_county", "origin_region": follo.pk}, user=ostfold_adviser)
    assert not posted.is_valid() and "origin_region" in posted.errors


def test_an_ostfold_case_is_routed_to_ostfolds_council_areas(ostfold_adviser):
    from cases.selectors import council_areas_for_routing

    case = CaseFactory(origin_region=Region.objects.get(slug="indre-ostfold"), created_by=ostfold_adviser)
    areas = list(council_areas_for_routing(case=case, on=TODAY).select_related("county"))
    assert areas and {a.county.number for a in areas} == {"31"}
    follo = CaseFactory(origin_region=Region.objects.get(slug="follo"), created_by=ostfold_adviser)
    assert {a.county.number for a in council_areas_for_routing(case=follo, on=TODAY).select_related("county")} == {"32"}


def test_a_case_is_assigned_to_an_adviser_of_its_county_or_one_who_works_nationally(ostfold_adviser):
    from django.core.exceptions import ValidationError

    from cases.forms import AssignForm
    from cases.selectors import advisers_for_case

    akershus = _adviser_of("32", "akershus")
    national = UserFactory(username="national", role=User.Role.ADVISER, national_view=True)
    case = CaseFactory(origin_region=Region.objects.get(slug="indre-ostfold"), created_by=ostfold_adviser)
    assert set(advisers_for_case(case=case, on=TODAY)) == {ostfold_adviser, national}
    assert not AssignForm({"assignee": akershus.pk}, advisers=advisers_for_case(case=case)).is_valid()
    case.status = Case.Status.SUBMITTED
    case.save()
    with pytest.raises(ValidationError) as refused:
        case_services.case_assign(case=case, actor=ostfold_adviser, assignee=akershus)
    assert refused.value.message_dict == {"assignee": ["Bare en rådgiver i sakens fylke kan få saken."]}
    assert Case.objects.get(pk=case.pk).assigned_to is None
    case_services.case_assign(case=case, actor=ostfold_adviser, assignee=national)
    assert Case.objects.get(pk=case.pk).assigned_to == national


def test_the_daily_digest_counts_the_advisers_county(ostfold_adviser):
    from cases.renderers import render_digest
    from notifications.models import Message

    CaseFactory(origin_region=Region.objects.get(slug="indre-ostfold"), status=Case.Status.SUBMITTED)
    CaseFactory(origin_region=Region.objects.get(slug="follo"), status=Case.Status.SUBMITTED)
    message = Message(recipient=ostfold_adviser, kind="cases.digest", payload={"day": TODAY.isoformat()})
    subject = render_digest(message).subject
    assert ": 1 " in subject and ": 2 " not in subject  # "Saker i dag: 1 nye, 1 venter, …" in the adviser's language


def test_the_start_page_panels_count_the_advisers_county(ostfold_adviser, client):
    CaseFactory(origin_region=Region.objects.get(slug="indre-ostfold"), status=Case.Status.SUBMITTED)
    CaseFactory(origin_region=Region.objects.get(slug="follo"), status=Case.Status.SUBMITTED)
    from cases.panels import home_panel

    request = type("Request", (), {"user": ostfold_adviser})()
    assert home_panel(request)["context"]["counts"]["new"] == 1


def test_a_new_case_is_announced_to_the_advisers_of_its_county_and_those_who_work_nationally(ostfold_adviser):
    """Nobody has taken the case yet: Østfold's advisers and the national ones are told, Akershus's are
    not (Indre Østfold is an Østfold region only)."""
    from notifications.models import Message
    from tests.conftest import make_leader

    akershus = _adviser_of("32", "akershus")
    national = UserFactory(username="national", role=User.Role.ADVISER)
    region = Region.objects.get(slug="indre-ostfold")
    leader = make_leader(region, "leder-io")
    case = case_services.case_create(
        actor=leader,
        title="Fylkesvei 120",
        description="Gang- og sykkelvei.",
        topic=Case.Topic.NTP,
        origin_region=region,
    )
    case_services.case_submit(case=case, actor=leader)

    told = set(Message.objects.filter(recipient__role=User.Role.ADVISER).values_list("recipient__username", flat=True))
    assert told == {ostfold_adviser.username, national.username}
    assert akershus.username not in told
