"""Load the reference data in regions/data/ into the registry (see regions/data/SOURCES.md).

Idempotent and non-destructive: every row is looked up by its natural key and created only when
missing, so a second run creates nothing and an admin's later correction of a row survives.
"""

import csv
import datetime
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from core.text import norwegian_slugify

from .models import Confidence, CouncilArea, County, Municipality, Person, Region, RegionCounty, RegionMembership

DATA_DIR = Path(__file__).resolve().parent / "data"
VIKEN_FROM = datetime.date(2020, 1, 1)
SPLIT_DAY = datetime.date(2024, 1, 1)

# Hedmark's regions had regional coordinators employed by the county; Oppland's a partnership
# arrangement in each regional council (seed 002).
HEDMARK_REGIONS = {"kongsvingerregionen", "hamarregionen", "sor-osterdal", "fjellregionen"}
# Region confidence from the summary table in SOURCES.md section 2 and 4b.
MEDIUM_CONFIDENCE_REGIONS = {"haldenregionen", "nedre-glomma", "drammensregionen", "sor-osterdal"}
# Notes the loader writes itself are in bokmål, as the pages show them as they are (the research
# notes quoted from the source files stay verbatim). migrations/0003 rewrites the earlier English.
REGION_NOTES = {
    "haldenregionen": "Ikke bekreftet om Haldenregionen og Nedre Glomma fortsatt var to regionråd 1.1.2020 "
    "(eller allerede Søndre Viken regionråd); innen november 2023 dannet de Søndre Østfold regionråd.",
    "nedre-glomma": "Ikke bekreftet om Haldenregionen og Nedre Glomma fortsatt var to regionråd 1.1.2020 "
    "(eller allerede Søndre Viken regionråd); innen november 2023 dannet de Søndre Østfold regionråd.",
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
REGION_VALID_TO = {"midt-buskerud": datetime.date(2021, 1, 1)}
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
}
PERSON_ALIASES = {"Anne Beathe Tvinnereim": "Anne Beathe Kristiansen Tvinnereim"}
MONTHS = {
    m: i for i, m in enumerate(["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1)
}


@dataclass
class LoadReport:
    created: dict = field(default_factory=dict)

    def count(self, what, created):
        if created:
            self.created[what] = self.created.get(what, 0) + 1

    def __str__(self):
        if not self.created:
            return "Reference data already loaded: nothing to create."
        return "Created " + ", ".join(f"{n} {what}" for what, n in sorted(self.created.items())) + "."


def _rows(name):
    with open(DATA_DIR / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _date(value):
    return datetime.date.fromisoformat(value) if value else None


def _confidence(value):
    word = (value or "").split(" ")[0].split(":")[0].strip().lower()
    return word if word in Confidence.values else Confidence.MEDIUM


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
                "valid_to": REGION_VALID_TO.get(slug),
                "confidence": Confidence.MEDIUM if slug in MEDIUM_CONFIDENCE_REGIONS else Confidence.HIGH,
                "notes": REGION_NOTES.get(slug, ""),
            },
        )
        self.report.count("regions", created)
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
        if municipality.valid_to == SPLIT_DAY and (valid_to is None or valid_to > SPLIT_DAY):
            self.membership(region, municipality, valid_from, SPLIT_DAY, confidence, "", source_note)
            successor = municipality.successors.get(valid_from=SPLIT_DAY)
            self.membership(region, successor, SPLIT_DAY, valid_to, confidence, CARRIED_NOTE, source_note)
            if municipality.county.number == "30":
                region.partner_counties.add(successor.county)
        else:
            self.membership(region, municipality, valid_from, valid_to, confidence, "", source_note)

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
            slug = norwegian_slugify(short)
            if short not in regions:
                model = (
                    Region.OrganisationalModel.COUNTY_COORDINATOR
                    if slug in HEDMARK_REGIONS
                    else Region.OrganisationalModel.PARTNERSHIP
                )
                regions[short] = self.region(short, host=innlandet, description=row["region_name"], model=model)
            region = regions[short]
            region.partner_counties.add(innlandet)
            number = row["municipality_number"]
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
        self.load_counties()
        self.load_municipalities()
        self.load_regions()
        self.load_council_areas()
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
        return Loader().run()
