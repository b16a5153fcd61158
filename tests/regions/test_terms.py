"""Election terms (issue 14, item 1): an adviser records a whole term for a county on one page or from a
CSV file, the seed's rule (two elected, one appointed per region) holds unless an exception is recorded,
appointments end with the term unless renewed, and each region and person has a history.
One setup: a county with two regions and a running term; each test varies one condition."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from regions import services
from regions.models import Appointment, ElectionTerm, Person, TermException
from tests.factories import PersonFactory, RegionFactory, UserFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
START, END = TODAY - datetime.timedelta(days=400), TODAY + datetime.timedelta(days=1000)


@pytest.fixture
def regions(region, other_region):
    return [region, other_region]  # both hosted by the factories' county (Indre Østfold, Follo)


@pytest.fixture
def term(adviser, region):
    return services.term_create(
        actor=adviser,
        county=region.host_county,
        name="2023–2027",
        valid_from=START,
        valid_to=END,
        election_date=START - datetime.timedelta(days=30),
    )


def _grid_post(rows, regions):
    """The grid form's POST: rows is {region: {slot: (person pk or "", new name, party)}, "exception": text}."""
    data = {"rows-TOTAL_FORMS": str(len(regions)), "rows-INITIAL_FORMS": str(len(regions))}
    for i, region in enumerate(regions):
        row = rows.get(region, {})
        data[f"rows-{i}-region"] = str(region.pk)
        data[f"rows-{i}-exception"] = row.get("exception", "")
        for slot in ("position", "opposition", "councillor"):
            person, name, party = row.get(slot, ("", "", ""))
            data[f"rows-{i}-{slot}_person"] = str(person)
            data[f"rows-{i}-{slot}_name"] = name
            data[f"rows-{i}-{slot}_party"] = party
    return data


def _full_row(prefix):
    return {
        "position": ("", f"{prefix} Posisjon", "Ap"),
        "opposition": ("", f"{prefix} Opposisjon", "H"),
        "councillor": ("", f"{prefix} Fylkesråd", "Sp"),
    }


def _term_appointments(term):
    return Appointment.objects.filter(term=term)


def test_an_adviser_records_the_whole_term_on_one_page(client, adviser, term, regions):
    existing = PersonFactory(name="Kari Kjent", party="V")
    rows = {regions[0]: _full_row("Indre"), regions[1]: _full_row("Follo")}
    rows[regions[1]]["councillor"] = (existing.pk, "", "")
    client.force_login(adviser)
    response = client.post(term.get_absolute_url(), _grid_post(rows, regions))
    assert response.status_code == 302
    appointments = _term_appointments(term)
    assert appointments.count() == 6
    assert {a.valid_to for a in appointments} == {END}  # they end with the term
    councillor = appointments.get(region=regions[1], role=Appointment.Role.COUNTY_COUNCILLOR)
    assert councillor.person == existing and councillor.party == "V"
    assert appointments.get(region=regions[0], side=Appointment.Side.OPPOSITION).person.name == "Indre Opposisjon"
    page = client.get(regions[0].get_absolute_url()).content.decode()
    assert "Indre Posisjon" in page and "Indre Fylkesråd" in page


def test_a_region_lacking_its_councillor_is_refused_and_nothing_is_saved(client, adviser, term, regions):
    rows = {regions[0]: _full_row("Indre"), regions[1]: _full_row("Follo")}
    rows[regions[1]]["councillor"] = ("", "", "")
    people_before = Person.objects.count()
    client.force_login(adviser)
    response = client.post(term.get_absolute_url(), _grid_post(rows, regions))
    assert response.status_code == 400
    page = response.content.decode()
    assert "Ingenting ble lagret" in page and "Follo" in page and "fylkesråd" in page
    assert not _term_appointments(term).exists()
    assert Person.objects.count() == people_before


def test_the_county_may_decide_otherwise_with_a_recorded_reason(client, adviser, term, regions):
    rows = {regions[0]: _full_row("Indre"), regions[1]: _full_row("Follo")}
    rows[regions[1]]["councillor"] = ("", "", "")
    rows[regions[1]]["exception"] = "Fylkesrådet følger Follo selv dette året"
    client.force_login(adviser)
    assert client.post(term.get_absolute_url(), _grid_post(rows, regions)).status_code == 302
    exception = TermException.objects.get(term=term, region=regions[1])
    assert exception.reason == "Fylkesrådet følger Follo selv dette året" and exception.recorded_by == adviser
    page = client.get(term.get_absolute_url()).content.decode()
    assert "regioner mangler" not in page and "region mangler" not in page


def test_the_term_page_and_the_county_page_say_which_regions_lack_whom(client, adviser, term, regions):
    services.term_record(
        actor=adviser,
        term=term,
        rows=[services.TermRow(region=regions[0], slots=_entries("Indre"))],
    )
    client.force_login(UserFactory(username="lese"))
    term_page = client.get(term.get_absolute_url()).content.decode()
    county_page = client.get(reverse("regions:county-detail", args=[term.county_id])).content.decode()
    for page in (term_page, county_page):
        assert "1 region mangler noen i denne valgperioden" in page
        assert "Follo" in page


