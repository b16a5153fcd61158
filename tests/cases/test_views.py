"""Pages: who sees what, steps offered and refused by URL, other regions' cases, attachments and exports."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from cases import services
from cases.models import Case, RegionRequest, Routing
from tests.cases.factories import CaseFactory
from tests.partnerships.factories import an_adviser

from .conftest import NOW

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def step_url(case, step):
    return reverse("cases:case-step", kwargs={"pk": case.pk, "step": step})


def test_leader_sees_own_case_page_with_submit_button(client, leader, draft):
    client.force_login(leader)
    response = client.get(draft.get_absolute_url())
    assert response.status_code == 200
    assert step_url(draft, "submit") in response.content.decode()
    assert step_url(draft, "route") not in response.content.decode()


def test_other_regions_leader_gets_404_for_internal_case(client, other_leader, submitted):
    client.force_login(other_leader)
    assert client.get(submitted.get_absolute_url()).status_code == 404
    assert client.post(step_url(submitted, "withdraw")).status_code == 404


def test_other_regions_leader_sees_shared_case_but_cannot_act(client, other_leader, submitted):
    submitted.visibility = Case.Visibility.SHARED
    submitted.save()
    client.force_login(other_leader)
    page = client.get(submitted.get_absolute_url())
    assert page.status_code == 200
    assert step_url(submitted, "withdraw") not in page.content.decode()
    assert client.post(step_url(submitted, "withdraw")).status_code == 403
    submitted.refresh_from_db()
    assert submitted.status == Case.Status.SUBMITTED


def test_leader_posting_an_adviser_step_gets_403(client, leader, submitted, council_area):
    client.force_login(leader)
    response = client.post(step_url(submitted, "route"), {"council_areas": [council_area.pk]})
    assert response.status_code == 403
    assert not submitted.routings.exists()


def test_adviser_step_in_wrong_status_gives_message_and_no_change(client, adviser, draft):
    client.force_login(adviser)
    response = client.post(step_url(draft, "receive"), follow=True)
    assert response.status_code == 200
    assert any(m.level_tag == "error" for m in response.context["messages"])
    draft.refresh_from_db()
    assert draft.status == Case.Status.DRAFT


def test_adviser_routes_via_page(client, adviser, submitted, council_area):
    client.force_login(adviser)
    response = client.post(step_url(submitted, "route"), {"council_areas": [council_area.pk], "comment": ""})
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == Case.Status.ROUTED


def test_routing_with_nothing_chosen_shows_error(client, adviser, submitted):
    client.force_login(adviser)
    response = client.post(step_url(submitted, "route"), {}, follow=True)
    assert any(m.level_tag == "error" for m in response.context["messages"])
    submitted.refresh_from_db()
    assert submitted.status == Case.Status.SUBMITTED


def test_staff_answers_routed_case_through_page(client, staff, routed):
    client.force_login(staff)
    routing = routed.routings.get()
    page = client.get(routed.get_absolute_url()).content.decode()
    assert reverse("cases:routing-answer", args=[routing.pk]) in page
    client.post(reverse("cases:routing-answer", args=[routing.pk]), {"text": "Svar fra samferdsel"})
    routed.refresh_from_db()
    assert routed.status == Case.Status.ANSWERED


def test_staff_cannot_see_cases_not_routed_to_them(client, staff, submitted):
    client.force_login(staff)
    assert client.get(submitted.get_absolute_url()).status_code == 404


def test_leader_gets_404_for_other_regions_attachment(client, leader, other_leader, other_region):
    other_case = services.case_create(actor=other_leader, title="Follo-sak", origin_region=other_region, now=NOW)
    attachment = services.attachment_add(
        case=other_case, actor=other_leader, uploaded_file=SimpleUploadedFile("v.pdf", PDF), now=NOW
    )
    client.force_login(leader)
    assert client.get(attachment.get_absolute_url()).status_code == 404
    client.force_login(other_leader)
    response = client.get(attachment.get_absolute_url())
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF


def test_inbox_is_for_advisers(client, adviser, leader, submitted):
    client.force_login(leader)
    assert client.get(reverse("cases:inbox")).status_code == 403
    client.force_login(adviser)
    response = client.get(reverse("cases:inbox"))
    assert response.status_code == 200
    assert submitted.title in response.content.decode()


def test_list_and_tracking_pages_render(client, adviser, routed):
    # Tracking counts the last twelve months; the fixtures live in 2030.
    Routing.objects.filter(case=routed).update(routed_at=timezone.now())
    client.force_login(adviser)
    assert client.get(reverse("cases:index")).status_code == 200
    response = client.get(reverse("cases:tracking"))
    assert response.status_code == 200
    assert "<caption>" in response.content.decode()
    # One open case reads right in bokmål too ("1 åpne" was wrong; a label needs no plural).
    assert "åpne: 1, besvart: 0" in response.content.decode()


def test_case_list_filters_by_status_and_text(client, adviser, region):
    CaseFactory(origin_region=region, title="Bompenger på E18", status=Case.Status.SUBMITTED)
    CaseFactory(origin_region=region, title="Skolebuss", status=Case.Status.DRAFT)
    client.force_login(adviser)
    response = client.get(reverse("cases:index"), {"q": "bompenger"})
    assert [c.title for c in response.context["cases"]] == ["Bompenger på E18"]
    response = client.get(reverse("cases:index"), {"status": "draft"})
    assert [c.title for c in response.context["cases"]] == ["Skolebuss"]


def _csv_titles(response):
    assert response.streaming
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    return [row[1] for row in rows[1:]]


def test_export_contains_only_visible_cases(client, leader, region, other_region):
    CaseFactory(origin_region=region, title="Vår sak")
    CaseFactory(origin_region=other_region, title="Follos interne sak", status=Case.Status.SUBMITTED)
    client.force_login(leader)
    response = client.get(reverse("cases:export", args=["csv"]))
    assert response["Content-Disposition"].startswith("attachment")
    assert _csv_titles(response) == ["Vår sak"]
    response = client.get(reverse("cases:export", args=["csv"]), {"region": other_region.pk})
    assert _csv_titles(response) == []


def test_export_matches_the_filtered_list(client, adviser, region, other_region):
    CaseFactory(origin_region=region, title="A", topic=Case.Topic.NTP)
    CaseFactory(origin_region=region, title="B", topic=Case.Topic.OTHER)
    CaseFactory(origin_region=other_region, title="C", topic=Case.Topic.NTP)
    client.force_login(adviser)
    params = {"topic": "ntp", "region": region.pk}
    listed = [c.title for c in client.get(reverse("cases:index"), params).context["cases"]]
    assert listed == ["A"]
    assert _csv_titles(client.get(reverse("cases:export", args=["csv"]), params)) == listed
    xlsx = client.get(reverse("cases:export", args=["xlsx"]), params)
    sheet = load_workbook(io.BytesIO(b"".join(xlsx.streaming_content))).active
    assert [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)] == listed


def test_export_neutralises_formulas(client, adviser, region):
    CaseFactory(origin_region=region, title='=HYPERLINK("http://x")')
    client.force_login(adviser)
    assert _csv_titles(client.get(reverse("cases:export", args=["csv"]))) == ['\'=HYPERLINK("http://x")']


def test_unknown_export_format_is_404(client, adviser):
    client.force_login(adviser)
    assert client.get(reverse("cases:export", args=["pdf"])).status_code == 404


def test_create_case_page(client, leader, region):
    client.force_login(leader)
    assert client.get(reverse("cases:case-create")).status_code == 200
    response = client.post(
        reverse("cases:case-create"),
        {
            "title": "Ny sak",
            "description": "",
            "topic": "ntp",
            "urgency": "normal",
            "visibility": "internal",
            "direction": "region_to_county",
            "origin_region": region.pk,
            "deadline": "2001-01-01",
        },
    )
    assert response.status_code == 200
    assert "deadline" in response.context["form"].errors
    assert not Case.objects.exists()


def test_user_without_appointment_cannot_create(client):
    from tests.factories import UserFactory

    user = UserFactory(role="region_leader")
    client.force_login(user)
    assert client.get(reverse("cases:case-create")).status_code == 403


def test_home_panel_shows_inbox_counts_for_adviser(client, adviser, submitted):
    client.force_login(adviser)
    response = client.get(reverse("portal:home"))
    assert reverse("cases:inbox") in response.content.decode()


def test_topic_mapping_suggests_council_area_in_inbox(client, adviser, submitted, council_area):
    client.force_login(adviser)
    client.post(reverse("cases:topic-mapping"), {f"topic_{submitted.topic}": council_area.pk})
    response = client.get(reverse("cases:inbox"))
    assert response.context["inbox"]["new"][0].suggested == council_area


def test_words_shared_with_other_apps_keep_the_cases_wording(client, adviser, leader):
    """Django lets the app listed first win a msgid: "Cancel" came out as the meetings app's "Avlys"
    (cancel a meeting) on the case form, "New" as "Ny", the topic "Other" as "Annen"."""
    client.force_login(leader)
    form = client.get(reverse("cases:case-create")).content.decode()
    assert ">Avbryt</a>" in form and "Avlys" not in form
    assert '<option value="other">Annet</option>' in form
    assert ">Filtrer</button>" in client.get(reverse("cases:index")).content.decode()  # not the admin's "Filtrering"
    client.force_login(adviser)
    inbox = client.get(reverse("cases:inbox")).content.decode()
    assert '<h2 id="new" class="h4">Nye</h2>' in inbox


def test_case_form_offers_a_leader_only_their_regions_current_priorities(client, leader, region, other_region):
    """The form listed every region's priorities, old versions too, unlabelled, and an empty
    "Fra rådsområde" list to region leaders."""
    from partnerships.models import SpecialPart
    from tests.partnerships.factories import adopted_general_part, draft_agreement

    for county in {region.host_county, other_region.host_county}:
        adopted_general_part(county)
    draft_agreement(region, priorities=["Vår satsing"])
    draft_agreement(other_region, priorities=["Naboens satsing"])
    client.force_login(leader)
    form = client.get(reverse("cases:case-create")).content.decode()
    assert f"{region.name}: Vår satsing" in form
    assert "Naboens satsing" not in form
    assert 'name="origin_council_area"' not in form
    SpecialPart.objects.filter(region=region).update(status=SpecialPart.Status.SUPERSEDED)
    assert "Vår satsing" not in client.get(reverse("cases:case-create")).content.decode()


def test_chart_values_are_written_the_norwegian_way():
    """The bar chart said "2.5 dager" beside a table saying "2,5"."""
    from django.utils import translation

    from cases.svg import bar_chart

    with translation.override("nb"):
        svg = bar_chart([("Samferdsel", 2.5), ("Næring", 3.0)], unit="dager", title="Svartid")
    assert "2,5 dager" in svg and "3 dager" in svg and "2.5" not in svg


def test_the_council_area_filter_tells_two_periods_areas_with_one_name_apart(client, adviser):
    import datetime

    from tests.factories import CouncilAreaFactory

    CouncilAreaFactory(
        name="Utdanning",
        slug="utdanning-1",
        valid_from=datetime.date(2019, 10, 17),
        valid_to=datetime.date(2021, 10, 14),
    )
    CouncilAreaFactory(name="Utdanning", slug="utdanning-2", valid_from=datetime.date(2021, 10, 14), valid_to=None)
    client.force_login(adviser)

    page = client.get(reverse("cases:index")).content.decode()

    assert "Utdanning, Viken (2019–2021)" in page
    assert "Utdanning, Viken (2021–)" in page


def test_the_council_area_filter_tells_two_counties_areas_with_one_name_apart(client, adviser):
    """Each county has its own "Samferdsel": an adviser with the national view sees which is which."""
    import datetime

    from tests.factories import CouncilAreaFactory, CountyFactory

    start = datetime.date(2024, 1, 1)
    for number, name in (("31", "Østfold"), ("33", "Buskerud")):
        county = CountyFactory(number=number, name=name, valid_from=start, valid_to=None)
        CouncilAreaFactory(name="Samferdsel", slug=f"samferdsel-{number}", county=county, valid_from=start)
    client.force_login(adviser)

    page = client.get(reverse("cases:index")).content.decode()

    assert "Samferdsel, Buskerud (2024–)" in page and "Samferdsel, Østfold (2024–)" in page


def _bar_widths(svg):
    import re

    return [int(width) for width in re.findall(r'<rect [^>]*width="(\d+)"', svg)]


def test_a_response_time_of_0_days_is_not_drawn_as_a_full_bar(client, adviser):
    """The tracking chart drew "0,0 dager" (answered the same day) as a full-width bar: the longest bar
    was the scale. Bars are drawn against at least a week, and zero draws none."""
    from cases.svg import CHART_WIDTH, bar_chart

    same_day = bar_chart([("Samferdsel", 0.02)], unit="dager", scale_at_least=7, title="Svartid")
    nothing = bar_chart([("Samferdsel", 0.0), ("Næring", 14.0)], unit="dager", scale_at_least=7, title="Svartid")
    slow = bar_chart([("Samferdsel", 3.5), ("Næring", 14.0)], unit="dager", scale_at_least=7, title="Svartid")
    assert _bar_widths(same_day) == [1]
    assert _bar_widths(nothing) == [0, CHART_WIDTH]
    assert _bar_widths(slow) == [CHART_WIDTH // 4, CHART_WIDTH]


def test_the_timeline_names_changed_fields_in_norwegian(client, adviser, region, leader):
    """The trail read "Endret (Lars Leder) title, description"."""
    from cases import services

    case = services.case_create(actor=leader, title="Bussvei", description="Første utkast", origin_region=region)
    services.case_update(case=case, actor=leader, title="Ny bussvei", description="Andre utkast")
    client.force_login(leader)
    page = client.get(case.get_absolute_url()).content.decode()
    assert "tittel, beskrivelse" in page
    assert "title, description" not in page


def test_case_form_lists_the_adopted_agreements_priorities_once_not_the_draft_under_negotiation(client, leader, region):
    """With an adopted agreement and its revision under negotiation, each priority appeared twice."""
    from partnerships import services as partnership_services
    from tests.partnerships.factories import adopted_agreement, adopted_general_part

    adopted_general_part(region.host_county)
    agreement = adopted_agreement(region)
    partnership_services.special_part_revise(special_part=agreement.special_part, actor=an_adviser())
    client.force_login(leader)
    form = client.get(reverse("cases:case-create")).content.decode()
    assert form.count("Grønn næringsutvikling") == 1
    assert "(utkast)" not in form


@pytest.mark.parametrize("few", [5_000, 2], ids=["ids read first", "too many: a subquery"])
def test_the_region_filter_lists_the_cases_from_and_sent_to_the_region_however_many(
    client, adviser, region, other_region, council_area, monkeypatch, few
):
    """The requests sent to the region are given to the database by key when few (cases.selectors.
    ids_by_key) and as a subquery when many: the list, its count and the export are the same."""
    import cases.selectors

    monkeypatch.setattr(cases.selectors, "FEW_IDS", few)
    from_region = [CaseFactory(origin_region=region, title=f"Fra regionen {i}") for i in range(2)]
    sent = []
    for i, target in enumerate([region, region, region, other_region]):
        case = CaseFactory(
            origin_region=None,
            origin_council_area=council_area,
            direction=Case.Direction.COUNTY_TO_REGIONS,
            status=Case.Status.ROUTED,
            title=f"Sendt {target.name} {i}",
        )
        RegionRequest.objects.create(case=case, region=target, sent_by=adviser, sent_at="2026-01-01T10:00Z")
        sent.append(case)
    CaseFactory(origin_region=other_region, title="Fra Follo")
    client.force_login(adviser)
    response = client.get(reverse("cases:index"), {"region": region.pk})
    expected = {case.title for case in from_region + sent[:3]}
    assert {case.title for case in response.context["cases"]} == expected
    assert "5 saker" in response.content.decode()
    assert set(_csv_titles(client.get(reverse("cases:export", args=["csv"]), {"region": region.pk}))) == expected
