"""Load the reference data in regions/data/ into the registry (see regions/data/SOURCES.md).

Idempotent and non-destructive: every row is looked up by its natural key and created only when
missing, so a second run creates nothing and an admin's later correction of a row survives.

Corrections (data/corrections.csv, listed in data/SOURCES.md) bring a database loaded from the
earlier files up to date: each names a reference row, a field, the value the earlier files gave it
("was") and the corrected value. A field is changed only while it still holds the earlier value, so
a value a user has edited is left alone (and reported); a row the loader no longer wants is deleted
only while it is exactly as the loader made it. The data files themselves hold the corrected values,
so a fresh database gets the same result without any correction being applied.
"""

import csv
import datetime
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.db import models, transaction
from django.db.models import Q

from core.text import norwegian_slugify
from core.validators import TEXT_MAX_LENGTH

from .hooks import membership_listeners
from .models import (
    Confidence,
    CouncilArea,
    County,
    Malform,
    Municipality,
    Person,
    Region,
    RegionCounty,
    RegionMembership,
    RegionName,
    RegionOrganisationModel,
)
from .selectors import region_malform_from_members

DATA_DIR = Path(__file__).resolve().parent / "data"
VIKEN_FROM = datetime.date(2020, 1, 1)
SPLIT_DAY = datetime.date(2024, 1, 1)
# Seed 002 (Innlandet fylkeskommune's page, last updated 5 June 2018) names the ten regional councils
# of Hedmark and Oppland: the earliest recorded day of their memberships.
SEED_2018 = datetime.date(2018, 6, 5)
SOUTHERN_MERGER = datetime.date(2021, 3, 1)