def _entries(prefix, party=("Ap", "H", "Sp")):
    return {
        slot: services.SlotEntry(name=f"{prefix} {slot}", party=p)
        for slot, p in zip(("position", "opposition", "councillor"), party, strict=True)
    }


def test_the_same_person_in_two_places_and_a_representative_without_party_are_refused(adviser, term, regions):
    entries = _entries("Indre")
    entries["opposition"] = services.SlotEntry(name="Indre position", party="H")
    entries["councillor"] = services.SlotEntry(name="Uten Parti", party="")
    entries["position"] = services.SlotEntry(name="Indre position", party="")
    with pytest.raises(services.ValidationError) as error:
        services.term_record(actor=adviser, term=term, rows=[services.TermRow(region=regions[0], slots=entries)])
    text = " ".join(error.value.messages)
    assert "samme person" in text and "partiet" in text
    assert not _term_appointments(term).exists()


CSV_OK = """region;plass;navn;parti;unntak
Indre Østfold;posisjon;Kari Nordmann;Ap;
Indre Østfold;opposisjon;Ola Nordmann;H;
Indre Østfold;fylkesråd;Per Hansen;Sp;
follo;posisjon;Siv Berg;Ap;
follo;opposisjon;Tor Dahl;FrP;
follo;;;;Fylkesrådet for samferdsel følger Follo
"""


def test_a_csv_import_is_previewed_then_saved_on_confirmation(client, adviser, term, regions):
    client.force_login(adviser)
    url = reverse("regions:term-import", args=[term.pk])
    preview = client.post(url, {"csv_text": CSV_OK})
    assert preview.status_code == 200
    assert "Kari Nordmann" in preview.content.decode() and "Bekreft" in preview.content.decode()
    assert not _term_appointments(term).exists()  # a preview saves nothing
    response = client.post(url, {"csv_text": CSV_OK, "confirmed": "on"})
    assert response.status_code == 302
    assert _term_appointments(term).count() == 5
    assert TermException.objects.get(region=regions[1]).reason == "Fylkesrådet for samferdsel følger Follo"


