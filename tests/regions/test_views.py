import csv
import datetime
import io
import json
import re

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.urls import reverse

from accounts.models import User
from core.panels import region_panels
from regions import services
from regions.maps import NON_MEMBER
from regions.models import Appointment, County, Municipality, Region, RegionMembership
from tests.factories import MembershipFactory, MunicipalityFactory, PersonFactory, UserFactory

D = datetime.date


def _overview(client, user, **params):
    client.force_login(user)
    return client.get(reverse("regions:index"), params)


def _svg_fills(html):
    """{municipality number: fill} of the map's shapes."""
    shapes = re.findall(r'<path d="[^"]*" fill="([^"]+)" data-number="(\d{4})"', html)
    return {number: fill for fill, number in shapes}


def _table_fills(html):
    return dict(re.findall(r'<tr data-number="(\d{4})" data-fill="([^"]+)">', html))


def test_overview_needs_login(client, db):
    response = client.get(reverse("regions:index"))
    assert response.status_code == 302


def test_overview_shows_viken_on_new_year_2020(client, adviser, reference):
    viken = County.objects.get(number="30")
    response = _overview(client, adviser, dato="2020-01-01", fylke=viken.pk)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Kongsbergregionen" in html
    assert "© Kartverket, CC BY 4.0" in html
    assert 'role="img"' in html and 'aria-labelledby="map-title map-desc"' in html


def test_map_has_one_shape_per_municipality_and_agrees_with_the_table(client, adviser, reference):
    viken = County.objects.get(number="30")
    html = _overview(client, adviser, dato="2020-01-01", fylke=viken.pk).content.decode()
    svg = _svg_fills(html)
    table = _table_fills(html)
    # 51 Viken municipalities + Holmestrand, Notodden, Tinn, Hjartdal and Gran as members of Viken's regions.
    assert len(re.findall(r"<path ", html)) == len(svg) == 56
    assert svg == table
    assert svg["3049"] == NON_MEMBER  # Lier: no region
    assert svg["3053"].startswith("url(#hatch-")  # Jevnaker: two regions, hatched
    assert f'<pattern id="{svg["3053"][5:-1]}"' in html
    assert svg["3006"] == svg["3808"]  # Kongsberg and Notodden share Kongsbergregionen's colour
    assert svg["3006"] != svg["3007"]


def test_overview_after_2024_draws_renumbered_municipalities(client, adviser, reference):
    ostfold = County.objects.get(number="31")
    html = _overview(client, adviser, dato="2024-06-01", fylke=ostfold.pk).content.decode()
    svg = _svg_fills(html)
    assert "3101" in svg and svg == _table_fills(html)


@pytest.mark.parametrize("bad", ["2020-13-45", "igår", "2020-02-30", "x" * 300])
def test_bad_date_gives_a_message_and_today_not_an_error(client, adviser, reference, bad):
    response = _overview(client, adviser, dato=bad)
    assert response.status_code == 200
    assert "er ikke en gyldig dato" in response.content.decode()


def test_unknown_county_gives_a_message(client, adviser, reference):
    response = _overview(client, adviser, fylke="999999")
    assert response.status_code == 200
    assert "Ukjent fylke" in response.content.decode()


def test_export_csv_holds_the_memberships_on_the_date(client, adviser, reference):
    viken = County.objects.get(number="30")
    client.force_login(adviser)
    response = client.get(reverse("regions:export", args=["csv"]), {"dato": "2021-01-01", "fylke": viken.pk})
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('register-2021-01-01-30.csv"')
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    modum = [r["region_slug"] for r in rows if r["municipality_number"] == "3047"]
    assert modum == ["ringeriksregionen"]
    assert [r["region_slug"] for r in rows if r["municipality_number"] == "3049"] == [""]
    assert not any(r["region_slug"] == "midt-buskerud" for r in rows)