# Hedmark's regions had regional coordinators employed by the county; Oppland's a partnership
# arrangement in each regional council (seed 002).
HEDMARK_REGIONS = {"kongsvingerregionen", "hamarregionen", "sor-osterdal", "fjellregionen"}
# Region confidence from the summary table in SOURCES.md section 2 and 4b.
MEDIUM_CONFIDENCE_REGIONS = {"haldenregionen", "nedre-glomma", "drammensregionen", "sor-osterdal", "sondre-ostfold"}
SOUTHERN_NOTE = (
    "Slått sammen med Nedre Glomma til Søndre Viken regionråd (senere Søndre Østfold regionråd). "
    "Ingen kilde daterer sammenslåingen: Vikens egen oversikt har fortsatt 14 kommuneregioner 1.1.2020, og rådet "
    "het Søndre Viken regionråd i mars 2021. Sluttdatoen 1.3.2021 er den seneste dokumenterte grensen "
    "(lav sikkerhet for datoen)."
)
SOUTHERN_SOURCE = (
    "https://indre24.no/2021/04/13/onskes-velkommen-tilbake-til-indre-ostfold-regionrad/ (R3, mars 2021: "
    "«trer ut av Søndre Viken regionråd»); Viken fylkeskommune, «Status kommuneregionene i Viken» (2020: «14 "
    "kommuneregioner pr 01.01.20», «Halden og Aremark/Nedre Glomma»); "
    "https://osloregionen.no/nytt-styre-i-osloregionen-ipr (R22, 10.11.2023: «Søndre Østfold regionråd»)"
)
REGION_SOURCES = {
    "haldenregionen": "R20, R21 (SOURCES.md avsnitt 2); " + SOUTHERN_SOURCE,
    "nedre-glomma": "R20, R23 (SOURCES.md avsnitt 2); " + SOUTHERN_SOURCE,
    "sondre-ostfold": SOUTHERN_SOURCE + "; http://www.arealguiden.no/Soendre-Viken (Søndre Viken = Sarpsborg, "
    "Fredrikstad, Halden, Rakkestad, Hvaler)",
}
GENERIC_SOURCE = "regions/data/SOURCES.md, avsnitt 2 (Viken) og 4b (Innlandet)"
REGION_VALID_FROM = {"sondre-ostfold": SOUTHERN_MERGER}
# Official names with dates. Neither date is sourced: each name is first documented on its start
# (R3: March 2021; R22: 10 November 2023), so the rename is put on the later bound (low).
RENAMED_BY = datetime.date(2023, 11, 10)
REGION_NAMES = {
    "sondre-ostfold": [
        (
            "Søndre Viken regionråd",
            SOUTHERN_MERGER,
            RENAMED_BY,
            "Navnet i mars 2021 (R3); datoene er de seneste dokumenterte grensene.",
            "https://indre24.no/2021/04/13/onskes-velkommen-tilbake-til-indre-ostfold-regionrad/ (R3)",
        ),
        (
            "Søndre Østfold regionråd",
            RENAMED_BY,
            None,
            "Navnet 10.11.2023 (R22); når navnet ble endret, er ikke kjent.",
            "https://osloregionen.no/nytt-styre-i-osloregionen-ipr (R22)",
        ),
    ],
}
# Membership notes the loader writes itself (bokmål), by (region slug, 2020 number, valid_from).
MEMBERSHIP_NOTES = {
    ("haldenregionen", "3012", VIKEN_FROM): "Vikens egen oversikt (2020) nevner «Halden og Aremark» som én enhet; "
    "ingen annen kilde plasserer Aremark i et regionråd.",
}
PRE_2020_NOTE = "Ti regionråd i Hedmark og Oppland 5.6.2018 (seed 002); medlemmene som i 2020."
# Rows of viken_council_areas.csv that were not Viken portfolios (after2024/README finding 5): kept,
# because cases may refer to them, but never offered as council areas.
NOT_VIKEN_PORTFOLIOS = {
    "tannhelse": "Ikke et eget rådsområde i Viken: tannhelse lå under «Næring og tannhelse» (2023).",
    "kultur-frivillighet-og-folkehelse": "Ikke et rådsområde i Viken: navnet på Akershus fylkeskommunes "
    "hovedutvalg 2015–2019. Vikens kulturområde het «Kultur og integrering» (2019–20) og «Kultur og mangfold».",
}
HEDMARK_MODELS_SOURCE = (
    "Seed 002: Innlandet fylkeskommune, «Fylkeskommunen og kommunene» (5.6.2018: Hedmark har regionkoordinatorer "
    "ansatt i fylkeskommunen, Oppland et partnerskap i regionrådene); "
    "https://innlandetfylke.no/om-fylkeskommunen/om-innlandet/kommuner-og-regioner/ (I1: partnerskapsavtaler fra 2020)"
)
MALFORM_VALUES = {"bokmål": Malform.BOKMAL, "nynorsk": Malform.NYNORSK, "nøytral": Malform.NEUTRAL}
MALFORM_RULE = (
    "Regel: nynorsk når alle medlemmer som har registrert målform har nynorsk, bokmål når alle har bokmål, "
    "ellers nøytral; ikke registrert når ingen medlem har registrert målform. Medlemmenes målform fra "
    "regions/data/malform.csv."
)
# Notes the loader writes itself are in bokmål, as the pages show them as they are (the research
# notes quoted from the source files stay verbatim). migrations/0003 rewrites the earlier English.
REGION_NOTES = {
    "haldenregionen": SOUTHERN_NOTE,
    "nedre-glomma": SOUTHERN_NOTE,
    "sondre-ostfold": "Søndre Viken regionråd i mars 2021, Søndre Østfold regionråd innen 10.11.2023 (begge navn). "
    "Startdatoen er ikke kjent: 1.3.2021 er den seneste dokumenterte grensen (lav sikkerhet for datoen). Medlemmene er "
    "utledet av næringssamarbeidet Søndre Viken uten Rakkestad (middels sikkerhet).",
    "drammensregionen": "Regionrådets status i 2020–2021 er ikke bekreftet; den nye Drammensregionen ble "
    "undertegnet 20.4.2022.",
    "midt-buskerud": "Holdt sitt siste møte 30.10.2020 og ble oppløst ved utgangen av 2020.",
    "sor-osterdal": "Medlemskapet i 2020 er ikke bekreftet; Stor-Elvdal er plassert her bare for at alle 46 "
    "kommunene skal ha en region.",
    "hadeland": "Én region i partnerskap med både Viken (Lunner, Jevnaker) og Innlandet (Gran).",
}
CARRIED_NOTE = "Videreført med kommunenummeret fra 2024 (bare nytt nummer)."
UNVERIFIED_NOTE = "Nummeret fra 2024 er fra SSB KLASS etter hukommelsen, ikke kontrollert mot en lagret kilde."
MEMBER_ON_NOTE = "Medlem 1.1.2020: {}."
MEMBER_ON = {"likely": "sannsynlig", "uncertain": "usikkert", "no": "nei"}
REGION_VALID_TO = {
    "midt-buskerud": datetime.date(2021, 1, 1),
    "haldenregionen": SOUTHERN_MERGER,
    "nedre-glomma": SOUTHERN_MERGER,
}
# The official names of viken_regions.csv for the short names of viken_region_memberships.csv.
VIKEN_LONG_NAMES = {
    "Indre Østfold": "Indre Østfold regionråd",
    "Follo": "Follorådet / Folloregionen (Folloregionen IPR fra 11.6.2021)",
    "Nedre Romerike": "Samarbeidsrådet for Nedre Romerike (SNR)",
    "Gardermoregionen": "Gardermoregionen interkommunalt politisk råd (GRIP), Øvre Romerike",
    "Asker og Bærum": "Interkommunalt politisk råd for Asker og Bærum",
    "Hadeland": "Regionrådet for Hadeland IPR",
    "Mosseregionen": "Regionrådet for Mosseregionen",
    "Kongsbergregionen": "Regionrådet for Kongsbergregionen",
    "Midt-Buskerud": "Regionrådet for Midt-Buskerud",
    "Hallingdal": "Regionrådet for Hallingdal",
    "Ringeriksregionen": "Rådet for Ringeriksregionen (IPR fra 1.1.2021)",
    "Nedre Glomma": "Regionrådet i Nedre Glomma",
    "Søndre Østfold": "Søndre Viken regionråd (innen mars 2021), senere Søndre Østfold regionråd (innen 10.11.2023)",
}
PERSON_ALIASES = {"Anne Beathe Tvinnereim": "Anne Beathe Kristiansen Tvinnereim"}
MONTHS = {
    m: i for i, m in enumerate(["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1)
}


@dataclass
class LoadReport:
    created: dict = field(default_factory=dict)
    corrected: list = field(default_factory=list)
    kept: list = field(default_factory=list)

    def count(self, what, created):
        if created:
            self.created[what] = self.created.get(what, 0) + 1

    def __str__(self):
        parts = []
        if self.created:
            parts.append("Created " + ", ".join(f"{n} {what}" for what, n in sorted(self.created.items())) + ".")
        else:
            parts.append("Reference data already loaded: nothing to create.")
        if self.corrected:
            parts.append(f"Applied {len(self.corrected)} corrections ({', '.join(sorted(set(self.corrected)))}).")
        if self.kept:
            parts.append("Left as edited by a user: " + "; ".join(self.kept) + ".")
        return " ".join(parts)


def _rows(name):
    with open(DATA_DIR / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _date(value):
    return datetime.date.fromisoformat(value) if value else None


def _confidence(value):
    word = (value or "").split(" ")[0].split(":")[0].strip().lower()
    return word if word in Confidence.values else Confidence.MEDIUM


def _field_value(model_field, text):
    """A corrections.csv value for the model field: a date, a flag, or the text itself."""
    if isinstance(model_field, models.DateField):
        return _date(text)
    if isinstance(model_field, models.BooleanField):
        return text == "True"
    return text


def _short_name(region_name):
    return region_name.split(" (")[0].strip()


class Loader:
    def __init__(self):
        self.report = LoadReport()
        self.counties = {}
        self.municipalities = {}  # (number, valid_from) -> Municipality

    # --- counties -------------------------------------------------------------------------------
    def county(self, number, name, valid_from, valid_to):
        county, created = County.objects.get_or_create(
            number=number, name=name, defaults={"valid_from": valid_from, "valid_to": valid_to}
        )
        self.report.count("counties", created)
        self.counties[number] = county
        return county

    def load_counties(self):
        for row in _rows("counties_before_2020.csv") + _rows("counties.csv"):
            self.county(row["number"], row["name"], _date(row["valid_from"]), _date(row["valid_to"]))
        for row in _rows("county_changes.csv"):
            self.counties[row["successor"]].predecessors.add(self.counties[row["predecessor"]])

    # --- municipalities -------------------------------------------------------------------------
    def municipality(self, number, name, county_number, valid_from, valid_to, *, label="", note=""):
        county = self.counties[county_number]
        municipality, created = Municipality.objects.get_or_create(
            number=number,
            county=county,
            defaults={
                "name": name,
                "valid_from": valid_from,
                "valid_to": valid_to,
                "official_label": label,
                "note": note,
            },
        )
        self.report.count("municipalities", created)
        self.municipalities[number] = municipality
        return municipality

    def predecessors(self, municipality, text):
        for part in filter(None, (p.strip() for p in text.split(";"))):
            number, name = part.split(" ", 1)
            old = self.municipality(number, name, number[:2], None, VIKEN_FROM)
            municipality.predecessors.add(old)

    def successor(self, municipality, number, county_number, note=""):
        new = self.municipality(number, municipality.name, county_number, SPLIT_DAY, None, note=note)
        new.predecessors.add(municipality)
        return new

    def load_municipalities(self):
        for row in _rows("viken_municipalities_history.csv"):
            municipality = self.municipality(
                row["number_2020"], row["name_2020"], "30", VIKEN_FROM, SPLIT_DAY, label=row["ssb_label_2020"]
            )
            self.predecessors(municipality, row["predecessors_2019"])
            self.successor(municipality, row["number_2024"], row["county_number_2024"])
        for row in _rows("innlandet_municipalities_history.csv"):
            municipality = self.municipality(
                row["number_2020"], row["name_2020"], "34", VIKEN_FROM, None, label=row["ssb_label_2020"]
            )
            self.predecessors(municipality, row["predecessors_2019"])
        unverified = UNVERIFIED_NOTE
        for row in _rows("neighbour_municipalities.csv"):
            municipality = self.municipality(
                row["number_2020"], row["name_2020"], row["county_number_2020"], VIKEN_FROM, SPLIT_DAY
            )
            self.predecessors(municipality, row["predecessors_2019"])
            self.successor(municipality, row["number_2024"], row["county_number_2024"], note=unverified)

    # --- regions and memberships ------------------------------------------------------------------
    def region(self, short_name, *, host, description, model):
        slug = norwegian_slugify(short_name)
        region, created = Region.objects.get_or_create(
            slug=slug,
            defaults={
                "name": short_name,
                "host_county": host,
                "description": description,
                "organisational_model": model,
                "valid_from": REGION_VALID_FROM.get(slug),
                "valid_to": REGION_VALID_TO.get(slug),
                "confidence": Confidence.MEDIUM if slug in MEDIUM_CONFIDENCE_REGIONS else Confidence.HIGH,
                "notes": REGION_NOTES.get(slug, ""),
                "source": REGION_SOURCES.get(slug, GENERIC_SOURCE),
            },
        )
        self.report.count("regions", created)
        if not created and not region.source:  # a database loaded before regions had a source
            region.source = REGION_SOURCES.get(slug, GENERIC_SOURCE)
            region.save(update_fields=["source"])
        region.partner_counties.add(host)
        return region

    def membership(self, region, municipality, valid_from, valid_to, confidence, note, source_note=""):
        """Create the membership unless one for the same pair already overlaps the period. `note` is the
        loader's own bokmål; `source_note` the research note quoted from the source file (English)."""
        overlapping = RegionMembership.objects.filter(region=region, municipality=municipality).filter(
            valid_from__lt=valid_to or datetime.date.max
        )
        overlapping = overlapping.exclude(valid_to__isnull=False, valid_to__lte=valid_from)
        if overlapping.exists():
            return
        RegionMembership.objects.create(
            region=region,
            municipality=municipality,
            valid_from=valid_from,
            valid_to=valid_to,
            confidence=confidence,
            note=note,
            source_note=source_note,
        )
        self.report.count("memberships", True)

    def membership_across_split(self, region, municipality, valid_from, valid_to, confidence, source_note):
        """Viken's renumbering on 2024-01-01: end the 2020 number's membership, continue with the new number."""
        note = MEMBERSHIP_NOTES.get((region.slug, municipality.number, valid_from), "")
        if municipality.valid_to == SPLIT_DAY and (valid_to is None or valid_to > SPLIT_DAY):
            self.membership(region, municipality, valid_from, SPLIT_DAY, confidence, note, source_note)
            successor = municipality.successors.get(valid_from=SPLIT_DAY)
            self.membership(region, successor, SPLIT_DAY, valid_to, confidence, CARRIED_NOTE, source_note)
            if municipality.county.number == "30":
                region.partner_counties.add(successor.county)
        else:
            self.membership(region, municipality, valid_from, valid_to, confidence, note, source_note)

    def memberships_before_2020(self, region, municipality):
        """Seed 002: the ten regional councils of Hedmark and Oppland on 5 June 2018, with the 2020
        members' 2019 predecessors (the members themselves are not listed there: medium)."""
        for predecessor in municipality.predecessors.all():
            self.membership(region, predecessor, SEED_2018, VIKEN_FROM, Confidence.MEDIUM, PRE_2020_NOTE)

    def load_regions(self):
        viken, innlandet = self.counties["30"], self.counties["34"]
        regions = {}
        for row in _rows("viken_region_memberships.csv"):
            name = row["region"]
            if name not in regions:
                model = (
                    Region.OrganisationalModel.PARTNERSHIP
                    if name == "Hadeland"
                    else Region.OrganisationalModel.OWN_SECRETARIAT
                )
                regions[name] = self.region(name, host=viken, description=VIKEN_LONG_NAMES.get(name, name), model=model)
            self.membership_across_split(
                regions[name],
                self.municipalities[row["municipality_number"]],
                _date(row["valid_from"]),
                _date(row["valid_to"]),
                _confidence(row["confidence"]),
                row["note"],
            )
        for row in _rows("innlandet_regions.csv"):
            short = _short_name(row["region_name"])
            if short not in regions:
                # Today's model: all ten have had partnership agreements since 2020 (the dated history is
                # in load_organisation_models).
                model = Region.OrganisationalModel.PARTNERSHIP
                regions[short] = self.region(short, host=innlandet, description=row["region_name"], model=model)
            region = regions[short]
            region.partner_counties.add(innlandet)
            number = row["municipality_number"]
            if row["member_on_2020_01_01"] in ("yes", "likely"):
                self.memberships_before_2020(region, self.municipalities[number])
            if not number.startswith("34"):
                continue  # Lunner and Jevnaker come from the Viken file (one region, two counties)
            note = (
                ""
                if row["member_on_2020_01_01"] == "yes"
                else MEMBER_ON_NOTE.format(MEMBER_ON.get(row["member_on_2020_01_01"], row["member_on_2020_01_01"]))
            )
            source_note = row["note"] if row["confidence"] == "low" else ""
            confidence = _confidence(row["confidence"])
            self.membership(region, self.municipalities[number], VIKEN_FROM, None, confidence, note, source_note)

    def load_region_names(self):
        for slug, names in REGION_NAMES.items():
            region = Region.objects.filter(slug=slug).first()
            if region is None:
                continue
            for name, valid_from, valid_to, note, source in names:
                _row, created = RegionName.objects.get_or_create(
                    region=region,
                    name=name,
                    defaults={
                        "valid_from": valid_from,
                        "valid_to": valid_to,
                        "confidence": Confidence.LOW,
                        "note": note,
                        "source": source,
                    },
                )
                self.report.count("region names", created)

    def load_organisation_models(self):
        """Dated organisational models of Innlandet's ten regions (seed 002, I1): Hedmark's four had a
        coordinator employed by the county until 2020, then a partnership agreement like Oppland's six."""
        for region in Region.objects.filter(host_county__number="34"):
            if region.slug in HEDMARK_REGIONS:
                periods = [
                    (Region.OrganisationalModel.COUNTY_COORDINATOR, None, VIKEN_FROM, "Dokumentert 5.6.2018."),
                    (Region.OrganisationalModel.PARTNERSHIP, VIKEN_FROM, None, "Partnerskapsavtaler fra 2020."),
                ]
            else:
                periods = [(Region.OrganisationalModel.PARTNERSHIP, None, None, "Oppland-modellen, videreført i 2020.")]
            for model, valid_from, valid_to, note in periods:
                _row, created = RegionOrganisationModel.objects.get_or_create(
                    region=region,
                    model=model,
                    valid_from=valid_from,
                    defaults={"valid_to": valid_to, "note": note, "source": HEDMARK_MODELS_SOURCE},
                )
                self.report.count("organisational models", created)

    # --- målform ----------------------------------------------------------------------------------
    def load_malform(self):
        """Each municipality's official language form from malform.csv (2024 numbers; the 2020 row of
        a renumbered municipality gets the same), then each region's by the rule in MALFORM_RULE. A
        value already recorded (by an earlier run or an admin) is left alone."""
        for row in _rows("malform.csv"):
            number, value = row["municipality_number_2024"], MALFORM_VALUES.get(row["malform"])
            if value is None or not re.fullmatch(r"\d{4}", number):
                continue  # county summaries and "bokmål or nøytral" rows say nothing about one municipality
            source = f"{row['source_urls']} ({row['note']})" if row["note"] else row["source_urls"]
            rows = Municipality.objects.filter(Q(number=number) | Q(successors__number=number), malform="")
            for municipality in rows.distinct():
                municipality.malform = value
                municipality.malform_confidence = _confidence(row["confidence"])
                municipality.malform_source = source[:TEXT_MAX_LENGTH]
                municipality.save(update_fields=["malform", "malform_confidence", "malform_source"])
                self.report.count("language forms", True)
        for region in Region.objects.filter(malform=""):
            value = region_malform_from_members(region=region)
            if value:
                region.malform, region.malform_source = value, MALFORM_RULE
                region.save(update_fields=["malform", "malform_source"])
                self.report.count("language forms", True)

    # --- corrections -------------------------------------------------------------------------------
    def correction_target(self, model, key):
        parts = key.split("|")
        if model == "region":
            return Region.objects.filter(slug=parts[0]).first()
        if model == "membership":
            return RegionMembership.objects.filter(
                region__slug=parts[0], municipality__number=parts[1], valid_from=_date(parts[2])
            ).first()
        if model == "council_area":
            return CouncilArea.objects.filter(county__number="30", slug=parts[0], valid_from=_date(parts[1])).first()
        return None

    def apply_corrections(self):
        for row in _rows("corrections.csv"):
            what = row["field"]
            if what == "added":
                continue  # a row the data files add: created below like any missing row
            target = self.correction_target(row["model"], row["key"])
            if target is None:
                continue
            label = f"{row['id']} {row['model']} {row['key']} {what}"
            if what == "delete":
                if target.valid_to is None and target.note == CARRIED_NOTE:
                    target.delete()
                    self.report.corrected.append(row["id"])
                else:
                    self.report.kept.append(label)
                continue
            if what == "partner_counties":
                current = ";".join(sorted(c.number for c in target.partner_counties.all()))
                if current == row["becomes"]:
                    continue
                if current != row["was"]:
                    self.report.kept.append(label)
                    continue
                target.partner_counties.set(
                    County.objects.filter(number__in=row["becomes"].split(";")).filter(
                        pk__in=target.partner_counties.values("pk")
                    )
                )
                self.report.corrected.append(row["id"])
                continue
            model_field = target._meta.get_field(what)
            was, becomes = _field_value(model_field, row["was"]), _field_value(model_field, row["becomes"])
            current = getattr(target, what)
            if current == becomes:
                continue
            if current != was:
                self.report.kept.append(label)
                continue
            setattr(target, what, becomes)
            target.save(update_fields=[what])
            self.report.corrected.append(row["id"])

    # --- council areas ----------------------------------------------------------------------------
    def load_council_areas(self):
        viken = self.counties["30"]
        for row in _rows("viken_council_areas.csv"):
            area_name = row["area_name"]
            if "not a rådsområde" in area_name:
                continue
            name, _, rest = area_name.partition(" (")
            description = rest.rstrip(")")
            valid_from, valid_to = parse_period(row["period"])
            if valid_from is None and valid_to is None:
                valid_from, valid_to = VIKEN_FROM, SPLIT_DAY
            councillor = None
            holder = row["councillor_name_if_known"]
            source = row["source"]
            if holder and not holder.startswith("("):
                holder_name = re.sub(r"\s*\(.*\)$", "", holder).strip()
                if holder_name != holder:
                    source = f"{source} ; name as recorded: {holder}"
                holder_name = PERSON_ALIASES.get(holder_name, holder_name)
                party = row["party"] if row["party"] not in ("", "-") else ""
                councillor, created = Person.objects.get_or_create(
                    name=holder_name, user=None, defaults={"party": party, "title": "Fylkesråd"}
                )
                self.report.count("people", created)
            confidence = _confidence(row["confidence"])
            if confidence != Confidence.HIGH or "(" in row["confidence"]:
                source = f"{source} ; confidence: {row['confidence']}"
            _area, created = CouncilArea.objects.get_or_create(
                county=viken,
                slug=norwegian_slugify(name),
                valid_from=valid_from,
                defaults={
                    "name": name,
                    "description": description,
                    "councillor": councillor,
                    "party": row["party"] if row["party"] not in ("", "-") else "",
                    "valid_to": valid_to,
                    "period_note": row["period"][:200],
                    "confidence": confidence,
                    "source": source,
                    "not_a_portfolio": norwegian_slugify(name) in NOT_VIKEN_PORTFOLIOS,
                    "note": NOT_VIKEN_PORTFOLIOS.get(norwegian_slugify(name), ""),
                },
            )
            self.report.count("council areas", created)

    # --- the counties after Viken (2024) ---------------------------------------------------------
    def load_region_counties(self):
        """The dated host and partner counties of region_counties.csv. A row whose region is not in the
        registry (e.g. Søndre Østfold before the southern Østfold correction is loaded) is skipped."""
        regions = {region.slug: region for region in Region.objects.all()}
        for row in _rows("region_counties.csv"):
            region = regions.get(norwegian_slugify(row["region"]))
            if region is None:
                continue
            _link, created = RegionCounty.objects.get_or_create(
                region=region,
                county=self.counties[row["county_number"]],
                valid_from=_date(row["valid_from"]),
                defaults={
                    "role": row["role"],
                    "valid_to": _date(row["valid_to"]),
                    "confidence": _confidence(row["confidence"]),
                    "source": row["source"],
                    "note": row["note"],
                },
            )
            self.report.count("region counties", created)

    def end_viken_council_areas(self):
        """Viken's council areas end with Viken: one still open gets 2024-01-01 as its end (a correction of
        an existing database; an end already set is left alone)."""
        ended = (
            CouncilArea.objects.filter(county=self.counties["30"], valid_to__isnull=True)
            .exclude(valid_from__gte=SPLIT_DAY)
            .update(valid_to=SPLIT_DAY)
        )
        if ended:
            self.report.created["Viken council areas ended"] = ended

    def load_council_areas_after_2024(self):
        """The successor counties' political bodies and portfolios a case can be routed to
        (council_areas_after_2024.csv)."""
        for row in _rows("council_areas_after_2024.csv"):
            councillor = None
            if row["holder"]:
                councillor, created = Person.objects.get_or_create(
                    name=row["holder"], user=None, defaults={"party": row["party"]}
                )
                self.report.count("people", created)
            source = row["source"] + (f" ; {row['note']}" if row["note"] else "")
            _area, created = CouncilArea.objects.get_or_create(
                county=self.counties[row["county_number"]],
                slug=norwegian_slugify(row["name"]),
                valid_from=_date(row["valid_from"]),
                defaults={
                    "name": row["name"],
                    "description": row["description"],
                    "councillor": councillor,
                    "party": row["party"],
                    "valid_to": _date(row["valid_to"]),
                    "period_note": f"{row['body_type']}, {row['valid_from']} –"[:200],
                    "confidence": _confidence(row["confidence"]),
                    "source": source,
                },
            )
            self.report.count("council areas", created)

    def run(self):
        self.apply_corrections()
        self.load_counties()
        self.load_municipalities()
        self.load_regions()
        self.load_region_names()
        self.load_organisation_models()
        self.load_council_areas()
        self.load_malform()
        self.load_region_counties()
        self.end_viken_council_areas()
        self.load_council_areas_after_2024()
        return self.report


_DATE = r"\d{4}-\d{2}-\d{2}"
_MONTH = r"(?:[A-Z][a-z]{2}/)?([A-Z][a-z]{2}) (\d{4})"


def _parse_point(text, *, end):
    """One end of a period text: an exact date, a month, 'Aug/Sep 2020', 'YYYY-MM' or a year."""
    text = text.strip()
    if m := re.match(_DATE, text):
        return datetime.date.fromisoformat(m.group(0))
    if m := re.match(r"(\d{4})-(\d{2})(?!\d|-)", text):
        return datetime.date(int(m.group(1)), int(m.group(2)), 1)
    if m := re.match(_MONTH, text):
        return datetime.date(int(m.group(2)), MONTHS[m.group(1).lower()], 1)
    if m := re.match(r"(\d{4})\b", text):
        year = int(m.group(1))
        return datetime.date(year + 1, 1, 1) if end else datetime.date(year, 1, 1)
    return None


def parse_period(text):
    """(valid_from, valid_to) from the free-text period of viken_council_areas.csv; None when unknown."""
    text = (text or "").strip()
    if text in ("", "-"):
        return None, None
    text = re.sub(r"^(from|by)\s+", "", text)
    start_text, sep, end_text = text.partition(" to ")
    valid_from = _parse_point(start_text, end=False)
    valid_to = None
    if sep and not end_text.startswith("at least"):
        valid_to = _parse_point(end_text, end=True)
    return valid_from, valid_to


def reference_data_load():
    """Create every county, municipality, region, membership, council area and councillor of the
    reference files that is missing; returns a report of what was created."""
    with transaction.atomic():
        report = Loader().run()
        # Memberships may have been added or corrected: what counts them (cases' anchoring) follows.
        membership_listeners.notify(region_ids=Region.objects.values_list("pk", flat=True))
        return report