def test_a_csv_with_a_bad_line_shows_each_error_and_saves_nothing(client, adviser, term, regions):
    bad = CSV_OK.replace("follo;opposisjon;Tor Dahl;FrP;", "Bergen;opposisjon;Tor Dahl;FrP;").replace(
        "Indre Østfold;fylkesråd;Per Hansen;Sp;", "Indre Østfold;ordfører;Per Hansen;Sp;"
    )
    client.force_login(adviser)
    url = reverse("regions:term-import", args=[term.pk])
    response = client.post(url, {"csv_text": bad, "confirmed": "on"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Linje 4" in page and "«ordfører» er ikke en plass" in page.replace("“", "«").replace("”", "»")
    assert "Linje 6" in page and "Bergen" in page
    assert not _term_appointments(term).exists()


def test_a_csv_file_is_uploaded_previewed_and_saved(client, adviser, term, regions):
    """The file as a spreadsheet saves it (UTF-8 with a byte order mark): previewed, then confirmed with
    its content carried by the preview page."""
    client.force_login(adviser)
    url = reverse("regions:term-import", args=[term.pk])
    upload = SimpleUploadedFile("valgperiode.csv", CSV_OK.encode("utf-8-sig"), content_type="text/csv")
    preview = client.post(url, {"csv_file": upload})
    assert preview.status_code == 200
    page = preview.content.decode()
    assert "Kari Nordmann" in page and 'enctype="multipart/form-data"' in page
    assert not _term_appointments(term).exists()
    carried = preview.context["form"].cleaned_data["csv_text"]
    assert client.post(url, {"csv_text": carried, "confirmed": "on"}).status_code == 302
    assert _term_appointments(term).count() == 5


@pytest.mark.parametrize(
    "name,content,message",
    [
        ("valgperiode.csv", b"\x00\x01binary\xff", "Innholdet i filen stemmer ikke med filendelsen .csv."),
        ("valgperiode.pdf", b"%PDF-1.4 not a table", "Filer av typen .pdf kan ikke lastes opp."),
        ("valgperiode.csv", b"", "Filen er tom."),
    ],
)
def test_a_file_that_is_not_a_csv_table_is_refused_and_nothing_is_saved(
    client, adviser, term, regions, name, content, message
):
    client.force_login(adviser)
    url = reverse("regions:term-import", args=[term.pk])
    upload = SimpleUploadedFile(name, content)
    response = client.post(url, {"csv_file": upload, "confirmed": "on"})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not _term_appointments(term).exists()


def test_neither_file_nor_text_asks_for_one(client, adviser, term, regions):
    client.force_login(adviser)
    response = client.post(reverse("regions:term-import", args=[term.pk]), {"confirmed": "on"})
    assert "Last opp CSV-filen eller lim inn innholdet" in response.content.decode()


def test_renewing_carries_the_appointment_into_the_next_term(client, adviser, term, regions):
    services.term_record(actor=adviser, term=term, rows=[services.TermRow(region=regions[0], slots=_entries("Indre"))])
    following = services.term_create(
        actor=adviser,
        county=term.county,
        name="2027–2031",
        valid_from=END,
        valid_to=END + datetime.timedelta(days=1461),
    )
    appointment = _term_appointments(term).get(region=regions[0], side=Appointment.Side.POSITION)
    client.force_login(adviser)
    response = client.post(reverse("regions:appointment-renew", args=[appointment.pk]))
    assert response.status_code == 302
    renewed = Appointment.objects.get(term=following)
    assert (renewed.person, renewed.side, renewed.valid_from, renewed.valid_to) == (
        appointment.person,
        Appointment.Side.POSITION,
        END,
        following.valid_to,
    )
    again = client.post(reverse("regions:appointment-renew", args=[appointment.pk]), follow=True)
    assert "allerede" in again.content.decode()
    assert Appointment.objects.filter(term=following).count() == 1


def test_replacing_someone_during_the_term_ends_their_appointment_today(adviser, term, regions):
    services.term_record(actor=adviser, term=term, rows=[services.TermRow(region=regions[0], slots=_entries("Indre"))])
    entries = _entries("Indre")
    entries["position"] = services.SlotEntry(name="Ny Posisjon", party="Ap")
    services.term_record(actor=adviser, term=term, rows=[services.TermRow(region=regions[0], slots=entries)])
    positions = _term_appointments(term).filter(side=Appointment.Side.POSITION).order_by("valid_from")
    assert [(a.person.name, a.valid_from, a.valid_to) for a in positions] == [
        ("Indre position", START, TODAY),
        ("Ny Posisjon", TODAY, END),
    ]


def test_the_region_and_the_person_have_a_history_of_terms(client, adviser, term, regions):
    services.term_record(actor=adviser, term=term, rows=[services.TermRow(region=regions[0], slots=_entries("Indre"))])
    person = Person.objects.get(name="Indre councillor")
    client.force_login(UserFactory(username="lese"))
    history = client.get(reverse("regions:region-representatives", args=[regions[0].slug])).content.decode()
    assert "Indre councillor" in history and "2023–2027" in history
    assert (
        reverse("regions:region-representatives", args=[regions[0].slug])
        in client.get(regions[0].get_absolute_url()).content.decode()
    )
    page = client.get(reverse("regions:person-detail", args=[person.pk])).content.decode()
    assert "2023–2027" in page and regions[0].name in page


def test_only_advisers_record_a_term(client, leader, term, regions):
    client.force_login(leader)
    assert client.get(term.get_absolute_url()).status_code == 200  # the registry is public
    assert "Lagre valgperioden" not in client.get(term.get_absolute_url()).content.decode()
    rows = {regions[0]: _full_row("Indre"), regions[1]: _full_row("Follo")}
    assert client.post(term.get_absolute_url(), _grid_post(rows, regions)).status_code == 403
    assert client.get(reverse("regions:term-import", args=[term.pk])).status_code == 403
    assert client.get(reverse("regions:term-create")).status_code == 403
    assert client.get(reverse("regions:term-detail", args=[999999])).status_code == 404
    assert not _term_appointments(term).exists()


def test_a_region_of_another_county_cannot_be_recorded_in_the_term(adviser, term):
    from tests.factories import CountyFactory

    elsewhere = RegionFactory(name="Vestlandet", host_county=CountyFactory(number="46", name="Vestland"))
    with pytest.raises(services.ValidationError) as error:
        services.term_record(actor=adviser, term=term, rows=[services.TermRow(region=elsewhere, slots=_entries("X"))])
    assert "ikke en region i fylket" in " ".join(error.value.messages)


def test_terms_of_one_county_cannot_overlap(adviser, term):
    with pytest.raises(services.ValidationError):
        services.term_create(
            actor=adviser, county=term.county, name="Feil", valid_from=START + datetime.timedelta(days=10), valid_to=END
        )
    assert ElectionTerm.objects.count() == 1


def test_the_demo_gives_the_demo_county_a_term_with_demo_people(db):
    import io

    from regions import demo
    from tests.factories import CountyFactory

    ostfold = CountyFactory(number="31", name="Østfold", valid_from=datetime.date(2024, 1, 1), valid_to=None)
    RegionFactory(name="Indre Østfold", slug="indre-ostfold", host_county=ostfold)
    RegionFactory(name="Mosseregionen", slug="mosseregionen", host_county=ostfold)
    UserFactory(username="radgiver", role="adviser")
    demo.load_demo(stdout=io.StringIO())
    demo.load_demo(stdout=io.StringIO())  # twice: nothing more
    term = ElectionTerm.objects.get(county=ostfold)
    assert term.name == "2023–2027"
    names = sorted(Appointment.objects.filter(term=term).values_list("person__name", flat=True))
    assert len(names) == 6 and all(name.startswith("Demo ") for name in names)
    assert "Demo Fylkesråd (Indre Østfold)" in names