def test_export_json_holds_regions_members_and_council_areas(client, adviser, reference):
    client.force_login(adviser)
    response = client.get(reverse("regions:export", args=["json"]), {"dato": "2020-01-01"})
    data = json.loads(response.content)
    assert data["as_of"] == "2020-01-01"
    regions = {r["slug"]: r for r in data["regions"]}
    assert {m["number"] for m in regions["hadeland"]["members"]} == {"3053", "3054", "3446"}
    assert {"30", "34"} <= set(regions["hadeland"]["partner_counties"])
    assert any(a["slug"] == "kollektivtrafikk" for a in data["council_areas"])


def test_export_command_writes_json_and_csv(reference):
    out = io.StringIO()
    call_command("export_registry", "--as-of", "2020-01-01", "--format", "json", "--county", "30", stdout=out)
    data = json.loads(out.getvalue())
    assert len(data["regions"]) == 14
    out = io.StringIO()
    call_command("export_registry", "--as-of", "2020-01-01", "--format", "csv", stdout=out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert sorted(r["region_slug"] for r in rows if r["municipality_number"] == "3053") == [
        "hadeland",
        "ringeriksregionen",
    ]


def test_region_page_shows_members_history_notes_and_panels(client, adviser, reference):
    region = Region.objects.get(slug="haldenregionen")

    def provider(request, region, day):
        return {"template": "regions/_test_panel.html", "context": {"text": f"panel for {region.slug} {day}"}}

    region_panels.register(provider)
    try:
        client.force_login(adviser)
        response = client.get(region.get_absolute_url(), {"dato": "2020-01-01"})
    finally:
        region_panels._providers.remove(provider)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Aremark" in html and "membership assumed; not verified" in html
    assert "Sikkerhet: Middels" in html
    assert "panel for haldenregionen 2020-01-01" in html
    assert "Regionråd med eget sekretariat" in html


def test_region_page_shows_representatives_and_leader(client, leader, region):
    rep = PersonFactory(name="Rita Representant")
    Appointment.objects.create(
        person=rep,
        role=Appointment.Role.COUNTY_COUNCIL_REPRESENTATIVE,
        side="opposition",
        region=region,
        valid_from=D(2020, 2, 13),
    )
    client.force_login(leader)
    html = client.get(region.get_absolute_url(), {"dato": "2021-01-01"}).content.decode()
    assert "Rita Representant" in html and "opposisjon" in html
    assert "leader" in html
    assert reverse("regions:membership-start") not in html  # leaders read only


def test_unknown_region_is_404(client, adviser):
    client.force_login(adviser)
    assert client.get(reverse("regions:region-detail", args=["finnes-ikke"])).status_code == 404


def test_municipality_page_shows_predecessors_successors_and_regions(client, adviser, reference):
    halden = Municipality.objects.get(number="3001")
    client.force_login(adviser)
    html = client.get(halden.get_absolute_url()).content.decode()
    assert "0101 Halden" in html and "3101 Halden" in html and "Haldenregionen" in html


def test_council_area_list_shows_councillors(client, leader, reference):
    client.force_login(leader)
    html = client.get(reverse("regions:council-area-list")).content.decode()
    assert "Samferdsel" in html and "Olav Skinnes" in html and "from Sep 2020" in html


# --- editing: advisers only; the others get 403 on the start forms, 404 on one object's forms -----


@pytest.fixture
def membership(region):
    return MembershipFactory(region=region, municipality=MunicipalityFactory(number="3013", name="Marker"))


def _start_urls():
    return [reverse("regions:membership-start"), reverse("regions:appointment-start")]


def _object_urls(membership, appointment):
    return [
        reverse("regions:membership-end", args=[membership.pk]),
        reverse("regions:membership-move", args=[membership.pk]),
        reverse("regions:appointment-end", args=[appointment.pk]),
    ]


def _edit_urls(membership, appointment):
    return _start_urls() + _object_urls(membership, appointment)


@pytest.mark.parametrize("role", [User.Role.REGION_LEADER, User.Role.COUNCIL_AREA_STAFF, User.Role.OTHER])
def test_only_advisers_may_edit_the_registry(client, membership, leader, role):
    """Even the leader of the membership's own region: the registry is public, so every edit form
    answers 403 (visible but not allowed, docs/adr/0004-404-not-403.md); nothing changes."""
    user = leader if role == User.Role.REGION_LEADER else UserFactory(role=role)
    appointment = Appointment.objects.get(person__user=leader)
    client.force_login(user)
    data = {"valid_to": "2022-01-01", "on": "2022-01-01"}
    for url in _start_urls():
        assert client.get(url).status_code == 403, url
        assert client.post(url, data).status_code == 403, url
    for url in _object_urls(membership, appointment):
        assert client.get(url).status_code == 403, url
        assert client.post(url, data).status_code == 403, url
    membership.refresh_from_db()
    appointment.refresh_from_db()
    assert membership.valid_to is None and appointment.valid_to is None


def test_a_leader_of_another_region_gets_403_on_the_forms_for_a_membership_and_404_for_a_missing_one(
    client, membership, other_leader
):
    client.force_login(other_leader)
    assert client.get(reverse("regions:membership-end", args=[membership.pk])).status_code == 403
    assert client.get(reverse("regions:membership-end", args=[999999])).status_code == 404


@pytest.mark.parametrize(
    "call",
    [
        lambda m, actor: services.membership_end(membership=m, actor=actor, valid_to=D(2022, 1, 1)),
        lambda m, actor: services.membership_start(
            actor=actor, municipality=m.municipality, region=m.region, valid_from=D(2030, 1, 1)
        ),
    ],
)
def test_the_registry_services_refuse_anyone_but_the_coordination_unit(membership, leader, call):
    with pytest.raises(PermissionDenied):
        call(membership, leader)
    membership.refresh_from_db()
    assert membership.valid_to is None
    assert RegionMembership.objects.count() == 1


def test_adviser_sees_every_edit_form(client, adviser, membership, leader):
    appointment = Appointment.objects.get(person__user=leader)
    client.force_login(adviser)
    for url in _edit_urls(membership, appointment):
        assert client.get(url).status_code == 200, url


def test_adviser_ends_a_membership_through_the_form(client, adviser, membership):
    client.force_login(adviser)
    url = reverse("regions:membership-end", args=[membership.pk])
    response = client.post(url, {"valid_to": "2022-01-01"})
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.valid_to == D(2022, 1, 1)


def test_bad_period_in_the_form_gives_a_norwegian_error(client, adviser, membership):
    client.force_login(adviser)
    url = reverse("regions:membership-end", args=[membership.pk])
    response = client.post(url, {"valid_to": "2019-01-01"})
    assert response.status_code == 200
    assert "Sluttdatoen må være etter startdatoen." in response.content.decode()
    membership.refresh_from_db()
    assert membership.valid_to is None


def test_overlapping_membership_in_the_form_is_refused(client, adviser, membership):
    client.force_login(adviser)
    response = client.post(
        reverse("regions:membership-start"),
        {
            "municipality": membership.municipality.pk,
            "region": membership.region.pk,
            "valid_from": "2021-01-01",
            "confidence": "high",
        },
    )
    assert response.status_code == 200
    assert "er allerede medlem av" in response.content.decode()
    assert RegionMembership.objects.count() == 1


def test_adviser_moves_a_membership(client, adviser, membership, other_region):
    client.force_login(adviser)
    response = client.post(
        reverse("regions:membership-move", args=[membership.pk]), {"to_region": other_region.pk, "on": "2021-01-01"}
    )
    assert response.status_code == 302
    assert RegionMembership.objects.get(region=other_region).valid_from == D(2021, 1, 1)


def test_adviser_appoints_a_representative_and_the_rule_holds(client, adviser, region):
    client.force_login(adviser)
    url = reverse("regions:appointment-start")
    data = {
        "person": PersonFactory().pk,
        "role": Appointment.Role.COUNTY_COUNCIL_REPRESENTATIVE,
        "region": region.pk,
        "side": "position",
        "valid_from": "2020-02-13",
    }
    assert client.post(url, data).status_code == 302
    data["person"] = PersonFactory().pk
    response = client.post(url, data)
    assert response.status_code == 200
    assert "har allerede en fylkestingsrepresentant" in response.content.decode()


def test_hatch_pattern_lengths_are_svg_numbers_in_norwegian(client, adviser, reference):
    """Bokmål formats 3.0 as "3,0", which SVG rejects: the hatch then never shows on the map."""
    viken = County.objects.get(number="30")
    html = _overview(client, adviser, dato="2020-01-01", fylke=viken.pk).content.decode()
    pattern = re.search(r"<pattern [^>]*>.*?</pattern>", html, re.S).group(0)
    lengths = re.findall(r'(?:width|height|x|y)="([^"]*)"', pattern)
    assert lengths and all(re.fullmatch(r"\d+(\.\d+)?", value) for value in lengths), lengths


@pytest.mark.parametrize("name", ["eksport.xml", "eksport.html", "eksport.exe"])
def test_export_in_an_unknown_format_is_not_found(client, adviser, db, name):
    client.force_login(adviser)
    response = client.get(f"/register/{name}")
    assert response.status_code == 404
    assert "attachment" not in response.get("Content-Disposition", "")


def test_adviser_forms_lead_back_to_the_region_or_the_overview(client, adviser, region):
    """The forms had no way back but the browser's: each now links to what it concerns."""
    membership = MembershipFactory(region=region)
    client.force_login(adviser)
    for name in ("regions:membership-end", "regions:membership-move"):
        html = client.get(reverse(name, args=[membership.pk])).content.decode()
        assert f'href="{region.get_absolute_url()}">← Tilbake til {region.name}</a>' in html
    html = client.get(reverse("regions:membership-start"), {"region": region.slug}).content.decode()
    assert f'href="{region.get_absolute_url()}">← Tilbake til {region.name}</a>' in html
    html = client.get(reverse("regions:appointment-start")).content.decode()
    assert f'href="{reverse("regions:index")}">← Tilbake til fylkesoversikten</a>' in html


def test_edit_links_name_what_they_end_or_move_for_screen_readers(client, adviser, membership, leader):
    """A screen reader's list of links read "Avslutt, Flytt, Avslutt, Flytt…": each now says whose."""
    client.force_login(adviser)
    html = client.get(membership.region.get_absolute_url(), {"dato": "2021-01-01"}).content.decode()
    assert '<span class="visually-hidden">: medlemskapet til 3013 Marker</span>' in html
    assert '<span class="visually-hidden">: oppnevningen av leader</span>' in html
    html = client.get(membership.municipality.get_absolute_url()).content.decode()
    assert f'<span class="visually-hidden">: medlemskapet i {membership.region.name}</span>' in html


def test_council_area_page_shows_no_empty_brackets_without_a_recorded_period(client, leader, council_area):
    client.force_login(leader)
    html = client.get(reverse("regions:council-area-detail", args=[council_area.pk])).content.decode()
    assert "()" not in html


def test_research_notes_are_quoted_apart_from_the_membership_tables(client, reference, adviser):
    """English research notes ("membership assumed; not verified") and the loader's bokmål notes were
    mixed into every membership row, whatever the page's language. The tables now carry only the
    confidence and a link; the notes stand once under the history, the source's words quoted and
    marked as English."""
    import re

    from regions.models import Region

    client.force_login(adviser)
    southern = Region.objects.get(slug="sondre-ostfold")
    for language in ("nb", "en"):
        client.cookies["django_language"] = language
        page = client.get(southern.get_absolute_url() + "?dato=2025-01-01").content.decode()
        tables = " ".join(re.findall(r"<table.*?</table>", page, flags=re.S))
        assert "members inferred" not in tables and "Videreført" not in tables, language
        assert '<q lang="en">members inferred from the Søndre Viken business cooperation' in page
        assert '<span lang="nb">Videreført med kommunenummeret fra 2024 (bare nytt nummer).</span>' in page


@pytest.mark.parametrize("day", [D(2019, 6, 1), D(2020, 1, 1), D(2021, 1, 1), D(2024, 6, 1)])
def test_region_page_lists_are_those_of_the_dated_selectors(client, adviser, reference, day):
    """The region page reads its members and appointments once and sorts them itself: the same rows, in
    the same order, as the dated selectors give."""
    from regions import selectors

    region = Region.objects.get(slug="haldenregionen")
    roles = Appointment.Role
    for name, role, side, start, end in [
        ("Berit Bakke", roles.COUNTY_COUNCIL_REPRESENTATIVE, "opposition", D(2020, 1, 1), None),
        ("Anne Ås", roles.COUNTY_COUNCIL_REPRESENTATIVE, "position", D(2020, 1, 1), None),
        ("Carl Carlsen", roles.ADMINISTRATIVE_PARTICIPANT, "", D(2019, 1, 1), None),
        ("Dag Dahl", roles.COUNTY_COUNCILLOR, "", D(2019, 1, 1), D(2021, 1, 1)),
        ("Eva Eng", roles.REGION_COUNCIL_LEADER, "", D(2019, 1, 1), D(2020, 1, 1)),
        ("Frida Fjell", roles.REGION_COUNCIL_LEADER, "", D(2020, 1, 1), None),
    ]:
        Appointment.objects.create(
            person=PersonFactory(name=name), role=role, side=side, region=region, valid_from=start, valid_to=end
        )

    client.force_login(adviser)
    context = client.get(region.get_absolute_url(), {"dato": day.isoformat()}).context

    assert list(context["memberships"]) == list(selectors.membership_list_for_region(region=region, on=day))
    assert list(context["representatives"]) == list(selectors.appointment_list_representing(region=region, on=day))
    assert list(context["leaders"]) == list(selectors.appointment_list_leading(region=region, on=day))
    assert sorted(context["appointments"], key=lambda a: a.pk) == sorted(
        selectors.appointment_list_for_region(region=region), key=lambda a: a.pk
    )
    assert [a.valid_from for a in context["appointments"]] == sorted(
        (a.valid_from for a in context["appointments"]), reverse=True
    )


def _county_options(html):
    """[(county id, label, selected)] of the overview's county choice."""
    select = re.search(r'<select name="fylke".*?</select>', html, re.S).group(0)
    return [
        (int(value), label.strip(), bool(selected))
        for value, selected, label in re.findall(r'<option value="(\d+)"( selected)?>([^<]*)</option>', select)
    ]


def test_overview_opens_on_viken_while_it_existed_and_offers_the_counties_of_the_date(client, adviser, reference):
    viken = County.objects.get(number="30")
    options = _county_options(_overview(client, adviser, dato="2020-01-01").content.decode())
    assert (viken.pk, "30 Viken", True) in options
    assert [label for _, label, _ in options] == [
        str(c) for c in County.objects.valid_on(D(2020, 1, 1)).order_by("number")
    ]
    assert sum(selected for *_, selected in options) == 1


def test_overview_of_a_county_that_did_not_exist_on_the_date_adds_it_to_the_choice(client, adviser, reference):
    viken = County.objects.get(number="30")
    options = _county_options(_overview(client, adviser, dato="2024-06-01", fylke=viken.pk).content.decode())
    assert (viken.pk, "30 Viken", True) in options
    numbers = [label.split()[0] for _, label, _ in options]
    assert numbers == sorted(numbers)
    assert "31" in numbers and "30" in numbers
