"""The national dataset for the load benchmark: every county in Norway, ten years of activity.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/rp_bench \\
        .venv/bin/python bench/national_data.py [--scale 1.0] [--seed 17] [--today YYYY-MM-DD]

It migrates the database, refuses one that already holds users, regions or cases, and then writes,
for --scale 1.0 (every count below except the registry and the users is multiplied by the scale):

- the registry: the reference data (regions/data: Viken and Innlandet with their real membership
  history from 2020) and synthetic municipalities and regions for the other counties, so that the 15
  counties have 357 municipalities today and about 100 regions, with membership history (moves,
  mergers, double memberships); seven council areas per county;
- 300 users with appointments: advisers, region council leaders (current and former terms),
  council-area staff, administrators; councillors, county council representatives, administrative
  participants and secretariats as people without logins;
- general parts and agreements (general part, special part with strengths, challenges, priorities,
  instruments and knowledge base) for every region, written and adopted through partnerships.services;
- 50,000 meetings (series, working committees, partnership, reference-group and dialogue meetings)
  with participants, about ten agenda items each, minutes of held meetings, and the reminders of the
  next twelve months (and the last ninety days) in the outbox;
- 200,000 cases in both directions whose trail follows cases.services step by step: events, routings
  to council areas, requests to regions, anchoring in the member councils, agenda items, tags, and
  one outbox message with its in-app notification per notified user and event.

Everything is derived from the seed and --today (the default is today), so a run with the same
arguments gives the same rows. Rows are written with bulk inserts in chunks of one month of cases
(about 1,700 at scale 1.0), so memory stays flat; a sample of every model's rows goes through
full_clean() first, and the database checks every constraint. The known logins are printed at the end.
"""

import argparse
import bisect
import datetime
import io
import json
import os
import random
import sys
import time
from collections import Counter, defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "viken.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()

from django.contrib.auth.hashers import make_password  # noqa: E402
from django.db import DEFAULT_DB_ALIAS, connection, connections, models, transaction  # noqa: E402
from django.db.models import JSONField, Q  # noqa: E402
from django.utils import timezone, translation  # noqa: E402
from django.utils.translation import gettext as _  # noqa: E402

from accounts.models import User  # noqa: E402
from cases.models import Anchoring, Case, CaseEvent, ReferenceCounter, RegionRequest, Routing, TopicMapping  # noqa: E402
from cases.selectors import case_anchoring_strength  # noqa: E402
from cases.services import case_anchoring_recount  # noqa: E402
from core.text import norwegian_slugify  # noqa: E402
from meetings.models import (  # noqa: E402
    AgendaItem,
    CalendarFeed,
    Meeting,
    MeetingKind,
    MeetingSeries,
    MinutesEntry,
    Participant,
)
from meetings.services import message_key, series_occurrences  # noqa: E402
from notifications.models import Message, Notification  # noqa: E402
from partnerships import services as agreements  # noqa: E402
from partnerships.models import Agreement, GeneralPart, Instrument, Priority, StrategicPlan  # noqa: E402
from regions.models import Appointment, CouncilArea, County, Municipality, Person, Region, RegionMembership  # noqa: E402
from regions.reference import reference_data_load  # noqa: E402

OSLO = ZoneInfo("Europe/Oslo")
PASSWORD = "Benk-passord-2026"
BASE_CASES = 200_000
BASE_MEETINGS = 50_000
USERS = 300
ADVISERS = 20
YEARS = 10
S = Case.Status
A = CaseEvent.Action
R = Appointment.Role

# Municipalities per county on 1 January 2024 (357 in all). The reference data has those of Østfold,
# Akershus, Buskerud and Innlandet and a few of Vestfold and Telemark; the rest are made up.
MUNICIPALITIES = {
    "03": 1,
    "11": 23,
    "15": 27,
    "18": 41,
    "31": 12,
    "32": 21,
    "33": 18,
    "34": 46,
    "39": 6,
    "40": 17,
    "42": 25,
    "46": 43,
    "50": 38,
    "55": 21,
    "56": 18,
}
# Council areas start with their county: Viken's (reference data) end with it on 2024-01-01.
AREA_FROM = {"31": datetime.date(2024, 1, 1), "32": datetime.date(2024, 1, 1), "33": datetime.date(2024, 1, 1)}
AREA_FROM["34"] = datetime.date(2020, 1, 1)
AREAS = [
    ("samferdsel", "Samferdsel"),
    ("naering", "Næring"),
    ("utdanning-og-kompetanse", "Utdanning og kompetanse"),
    ("klima-og-miljo", "Klima og miljø"),
    ("plan-og-analyse", "Plan og analyse"),
    ("kultur-og-folkehelse", "Kultur, frivillighet og folkehelse"),
    ("distrikt-og-fylkesveier", "Distrikt og fylkesveier"),
]
# The council area a topic goes to first (a keyword of its short name).
TOPIC_AREA = {
    "ntp": "samferdsel",
    "measure_package": "samferdsel",
    "concrete_matter": "fylkesvei",
    "regional_plan_strategy": "plan",
    "regional_plan": "plan",
    "early_dialogue": "naering",
    "instruments": "naering",
    "joint_input": "plan",
    "other": "kultur",
}
TOPIC_WEIGHTS = {
    "ntp": 10,
    "regional_plan_strategy": 6,
    "regional_plan": 12,
    "concrete_matter": 24,
    "measure_package": 8,
    "early_dialogue": 10,
    "instruments": 14,
    "joint_input": 6,
    "other": 10,
}
TERMS = [
    (datetime.date(2015, 10, 15), datetime.date(2019, 10, 15)),
    (datetime.date(2019, 10, 15), datetime.date(2023, 10, 15)),
    (datetime.date(2023, 10, 15), None),
]
PARTIES = ["Ap", "H", "Sp", "FrP", "SV", "V", "KrF", "MDG", "R"]
FIRST = [
    "Anne",
    "Kari",
    "Ingrid",
    "Marit",
    "Liv",
    "Hilde",
    "Silje",
    "Ida",
    "Nora",
    "Tone",
    "Berit",
    "Randi",
    "Solveig",
    "Astrid",
    "Eli",
    "Guro",
    "Kristin",
    "Heidi",
    "Ola",
    "Per",
    "Lars",
    "Knut",
    "Jon",
    "Arne",
    "Bjørn",
    "Geir",
    "Terje",
    "Svein",
    "Morten",
    "Rune",
    "Espen",
    "Trond",
    "Håkon",
    "Magnus",
    "Eirik",
    "Sindre",
    "Vidar",
]
LAST = [
    "Hansen",
    "Johansen",
    "Olsen",
    "Larsen",
    "Andersen",
    "Pedersen",
    "Nilsen",
    "Kristiansen",
    "Jensen",
    "Karlsen",
    "Johnsen",
    "Pettersen",
    "Eriksen",
    "Berg",
    "Haugen",
    "Hagen",
    "Johannessen",
    "Andreassen",
    "Jacobsen",
    "Dahl",
    "Jørgensen",
    "Halvorsen",
    "Henriksen",
    "Lund",
    "Sørensen",
    "Jakobsen",
    "Moen",
    "Gundersen",
    "Iversen",
    "Strand",
    "Solberg",
    "Svendsen",
    "Eide",
    "Knutsen",
    "Martinsen",
    "Paulsen",
    "Bakken",
]
NAME_HEADS = [
    "Aur",
    "Berg",
    "Bjørk",
    "Eid",
    "Fjell",
    "Fos",
    "Gran",
    "Hav",
    "Hol",
    "Kval",
    "Lin",
    "Lyng",
    "Mel",
    "Mo",
    "Nor",
    "Os",
    "Rau",
    "Rød",
    "Sel",
    "Sol",
    "Stor",
    "Sund",
    "Tor",
    "Ul",
    "Vang",
    "Vik",
    "Øy",
    "Ås",
    "Ask",
    "Bø",
    "Dal",
    "Ek",
    "Furu",
    "Hei",
    "Lia",
    "Myr",
    "Nes",
    "Rosen",
    "Stein",
    "Tind",
]
NAME_TAILS = ["dal", "vik", "nes", "øy", "stad", "heim", "fjord", "land", "berg", "sund", "ås", "rud", "bygd", "haug"]
THEMES = [
    "næringsutvikling",
    "kollektivtransport",
    "reiseliv",
    "grønn omstilling",
    "bosetting og tilflytting",
    "fullføring i videregående opplæring",
    "klimatilpasning",
    "landbruk og matproduksjon",
    "havbruk",
    "kompetanse i arbeidslivet",
    "digitalisering",
    "folkehelse",
    "friluftsliv",
    "sentrumsutvikling",
    "bredbånd",
    "vannforvaltning",
    "kulturminner",
    "boligbygging",
    "trafikksikkerhet",
    "energi og kraftnett",
]
ROADS = ["E6", "E18", "E16", "E39", "E134", "rv. 4", "rv. 7", "rv. 22", "rv. 35"]
CASE_TITLES = {
    "ntp": [
        "NTP: innspill om {road} ved {place}",
        "Nasjonal transportplan: prioriteringer for {region}",
        "NTP: dobbeltspor mellom {place} og {place2}",
    ],
    "regional_plan_strategy": ["Innspill til regional planstrategi {y1}–{y2}", "Regional planstrategi: {region}"],
    "regional_plan": ["Høring: regional plan for {theme}", "Regional plan for {theme}: innspill fra {region}"],
    "concrete_matter": [
        "Gang- og sykkelvei langs fylkesvei {fv}",
        "Trafikksikring ved {place} skole",
        "Rassikring på fylkesvei {fv} ved {place}",
        "Ny bussforbindelse mellom {place} og {place2}",
        "Utbedring av fylkesvei {fv} gjennom {place}",
    ],
    "measure_package": ["Tiltakspakke for {theme} i {region}", "Tiltakspakke: {theme} i {place}"],
    "early_dialogue": ["Tidlig dialog om {theme} i {place}", "Samfunnsdialog om {theme}"],
    "instruments": ["Regionale utviklingsmidler til {theme}", "Dialog om fylkets virkemidler for {theme}"],
    "joint_input": ["Felles innspill til staten om {theme}", "Felles uttalelse om {theme} fra {region}"],
    "other": ["Henvendelse om {theme}", "Orientering om {theme} i {region}"],
}
COUNTY_TITLES = [
    "Høring: regional plan for {theme}",
    "Innspill til fylkets strategi for {theme}",
    "Kartlegging av behov for {theme} i regionene",
    "Forslag til handlingsprogram for {theme}",
]
SENTENCES = [
    "Regionrådet ber fylkeskommunen om en tidlig dialog om saken.",
    "Kommunene i regionen står samlet bak innspillet.",
    "Saken har betydning for {theme} i hele regionen.",
    "Det vises til vedtak i regionrådet og i kommunestyrene.",
    "Regionen ønsker at saken tas opp i neste regionrådsmøte.",
    "Tiltaket er nevnt i handlingsprogrammet, men er ikke finansiert.",
    "Regionen ber om en vurdering av kostnader og fremdrift.",
    "Innspillet bygger på satsingene i partnerskapsavtalen.",
    "Fylkeskommunen bes om å koordinere arbeidet med statlige etater.",
    "Det er behov for en avklaring før kommunene går videre med planarbeidet.",
]
ANSWERS = [
    "Rådsområdet har vurdert saken og tar den med i arbeidet med handlingsprogrammet.",
    "Saken er lagt inn i prioriteringene for neste år.",
    "Det er ikke rom for tiltaket i inneværende periode; saken vurderes på nytt ved neste rullering.",
    "Rådsområdet stiller i regionrådet for å orientere om saken.",
    "Fylkeskommunen støtter innspillet og tar det videre overfor staten.",
    "Saken er fulgt opp med tilskudd fra regionale utviklingsmidler.",
]
AGENDA_TITLES = [
    "Orientering fra fylkeskommunen",
    "Status for partnerskapsavtalen",
    "Regional planstrategi: innspill fra regionen",
    "Nasjonal transportplan: felles prioriteringer",
    "Kollektivtilbudet i regionen",
    "Næringsutvikling og regionale utviklingsmidler",
    "Fullføring i videregående opplæring",
    "Klimatilpasning og overvann",
    "Budsjett og økonomiplan",
    "Referatsaker",
    "Eventuelt",
    "Høringsuttalelse om {theme}",
    "Prosjekt for {theme}",
    "Besøk fra {place} kommune",
]


# Fields whose Python value PostgreSQL reads as it is in COPY's text format (the generator gives
# datetime fields aware values, so there is nothing for Django to convert).
PLAIN_FIELDS = (
    models.AutoField,
    models.BigAutoField,
    models.BooleanField,
    models.CharField,
    models.DateField,  # DateTimeField too
    models.ForeignKey,
    models.IntegerField,  # the positive and small ones too
    models.TextField,
    models.UUIDField,
)


def _local(day, hour, minute=0):
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=OSLO)


def _covers(start, end, day):
    """The half-open period [start, end) contains the day (a blank end never ends)."""
    return (start is None or start <= day) and (end is None or end > day)


@contextmanager
def _explicit_timestamps(*fields):
    """Let bulk inserts keep the historical created_at/updated_at the rows are given."""
    saved = [(f, f.auto_now, f.auto_now_add) for f in fields]
    for f in fields:
        f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, auto_now, auto_now_add in saved:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


@dataclass
class Step:
    """One step of a case's life: its event, status change and who hears of it."""

    at: datetime.datetime
    action: str
    to: str | None = None  # None: the status stays
    actor: int | None = None
    comment: str = ""
    internal: bool = False
    notify: list = field(default_factory=list)
    apply: object = None  # a callable(case) run when the step happens before "now"
    seq: int = 0


@dataclass
class CasePlan:
    """A case's whole life as planned; walk() keeps what happened before "now"."""

    case: Case
    steps: list
    # {"item": Routing or RegionRequest, "answer": when, "by": user, "withdrawn": when} (+ "ack" for routings)
    routings: list = field(default_factory=list)
    requests: list = field(default_factory=list)
    anchorings: list = field(default_factory=list)  # (Step, Anchoring): kept when the step happened
    agenda: list = field(default_factory=list)  # (Step, AgendaItem)
    priorities: list = field(default_factory=list)
    instruments: list = field(default_factory=list)
    applied: list = field(default_factory=list)  # the steps before now, in order


class NationalData:
    def __init__(self, *, scale=1.0, seed=17, today=None, counties=None, stdout=sys.stdout, validate_every=2000):
        if scale <= 0:
            raise ValueError("scale must be positive")
        self.only = set(counties or ())  # county numbers: only their regions get activity (quick tests)
        self.scale = scale
        self.seed = seed
        self.rng = random.Random(seed)
        self.today = today or timezone.localdate()
        self.now = _local(self.today, 0)  # every generated moment is before today
        day = self.today if (self.today.month, self.today.day) != (2, 29) else self.today.replace(day=28)
        self.start = day.replace(year=day.year - YEARS)
        self.horizon = self.today + datetime.timedelta(days=365)
        self.out = stdout
        self.validate_every = validate_every
        self.counts = Counter()
        self.validated = Counter()
        self.timings = []
        self.seq = 0

    # --- small helpers ---------------------------------------------------------------------

    def say(self, text):
        self.out.write(text + "\n")
        if hasattr(self.out, "flush"):
            self.out.flush()

    def insert(self, model, objs, *, batch_size=2000):
        """Insert the rows (each gets its primary key), after full_clean() of a sample (field validators
        and choices: the first rows of each model, then one in 2,000); the database checks every
        constraint of all of them. SQLite: bulk_create(); PostgreSQL: COPY, several times faster."""
        if not objs:
            return objs
        relations = [f for f in model._meta.concrete_fields if f.many_to_one or f.one_to_one]
        label = model._meta.label
        done = self.counts[label]
        for index, obj in enumerate(objs):
            if (done + index) % self.validate_every and self.validated[label] >= 20:
                continue
            self.validated[label] += 1
            _resolve(obj, relations)
            obj.full_clean(validate_unique=False, validate_constraints=False)
        if connection.vendor == "postgresql":
            self.copy(model, objs, relations)
        else:
            model.objects.bulk_create(objs, batch_size=batch_size)
        self.counts[label] += len(objs)
        return objs

    def copy(self, model, objs, relations):
        """COPY the rows into the table: ids are drawn from the table's own sequence first (so children
        can refer to them, and later inserts by the portal continue after them); a value of a field
        PostgreSQL reads as text goes as it is, any other is prepared by its model field."""
        db = connections[DEFAULT_DB_ALIAS]
        meta = model._meta
        fields = [f for f in meta.concrete_fields if not f.generated]  # generated: the database writes them
        plain = [isinstance(f, PLAIN_FIELDS) for f in fields]
        quote = db.ops.quote_name
        with db.cursor() as cursor:
            missing = [obj for obj in objs if obj.pk is None]
            if missing:
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                    [meta.db_table, meta.pk.column, len(missing)],
                )
                for obj, (pk,) in zip(missing, cursor.fetchall(), strict=True):
                    obj.pk = pk
            lines = []
            for obj in objs:
                _resolve(obj, relations)
                row = []
                for f, simple in zip(fields, plain, strict=True):
                    value = getattr(obj, f.attname)
                    if simple:
                        row.append(_copy_text(value))
                    elif isinstance(f, JSONField):
                        row.append(_copy_text(json.dumps(value, cls=f.encoder)))
                    else:
                        row.append(_copy_text(f.get_db_prep_save(f.pre_save(obj, True), db)))
                lines.append("\t".join(row))
                obj._state.adding = False
                obj._state.db = db.alias
            columns = ", ".join(quote(f.column) for f in fields)
            cursor.copy_expert(
                f"COPY {quote(meta.db_table)} ({columns}) FROM STDIN", io.StringIO("\n".join(lines) + "\n")
            )

    def work(self, moment):
        """The next working moment (weekdays 08-16, Oslo) at or after the given one."""
        local = moment.astimezone(OSLO)
        day = local.date()
        if local.hour >= 16:
            day += datetime.timedelta(days=1)
            local = None
        elif local.hour < 8:
            local = None
        while day.weekday() >= 5:
            day += datetime.timedelta(days=1)
            local = None
        if local is None:
            return _local(day, 8, self.rng.randrange(60))
        return local

    def after(self, moment, low_days, high_days):
        return self.work(moment + datetime.timedelta(days=self.rng.uniform(low_days, high_days)))

    def next_seq(self):
        self.seq += 1
        return self.seq

    def name(self):
        return f"{self.rng.choice(FIRST)} {self.rng.choice(LAST)}"

    @contextmanager
    def timed(self, label):
        started = time.monotonic()
        yield
        seconds = time.monotonic() - started
        self.timings.append((label, seconds))
        self.say(f"  {label}: {seconds:.1f} s")

    # --- the run ----------------------------------------------------------------------------

    def run(self):
        if User.objects.exists() or Region.objects.exists() or Case.objects.exists():
            raise SystemExit(
                "The national dataset needs an empty database (run `migrate` on a new one): "
                "this one already has users, regions or cases."
            )
        started = time.monotonic()
        self.say(
            f"National dataset: scale {self.scale:g}, seed {self.seed}, today {self.today.isoformat()}, "
            f"database {connection.vendor} ({connection.settings_dict['NAME']})"
        )
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET synchronous_commit TO off")
        stamped = [
            Case._meta.get_field("created_at"),
            Case._meta.get_field("updated_at"),
            Message._meta.get_field("created_at"),
            Meeting._meta.get_field("created_at"),
            Meeting._meta.get_field("updated_at"),
            MeetingSeries._meta.get_field("created_at"),
            MinutesEntry._meta.get_field("updated_at"),
        ]
        with translation.override("nb"), _explicit_timestamps(*stamped):
            with self.timed("registry"), transaction.atomic():
                self.build_registry()
            with self.timed("people and appointments"), transaction.atomic():
                self.build_people()
            with self.timed("agreements (through partnerships.services)"), transaction.atomic():
                self.build_agreements()
            with self.timed("meetings"):
                self.build_meetings()
            with self.timed("cases"):
                self.build_cases()
            with self.timed("anchoring strength of every case (cases.services.case_anchoring_recount)"):
                case_anchoring_recount()
            with self.timed("feeds, counters, statistics"), transaction.atomic():
                self.finish()
        with self.timed("ANALYZE"), connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        self.report(time.monotonic() - started)
        return self

    # --- registry ---------------------------------------------------------------------------

    def build_registry(self):
        reference_data_load()
        self.counties = {c.number: c for c in County.objects.valid_on(self.today).order_by("number")}
        used_numbers = set(Municipality.objects.values_list("number", flat=True))
        used_names = set(Municipality.objects.values_list("name", flat=True))
        names = [h + t for h in NAME_HEADS for t in NAME_TAILS if (h + t) not in used_names]
        self.rng.shuffle(names)
        names = iter(names)
        new_munis = []
        for number, target in MUNICIPALITIES.items():
            county = self.counties.get(number)
            if county is None or (self.only and number not in self.only):
                continue
            have = Municipality.objects.valid_on(self.today).filter(county=county).count()
            candidates = (f"{number}{n:02d}" for n in range(1, 100))
            for _i in range(max(0, target - have)):
                code = next(c for c in candidates if c not in used_numbers)
                used_numbers.add(code)
                name = "Oslo" if number == "03" else next(names)
                new_munis.append(Municipality(number=code, name=name, county=county, official_label=name))
        self.insert(Municipality, new_munis)

        # Synthetic regions: neighbours (by number) in groups of two to six, with some history.
        by_county = defaultdict(list)
        for muni in new_munis:
            if muni.county.number != "03":
                by_county[muni.county.number].append(muni)
        regions, memberships, partners = [], [], []
        taken = set(Region.objects.values_list("slug", flat=True))
        groups_by_county = {}
        for number, munis in by_county.items():
            groups, index = [], 0
            while index < len(munis):
                size = self.rng.choice([2, 3, 3, 3, 4, 4, 5])
                groups.append(munis[index : index + size])
                index += size
            if len(groups) > 1 and len(groups[-1]) == 1:
                groups[-2].extend(groups.pop())
            groups_by_county[number] = groups
            for group in groups:
                base = group[0].name
                slug = norwegian_slugify(f"{base}regionen")
                if slug in taken:
                    slug = f"{slug}-{number}"
                taken.add(slug)
                region = Region(
                    name=f"{base}regionen",
                    slug=slug,
                    host_county=self.counties[number],
                    description=f"Regionrådet for {', '.join(m.name for m in group)}.",
                    organisational_model=self.rng.choice(Region.OrganisationalModel.values[:3]),
                )
                region.members = group
                regions.append(region)
        self.insert(Region, regions)
        for region in regions:
            partners.append(Region.partner_counties.through(region_id=region.pk, county_id=region.host_county_id))

        def member(muni, region, valid_from, valid_to=None, note=""):
            decided = (valid_from or self.start) - datetime.timedelta(days=self.rng.randint(40, 200))
            return RegionMembership(
                municipality=muni,
                region=region,
                valid_from=valid_from,
                valid_to=valid_to,
                decided_on=decided,
                decision_reference=f"K-sak {self.rng.randint(1, 120)}/{decided:%y}",
                note=note,
            )

        region_of_group = {}
        for region in regions:
            region_of_group[id(region.members)] = region
        history_start = self.start.replace(month=1, day=1)
        for groups in groups_by_county.values():
            group_regions = [region_of_group[id(g)] for g in groups]
            ends = {}
            moves = []
            if len(groups) >= 3 and self.rng.random() < 0.35:
                # Two neighbouring regions merge: the second ends, its members join the first.
                j = self.rng.randrange(len(groups) - 1)
                day = datetime.date(self.rng.randint(self.start.year + 2, self.today.year - 1), 1, 1)
                ends[j + 1] = day
                group_regions[j + 1].valid_to = day
                group_regions[j + 1].notes = f"Slått sammen med {group_regions[j].name} fra {day:%d.%m.%Y}."
                moves += [(m, j + 1, j, day, "merger") for m in groups[j + 1]]
            if len(groups) >= 2 and self.rng.random() < 0.5:
                j = self.rng.randrange(len(groups) - 1)
                if j + 1 not in ends and j not in ends and len(groups[j]) > 2:
                    day = datetime.date(self.rng.randint(self.start.year + 1, self.today.year), 1, 1)
                    moves.append((groups[j][-1], j, j + 1, day, "move"))
            if len(groups) >= 2 and self.rng.random() < 0.25:
                j = self.rng.randrange(len(groups) - 1)
                if j + 1 not in ends:
                    day = datetime.date(self.rng.randint(self.start.year + 1, self.today.year), 7, 1)
                    moves.append((groups[j][0], j, j + 1, day, "double"))
            moved = {id(m): (src, dst, day, kind) for m, src, dst, day, kind in moves}
            for j, group in enumerate(groups):
                for muni in group:
                    change = moved.get(id(muni))
                    if change is None or change[3] == "double":
                        memberships.append(member(muni, group_regions[j], history_start))
                        if change is not None:
                            memberships.append(
                                member(muni, group_regions[change[1]], change[2], note="Medlem av to regioner.")
                            )
                        continue
                    src, dst, day, kind = change
                    leave_note = "Regionene slått sammen." if kind == "merger" else "Meldte seg ut."
                    memberships.append(member(muni, group_regions[src], history_start, day, note=leave_note))
                    memberships.append(member(muni, group_regions[dst], day, note=f"Fra {group_regions[src].name}."))
        # Region.valid_to was set above after the insert.
        for region in regions:
            if region.valid_to:
                region.save(update_fields=["valid_to", "notes"])
        self.insert(Region.partner_counties.through, partners)
        self.insert(RegionMembership, memberships)

        # Council areas: seven per county with regions (Viken's come from the reference data); an area
        # the reference data already has for a successor county (same slug and start) is not made again.
        areas = []
        councillors = []
        from_reference = set(CouncilArea.objects.values_list("county_id", "slug", "valid_from"))
        for number, county in self.counties.items():
            if number == "03" or (self.only and number not in self.only):
                continue
            for slug, name in AREAS:
                if (county.pk, slug, AREA_FROM.get(number)) in from_reference:
                    continue
                councillor = self.name()
                person = Person(
                    name=councillor,
                    email=f"{norwegian_slugify(councillor)}.{number}{len(areas)}@bench.invalid",
                    title="Fylkesråd",
                    party=self.rng.choice(PARTIES),
                )
                councillors.append(person)
                areas.append(
                    CouncilArea(
                        county=county,
                        name=name,
                        slug=slug,
                        councillor=person,
                        party=person.party,
                        valid_from=AREA_FROM.get(number),
                        description=f"Fylkesrådets rådsområde for {name.lower()} i {county.name}.",
                    )
                )
        self.insert(Person, councillors)
        for area in areas:
            area.councillor_id = area.councillor.pk
        self.insert(CouncilArea, areas)

        # What the rest of the generator reads: regions with their activity windows, areas, members.
        self.regions = list(Region.objects.select_related("host_county").order_by("pk"))
        partner_rows = Region.partner_counties.through.objects.values_list("region_id", "county_id")
        self.region_counties = defaultdict(set)
        for region_id, county_id in partner_rows:
            self.region_counties[region_id].add(county_id)
        for region in self.regions:
            self.region_counties[region.pk].add(region.host_county_id)
        self.members = defaultdict(list)  # region id -> [(from, to, municipality id, name)]
        for m in RegionMembership.objects.select_related("municipality").order_by("pk"):
            self.members[m.region_id].append((m.valid_from, m.valid_to, m.municipality_id, m.municipality.name))
        self.window = {}
        for region in self.regions:
            starts = [f for f, _t, _m, _n in self.members[region.pk] if f]
            first = max(min(starts), self.start) if starts else self.start
            end = region.valid_to or self.today
            if end > first:
                self.window[region.pk] = (first, min(end, self.today))
        self.county_by_id = {c.pk: c for c in County.objects.all()}
        chosen = {c.pk for c in County.objects.filter(number__in=self.only)} if self.only else None
        self.regions = [
            r for r in self.regions if r.pk in self.window and (chosen is None or self.region_counties[r.pk] & chosen)
        ]
        in_use = {c for r in self.regions for c in self.region_counties[r.pk]}
        self.areas = [a for a in CouncilArea.objects.select_related("county").order_by("pk") if a.county_id in in_use]
        self.area_counties = sorted({a.county_id for a in self.areas})

    def area_period(self, area):
        """When an area could be routed to: its own period, cut where its county ended."""
        ends = [d for d in (area.valid_to, area.county.valid_to) if d]
        return area.valid_from, (min(ends) if ends else None)

    def areas_on(self, day, county_ids):
        out = []
        for area in self.areas:
            start, end = self.area_period(area)
            if area.county_id in county_ids and _covers(start, end, day):
                out.append(area)
        return out

    def members_on(self, region_id, day):
        return [(m, n) for f, t, m, n in self.members[region_id] if _covers(f, t, day)]

    # --- people -----------------------------------------------------------------------------

    def build_people(self):
        password = make_password(PASSWORD)
        users, persons, appointments = [], [], []

        def user(username, role, first, last, **extra):
            u = User(
                username=username,
                first_name=first,
                last_name=last,
                email=f"{username}@bench.invalid",
                role=role,
                password=password,
                **extra,
            )
            users.append(u)
            return u

        def person(name, *, title="", party="", login=None):
            p = Person(
                name=name,
                email=f"{norwegian_slugify(name)}.{len(persons) + 1}@bench.invalid",
                title=title,
                party=party,
                user=login,
            )
            persons.append(p)
            return p

        def appoint(p, role, valid_from, valid_to, **target):
            by = {
                R.REGION_COUNCIL_LEADER: Appointment.AppointedBy.REGION,
                R.REGION_SECRETARIAT: Appointment.AppointedBy.REGION,
                R.COUNTY_COUNCILLOR: Appointment.AppointedBy.COUNTY_EXECUTIVE,
                R.COUNTY_COUNCIL_REPRESENTATIVE: Appointment.AppointedBy.COUNTY_COUNCIL,
            }.get(role, Appointment.AppointedBy.COUNTY_ADMINISTRATION)
            decided = valid_from - datetime.timedelta(days=self.rng.randint(10, 40))
            a = Appointment(
                person=p,
                role=role,
                valid_from=valid_from,
                valid_to=valid_to,
                appointed_by=by,
                decision_date=decided,
                decision_reference=f"Sak {self.rng.randint(1, 99)}/{decided:%y}",
                party=p.party,
                **target,
            )
            appointments.append(a)
            return a

        user("admin", User.Role.ADMIN, "Ada", "Administrator", is_staff=True, is_superuser=True)
        user("admin2", User.Role.ADMIN, "Anders", "Drift", is_staff=True, is_superuser=True)
        # The advisers belong to one county (issue 13: they see its regions): the first county with activity.
        home = (self.only and self.counties.get(min(self.only))) or self.counties.get("32")
        home = home or next(iter(self.counties.values()))
        for index in range(ADVISERS):
            username = "radgiver" if index == 0 else f"radgiver{index + 1:02d}"
            first, last = ("Randi", "Rådgiver") if index == 0 else (self.rng.choice(FIRST), self.rng.choice(LAST))
            login = user(username, User.Role.ADVISER, first, last)
            p = person(f"{first} {last}", title="Rådgiver", login=login)
            appoint(p, R.COORDINATION_ADVISER, self.start, None, county=home)

        # Council-area staff: one login per area for the area's period.
        self.bench_area = None
        for area in self.areas:
            start, end = self.area_period(area)
            start = max(start or self.start, self.start)
            if end is not None and end <= start:
                continue
            first, last = self.rng.choice(FIRST), self.rng.choice(LAST)
            county_no = area.county.number
            username = f"saksbehandler-{county_no}-{area.slug}"[:140]
            if any(u.username == username for u in users):  # an area renewed under the same name
                username = f"{username}-{start.year}"
            if self.bench_area is None and county_no == "31" and area.slug == "samferdsel":
                username, self.bench_area = "saksbehandler", area
            login = user(username, User.Role.COUNCIL_AREA_STAFF, first, last)
            p = person(f"{first} {last}", title="Rådgiver", login=login)
            appoint(p, R.COUNCIL_AREA_STAFF, start, end, council_area=area)

        # Regions: leaders, representatives, councillor, administrative participants, secretariat per term.
        self.bench_region = next((r for r in self.regions if r.slug == "indre-ostfold"), self.regions[0])
        current_leaders = sum(1 for r in self.regions if r.valid_to is None or r.valid_to > self.today)
        former_budget = USERS - len(users) - current_leaders
        councillor_pool = defaultdict(list)
        for area in self.areas:
            if area.councillor_id:
                councillor_pool[area.county_id].append(area.councillor)
        for region in self.regions:
            first_day, last_day = self.window[region.pk]
            region_end = region.valid_to
            for term_index, (term_from, term_to) in enumerate(TERMS):
                valid_from = max(term_from, first_day)
                ends = [d for d in (term_to, region_end) if d]
                valid_to = min(ends) if ends else None
                if valid_to is not None and valid_to <= valid_from:
                    continue
                current = valid_to is None
                first, last = self.rng.choice(FIRST), self.rng.choice(LAST)
                login = None
                if current or (term_index == len(TERMS) - 2 and former_budget > 0):
                    if not current:
                        former_budget -= 1
                    username = "leder" if (current and region is self.bench_region) else f"leder-{region.slug}"
                    if not current:
                        username = f"leder-{region.slug}-{term_from.year}"
                    login = user(username[:150], User.Role.REGION_LEADER, first, last)
                party = self.rng.choice(PARTIES)
                leader = person(f"{first} {last}", title="Ordfører", party=party, login=login)
                appoint(leader, R.REGION_COUNCIL_LEADER, valid_from, valid_to, region=region)
                for side in (Appointment.Side.POSITION, Appointment.Side.OPPOSITION):
                    rep = person(self.name(), title="Fylkestingsrepresentant", party=self.rng.choice(PARTIES))
                    a = appoint(rep, R.COUNTY_COUNCIL_REPRESENTATIVE, valid_from, valid_to, region=region)
                    a.side = side
                counties = [
                    c
                    for c in sorted(self.region_counties[region.pk])
                    if _covers(self.county_by_id[c].valid_from, self.county_by_id[c].valid_to, valid_from)
                    and councillor_pool.get(c)
                ] or [c for c in sorted(self.region_counties[region.pk]) if councillor_pool.get(c)]
                if counties:
                    appoint(
                        self.rng.choice(councillor_pool[counties[0]]),
                        R.COUNTY_COUNCILLOR,
                        valid_from,
                        valid_to,
                        region=region,
                    )
                for _i in range(self.rng.choice([1, 2, 2])):
                    official = person(self.name(), title="Seksjonsleder")
                    appoint(official, R.ADMINISTRATIVE_PARTICIPANT, valid_from, valid_to, region=region)
                secretary = person(self.name(), title="Regionkoordinator")
                appoint(secretary, R.REGION_SECRETARIAT, valid_from, valid_to, region=region)
        # Guests invited by name to some meetings.
        self.guests = [person(self.name(), title="Innleder") for _i in range(60)]
        self.insert(User, users)
        for p in persons:
            p.user_id = p.user.pk if p.user else None
        self.insert(Person, persons)
        for a in appointments:
            a.person_id = a.person.pk
        self.insert(Appointment, appointments)

        self.users = {u.pk: u for u in users}
        self.person_email = dict(Person.objects.values_list("pk", "email"))
        self.advisers = [u.pk for u in users if u.role == User.Role.ADVISER]
        self.adviser_appointment = {a.person.user_id: a.pk for a in appointments if a.role == R.COORDINATION_ADVISER}
        self.adviser_weights = [4 if i == 0 else 1 for i in range(len(self.advisers))]
        self.user_person = {p.user_id: p.pk for p in persons if p.user_id}
        self.by_region = defaultdict(list)  # region -> [(role, from, to, person id, appointment id, user id)]
        self.staff = defaultdict(list)  # area -> [(from, to, user id)]
        for a in appointments:
            row = (a.role, a.valid_from, a.valid_to, a.person_id, a.pk, a.person.user_id)
            if a.region_id:
                self.by_region[a.region_id].append(row)
            if a.role == R.COUNCIL_AREA_STAFF:
                self.staff[a.council_area_id].append((a.valid_from, a.valid_to, a.person.user_id))

    def leaders_on(self, region_id, day):
        return [
            u
            for role, f, t, _p, _a, u in self.by_region[region_id]
            if role == R.REGION_COUNCIL_LEADER and _covers(f, t, day) and u
        ]

    def staff_on(self, area_id, day):
        return [u for f, t, u in self.staff[area_id] if _covers(f, t, day) and u]

    def adviser(self):
        return self.rng.choices(self.advisers, self.adviser_weights)[0]

    # --- agreements -------------------------------------------------------------------------

    def build_agreements(self):
        by = self.users[self.advisers[0]]
        pairs = defaultdict(list)  # county -> [(region, from, to)]
        for region in self.regions:
            first_day, _last = self.window[region.pk]
            for county_id in sorted(self.region_counties[region.pk]):
                county = self.county_by_id[county_id]
                start = max(first_day, county.valid_from or first_day)
                ends = [d for d in (county.valid_to, region.valid_to) if d]
                end = min(ends) if ends else None
                if (end is None or end > start) and start <= self.today:
                    pairs[county_id].append((region, start, end))
        self.priorities = defaultdict(list)  # region -> [(adopted on, [priority ids])]
        self.instruments = defaultdict(list)  # county -> [instrument ids]
        for county_id, rows in pairs.items():
            county = self.county_by_id[county_id]
            areas = [a for a in self.areas if a.county_id == county_id]
            plans = [
                StrategicPlan.objects.create(
                    county=county, title=f"{title} for {county.name}", kind=kind, adopted_on=min(r[1] for r in rows)
                )
                for title, kind in (
                    ("Regional planstrategi", StrategicPlan.Kind.REGIONAL_PLAN_STRATEGY),
                    ("Regional transportplan", StrategicPlan.Kind.REGIONAL_TRANSPORT_PLAN),
                )
            ]
            self.counts[StrategicPlan._meta.label] += len(plans)
            instruments = [
                Instrument(
                    name=f"{name} ({county.name})",
                    kind=kind,
                    council_area=self.rng.choice(areas) if areas else None,
                    description=f"{name} i {county.name}.",
                )
                for name, kind in (
                    ("Regionale utviklingsmidler", Instrument.Kind.GRANT_SCHEME),
                    ("Tilskudd til trafikksikkerhet", Instrument.Kind.GRANT_SCHEME),
                    ("Program for bedre kollektivtilbud", Instrument.Kind.PROGRAMME),
                    ("Kompetanseprogram for arbeidslivet", Instrument.Kind.PROGRAMME),
                    ("Regional plan for klima og energi", Instrument.Kind.PLAN),
                )
            ]
            self.insert(Instrument, instruments)
            self.instruments[county_id] = [i.pk for i in instruments]
            first = min(r[1] for r in rows)
            versions = [max(first, datetime.date(first.year, 3, 1))]
            second = datetime.date(max(first.year + 3, 2021), 6, 1)
            if second < self.today - datetime.timedelta(days=200):
                versions.append(second)
            for number, adopted_on in enumerate(versions, start=1):
                general = agreements.general_part_create(
                    county=county,
                    title=f"Partnerskapsavtale – generell del ({county.name})",
                    actor=by,
                    changelog="Første versjon." if number == 1 else "Revidert etter evaluering av avtalene.",
                    sections=[
                        {"heading": "Formål", "body": "Fylkeskommunen og regionene samarbeider om regional utvikling."},
                        {"heading": "Roller", "body": "- Fagenheten er én dør inn, én dør ut.\n- Faste møtetider."},
                        {"heading": "Oppfølging", "body": "Avtalen evalueres hvert fjerde år."},
                    ],
                )
                agreements.general_part_adopt(
                    general_part=general,
                    actor=by,
                    adopted_on=adopted_on,
                    decision_reference=f"FT-sak {self.rng.randint(1, 90)}/{adopted_on:%y}",
                    adopting_body="Fylkestinget",
                )
                self.counts[GeneralPart._meta.label] += 1
                for region, start, end in rows:
                    adopt = max(start, adopted_on) + datetime.timedelta(days=self.rng.randint(60, 200))
                    if adopt >= self.today or (end is not None and adopt >= end):
                        continue
                    self.agreement(county, region, adopt, end, number, instruments, plans, by)
            if self.rng.random() < 0.5:
                draft = agreements.general_part_create(
                    county=county,
                    title=f"Partnerskapsavtale – generell del ({county.name})",
                    actor=by,
                    changelog="Utkast til ny versjon.",
                    sections=[{"heading": "Formål", "body": "Utkast."}],
                )
                agreements.general_part_send_to_consultation(general_part=draft, actor=by)
                self.counts[GeneralPart._meta.label] += 1
        # Some regions negotiate their next special part now.
        for region in self.regions:
            if region.valid_to is not None or self.rng.random() > 0.3:
                continue
            current = Agreement.objects.filter(region=region, status=Agreement.Status.ADOPTED).order_by("-pk").first()
            if current is None:
                continue
            draft = agreements.agreement_create(county=current.county, region=region, actor=by, changelog="Ny versjon.")
            agreements.agreement_start_negotiation(agreement=draft, actor=by)
            leader = self.leaders_on(region.pk, self.today)
            for section in ("strengths", "priorities"):
                agreements.comment_add(
                    special_part=draft.special_part,
                    section=section,
                    text="Regionen foreslår å tydeliggjøre satsingen på grønn omstilling.",
                    actor=self.users[leader[0]] if leader else by,
                    now=self.now - datetime.timedelta(days=self.rng.randint(1, 60)),
                )
            self.counts[Agreement._meta.label] += 1
        for rows in self.priorities.values():
            rows.sort()

    def agreement(self, county, region, adopt, end, version, instruments, plans, by):
        agreement = agreements.agreement_create(county=county, region=region, actor=by, changelog=f"Versjon {version}.")
        themes = self.rng.sample(THEMES, 6)
        agreements.special_part_update(
            special_part=agreement.special_part,
            actor=by,
            title=f"Spesiell del for {region.name}",
            introduction=f"Regionen og {county.name} er enige om disse satsingene for perioden.",
            changelog=f"Versjon {version}.",
            strengths=[f"Sterke miljøer innen {t}" for t in themes[:2]],
            challenges=[f"Utfordringer med {t}" for t in themes[2:4]],
            priorities=[f"Satsing på {t}" for t in themes[1:5]],
            strategic_plans=plans,
        )
        agreements.special_part_instruments_set(
            special_part=agreement.special_part,
            actor=by,
            rows=[{"instrument": i, "justification": "Støtter satsingene."} for i in self.rng.sample(instruments, 3)],
        )
        if version == 1:
            agreements.knowledge_reference_add(
                special_part=agreement.special_part,
                actor=by,
                title=f"Kunnskapsgrunnlag for {region.name}",
                url="https://statistikk.example.no/region",
                owner_county=county,
            )
        agreements.agreement_start_negotiation(agreement=agreement, actor=by)
        agreements.agreement_adopt(
            agreement=Agreement.objects.get(pk=agreement.pk),
            actor=by,
            county_adopted_on=adopt,
            county_decision_reference=f"FT-sak {self.rng.randint(1, 90)}/{adopt:%y}",
            region_adopted_on=adopt - datetime.timedelta(days=self.rng.randint(5, 40)),
            region_decision_reference=f"RR-sak {self.rng.randint(1, 40)}/{adopt:%y}",
            valid_to=end,
            signatories="Fylkesordfører\nRegionrådsleder",
        )
        self.counts[Agreement._meta.label] += 1
        ids = list(Priority.objects.filter(special_part=agreement.special_part_id).values_list("pk", flat=True))
        self.priorities[region.pk].append((adopt, ids))

    # --- meetings ---------------------------------------------------------------------------

    def build_meetings(self):
        target = round(BASE_MEETINGS * self.scale)
        adviser_user = self.users[self.advisers[0]]
        series_rows, slots = [], []
        weekdays = ["MO", "TU", "WE", "TH"]
        for region in self.regions:
            first_day, _last = self.window[region.pk]
            # Monthly on a fixed weekday, with a summer break in July.
            day_rule = f"{self.rng.randint(1, 4)}{self.rng.choice(weekdays)}"
            rule = f"FREQ=MONTHLY;BYDAY={day_rule};BYMONTH=1,2,3,4,5,6,8,9,10,11,12"
            members = self.members_on(region.pk, first_day) or [(None, region.name)]
            series = MeetingSeries(
                title=f"Regionrådsmøte {region.name}",
                kind=MeetingKind.REGION_COUNCIL,
                region=region,
                rrule=rule,
                first_date=first_day,
                start_time=datetime.time(self.rng.choice([9, 9, 10, 12])),
                duration_minutes=180,
                location=f"{members[0][1]} rådhus, kommunestyresalen",
                created_by=adviser_user,
                is_active=region.valid_to is None,
                created_at=_local(first_day, 9) - datetime.timedelta(days=30),
            )
            series_rows.append(series)
        self.insert(MeetingSeries, series_rows)
        for series in series_rows:
            region = series.region
            end = min(region.valid_to or self.horizon, self.horizon)
            for start in series_occurrences(series=series, start=series.first_date, end=end):
                slots.append(("series", start, region, series))
        if target <= len(slots):
            chosen = self.rng.sample(slots, target)
        else:
            chosen = slots + [self.extra_slot() for _i in range(target - len(slots))]
        chosen.sort(key=lambda s: (s[1], s[2].pk if s[2] else 0))
        self.meeting_index = defaultdict(list)  # region -> [(start, meeting id, cutoff days)]
        self.agenda_order = {}
        chunk = 4000
        for index in range(0, len(chosen), chunk):
            with transaction.atomic():
                self.meeting_chunk(chosen[index : index + chunk])
        for rows in self.meeting_index.values():
            rows.sort()

    def current_host_county_ids(self):
        """The counties that host the regions today (the dated host, e.g. Østfold for a Viken region
        since 2024; the undated host_county for a region without dated links), computed once."""
        if not hasattr(self, "_current_host_ids"):
            from regions.selectors import region_host_county_on

            hosts = (region_host_county_on(region=region, on=self.today) for region in self.regions)
            self._current_host_ids = sorted({c.pk for c in hosts if c is not None and c.valid_to is None})
        return self._current_host_ids

    def extra_slot(self):
        kind = self.rng.choices(["au", "partnership", "reference_group", "dialogue"], [55, 15, 15, 15])[0]
        if kind in ("au", "partnership"):
            region = self.rng.choice(self.regions)
            first_day, _last = self.window[region.pk]
            end = min(region.valid_to or self.horizon, self.horizon)
            day = first_day + datetime.timedelta(days=self.rng.randrange(max(1, (end - first_day).days)))
            while day.weekday() >= 5:
                day -= datetime.timedelta(days=1)
            return (kind, _local(max(day, first_day), self.rng.choice([9, 10, 13])), region, None)
        county = self.county_by_id[self.rng.choice(self.current_host_county_ids())]
        first_day = max(self.start, county.valid_from or self.start)
        day = first_day + datetime.timedelta(days=self.rng.randrange((self.horizon - first_day).days))
        while day.weekday() >= 5:
            day -= datetime.timedelta(days=1)
        return (kind, _local(max(day, first_day), self.rng.choice([10, 12])), county, None)

    def meeting_chunk(self, slots):
        meetings = []
        for kind, start, owner, series in slots:
            duration = 180 if kind == "series" else self.rng.choice([90, 120, 180])
            meeting = Meeting(
                series=series,
                series_occurrence=start.date() if series else None,
                start=start,
                end=start + datetime.timedelta(minutes=duration),
                organiser_id=self.adviser(),
                reminder_lead_days="7,1",
                agenda_cutoff_days=7,
                created_at=min(start - datetime.timedelta(days=self.rng.randint(30, 120)), self.now),
            )
            meeting.bench_county = None
            if kind in ("series", "au", "partnership"):
                region = owner
                meeting.region = region
                meeting.kind = MeetingKind.PARTNERSHIP if kind == "partnership" else MeetingKind.REGION_COUNCIL
                meeting.title = {
                    "series": f"Regionrådsmøte {region.name}",
                    "au": f"Arbeidsutvalget i {region.name}",
                    "partnership": f"Partnerskapsmøte {region.name} og {region.host_county.name}",
                }[kind]
                members = self.members_on(region.pk, start.date())
                place = members[0][1] if members else region.name
                meeting.location = series.location if series else f"{place} rådhus, møterom {self.rng.randint(1, 4)}"
            else:
                county = owner
                meeting.bench_county = county.pk
                meeting.kind = kind
                meeting.body = (
                    f"Referansegruppen for regionrådsledere i {county.name}"
                    if kind == "reference_group"
                    else f"Dialogmøte mellom {county.name} og kommunene"
                )
                meeting.title = meeting.body
                meeting.location = f"Fylkeshuset i {county.name}"
            if self.rng.random() < 0.2:
                meeting.video_link = f"https://video.bench.invalid/{self.rng.getrandbits(40):x}"
            roll = self.rng.random()
            if meeting.end < self.now:
                meeting.status = (
                    Meeting.Status.HELD
                    if roll < 0.92
                    else Meeting.Status.CANCELLED
                    if roll < 0.96
                    else Meeting.Status.PUBLISHED
                )
            elif roll < 0.02:
                meeting.status = Meeting.Status.CANCELLED
            elif meeting.start < self.now + datetime.timedelta(days=28):
                meeting.status = Meeting.Status.PUBLISHED  # the agenda is out for the next four weeks
            else:
                meeting.status = Meeting.Status.PLANNED
            if meeting.status == Meeting.Status.CANCELLED:
                meeting.cancel_reason = "Avlyst på grunn av få saker."
                meeting.sequence = 1
            elif self.rng.random() < 0.05:
                meeting.moved_from = start - datetime.timedelta(days=7)
                meeting.sequence = 1
            meeting.updated_at = max(meeting.created_at, min(meeting.end, self.now))
            meetings.append(meeting)
        minutes = []
        agendas = [self.meeting_agenda(meeting, minutes) for meeting in meetings]
        self.insert(Meeting, meetings)

        participants, messages, notifications = [], [], []
        for meeting, agenda in zip(meetings, agendas, strict=True):
            self.agenda_order[meeting.pk] = len(agenda) * 10
            seen = set()
            for person_id, appointment_id, side, user_id in self.meeting_people(meeting, meeting.start.date()):
                if person_id in seen:
                    continue
                seen.add(person_id)
                if meeting.end < self.now:
                    status = self.rng.choices(
                        [Participant.Status.ATTENDED, Participant.Status.ACCEPTED, Participant.Status.DECLINED],
                        [80, 10, 10],
                    )[0]
                else:
                    status = self.rng.choice([Participant.Status.INVITED, Participant.Status.ACCEPTED])
                participants.append(
                    Participant(
                        meeting=meeting, person_id=person_id, appointment_id=appointment_id, side=side, status=status
                    )
                )
                if status != Participant.Status.DECLINED:
                    self.meeting_messages(meeting, person_id, user_id, messages, notifications)
            if self.rng.random() < 0.1:
                guest = self.rng.choice(self.guests)
                if guest.pk not in seen:
                    participants.append(
                        Participant(
                            meeting=meeting,
                            person_id=guest.pk,
                            side=Participant.Side.ADMINISTRATIVE,
                            is_guest=True,
                            guest_reason=f"Innleder om {self.rng.choice(THEMES)}.",
                        )
                    )
            self.meeting_organiser_messages(meeting, messages)
            if meeting.region_id and meeting.kind == MeetingKind.REGION_COUNCIL and meeting.status != "cancelled":
                self.meeting_index[meeting.region_id].append((meeting.start, meeting.pk, meeting))
        self.insert(Participant, participants)
        self.insert(AgendaItem, [item for agenda in agendas for item in agenda])
        for entry in minutes:
            entry.agenda_item_id = entry.agenda_item.pk
        self.insert(MinutesEntry, minutes)
        self.insert(Message, messages)
        for note in notifications:
            note.message_id = note.message.pk
        self.insert(Notification, notifications)

    def meeting_people(self, meeting, day):
        """(person, appointment, side, user) invited: the region's appointees on the day (by kind), or for a
        county-wide meeting the leaders of the county's regions and two advisers."""
        if meeting.region_id:
            roles = {
                R.REGION_COUNCIL_LEADER: Participant.Side.POLITICAL,
                R.COUNTY_COUNCILLOR: Participant.Side.COUNTY,
                R.COUNTY_COUNCIL_REPRESENTATIVE: Participant.Side.COUNTY,
                R.ADMINISTRATIVE_PARTICIPANT: Participant.Side.ADMINISTRATIVE,
                R.REGION_SECRETARIAT: Participant.Side.ADMINISTRATIVE,
            }
            if meeting.title.startswith("Arbeidsutvalget"):
                roles.pop(R.COUNTY_COUNCIL_REPRESENTATIVE)
                roles.pop(R.COUNTY_COUNCILLOR)
            return [
                (p, a, roles[role], u)
                for role, f, t, p, a, u in self.by_region[meeting.region_id]
                if role in roles and _covers(f, t, day)
            ]
        rows = []
        for region in self.regions:
            if region.host_county_id == meeting.bench_county:
                rows += [
                    (p, a, Participant.Side.POLITICAL, u)
                    for role, f, t, p, a, u in self.by_region[region.pk]
                    if role == R.REGION_COUNCIL_LEADER and _covers(f, t, day)
                ]
        for user_id in self.advisers[:2]:
            rows.append(
                (self.user_person[user_id], self.adviser_appointment[user_id], Participant.Side.COUNTY, user_id)
            )
        return rows

    def meeting_agenda(self, meeting, minutes):
        """The agenda: about ten items for a held meeting or one in the next five weeks, a few proposals
        for later ones; minutes for half of a held meeting's items. Settles whether the agenda is out."""
        soon = meeting.start < self.now + datetime.timedelta(days=35)
        if meeting.status == Meeting.Status.CANCELLED:
            count = self.rng.randint(0, 6)
        elif meeting.end < self.now or soon:
            count = self.rng.randint(7, 14)
        else:
            count = self.rng.randint(0, 3)
        day = meeting.start.date()
        places = self.members_on(meeting.region_id, day) if meeting.region_id else []
        counties = self.region_counties[meeting.region_id] if meeting.region_id else {meeting.bench_county}
        areas = self.areas_on(day, counties)
        leaders = self.leaders_on(meeting.region_id, day) if meeting.region_id else []
        items = []
        for order in range(1, count + 1):
            urgent = self.rng.random() < 0.12
            before = self.rng.uniform(1, 6.5) if urgent else self.rng.uniform(8, 40)
            created = min(meeting.start - datetime.timedelta(days=before), self.now - datetime.timedelta(hours=1))
            by_leader = bool(leaders) and not urgent and self.rng.random() < 0.3
            if meeting.end < self.now:
                rejected = by_leader and self.rng.random() < 0.15
                state = AgendaItem.State.REJECTED if rejected else AgendaItem.State.ACCEPTED
            else:
                state = AgendaItem.State.PROPOSED if by_leader else AgendaItem.State.ACCEPTED
            title = self.rng.choice(AGENDA_TITLES).format(
                theme=self.rng.choice(THEMES), place=self.rng.choice(places)[1] if places else "Fylkeshuset"
            )
            item = AgendaItem(
                meeting=meeting,
                order=order * 10,
                lane=AgendaItem.Lane.URGENT if urgent else AgendaItem.Lane.PLANNED,
                state=state,
                title=title,
                description=self.rng.choice(SENTENCES).format(theme=self.rng.choice(THEMES)),
                presenter_side=self.rng.choice(AgendaItem.PresenterSide.values),
                council_area=self.rng.choice(areas) if areas and self.rng.random() < 0.4 else None,
                minutes_allotted=self.rng.choice([None, 15, 20, 30, 45]),
                late_reason="Akutt sak som må behandles før neste møte." if urgent else "",
                proposed_by_id=self.rng.choice(leaders) if by_leader else meeting.organiser_id,
                created_at=created,
            )
            items.append(item)
            if meeting.status == Meeting.Status.HELD and state == AgendaItem.State.ACCEPTED and self.rng.random() < 0.5:
                minutes.append(
                    MinutesEntry(
                        agenda_item=item,
                        outcome=self.rng.choice(MinutesEntry.Outcome.values),
                        text=self.rng.choice(ANSWERS),
                        updated_by_id=meeting.organiser_id,
                        updated_at=meeting.end + datetime.timedelta(days=self.rng.uniform(0.5, 3)),
                    )
                )
        accepted = any(item.state == AgendaItem.State.ACCEPTED for item in items)
        if meeting.status in (Meeting.Status.PUBLISHED, Meeting.Status.HELD) and accepted:
            published = meeting.start - datetime.timedelta(days=self.rng.uniform(8, 12))
            if published < self.now:
                meeting.agenda_published_at = published
        if meeting.status == Meeting.Status.PUBLISHED and meeting.agenda_published_at is None:
            meeting.status = Meeting.Status.PLANNED  # agenda_publish() needs an accepted item
        return items

    def _outbox(self, messages, notifications, *, key, kind, user_id, email, payload, due, planned, subject, url):
        """An outbox row as the services plan it: pending when due after "now", else sent by the sweep
        (with its in-app notification when it has a user)."""
        sent = due < self.now
        message = Message(
            key=key,
            kind=kind,
            recipient_id=user_id,
            email=email,
            payload=payload,
            due_at=due,
            available_at=due,
            created_at=min(planned, due),
        )
        if sent:
            message.state = Message.State.SENT
            message.attempts = 1
            message.sent_at = due + datetime.timedelta(seconds=self.rng.randint(5, 90))
            message.subject = subject
        messages.append(message)
        if sent and user_id:
            read = message.sent_at < self.now - datetime.timedelta(days=14) or self.rng.random() < 0.5
            notifications.append(
                Notification(
                    user_id=user_id,
                    message=message,
                    title=subject,
                    url=url,
                    created_at=message.sent_at,
                    read_at=message.sent_at + datetime.timedelta(hours=self.rng.uniform(1, 48)) if read else None,
                )
            )

    def meeting_messages(self, meeting, person_id, user_id, messages, notifications):
        """Reminders 7 and 1 days ahead for the next twelve months (pending) and the last 90 days (sent)."""
        if meeting.status == Meeting.Status.CANCELLED or meeting.end < self.now - datetime.timedelta(days=90):
            return
        email = self.users[user_id].email if user_id else self.person_email[person_id]
        if not email:
            return  # meetings.services plans nothing for someone without a login or an address
        for lead in (7, 1):
            due = meeting.start - datetime.timedelta(days=lead)
            if due < self.now - datetime.timedelta(days=90) or (due < self.now and meeting.status == "planned"):
                continue
            self._outbox(
                messages,
                notifications,
                key=message_key(meeting, "reminder", f"p{person_id}", meeting.start, lead),
                kind="meetings.reminder",
                user_id=user_id,
                email=email,
                payload={
                    "meeting_id": meeting.pk,
                    "planned_start": meeting.start.astimezone(datetime.UTC).isoformat(),
                    "person_id": person_id,
                    "lead_days": lead,
                },
                due=due,
                planned=meeting.created_at,
                subject=f"Påminnelse: {meeting.title} {meeting.start.astimezone(OSLO):%d.%m.%Y kl. %H:%M}",
                url=f"/moter/{meeting.pk}/",
            )

    def meeting_organiser_messages(self, meeting, messages):
        if meeting.status == Meeting.Status.CANCELLED or meeting.end < self.now - datetime.timedelta(days=90):
            return
        if meeting.end + datetime.timedelta(days=2) > self.now:
            user = self.users[meeting.organiser_id]
            messages.append(
                Message(
                    key=message_key(meeting, "minutes", f"u{user.pk}", meeting.start),
                    kind="meetings.minutes",
                    recipient_id=user.pk,
                    email=user.email,
                    payload={
                        "meeting_id": meeting.pk,
                        "planned_start": meeting.start.astimezone(datetime.UTC).isoformat(),
                    },
                    due_at=meeting.end + datetime.timedelta(days=2),
                    available_at=meeting.end + datetime.timedelta(days=2),
                    created_at=meeting.created_at,
                )
            )

    # --- cases ------------------------------------------------------------------------------

    def build_cases(self):
        total = round(BASE_CASES * self.scale)
        weights = {r.pk: self.rng.lognormvariate(0, 0.6) for r in self.regions}
        weights[self.bench_region.pk] = max(weights.values()) * 2
        self.region_weights = weights
        months, month = [], self.start.replace(day=1)
        while month < self.today:
            following = (month + datetime.timedelta(days=32)).replace(day=1)
            first, last = max(month, self.start), min(following, self.today)
            mid = first + (last - first) / 2
            active = [r for r in self.regions if self.window[r.pk][0] <= mid < self.window[r.pk][1]]
            routable = [r for r in active if self.areas_on(mid, self.region_counties[r.pk])]
            growth = 1 + 0.04 * (month.year - self.start.year)
            share = sum(weights[r.pk] for r in routable) * (last - first).days * growth
            months.append((first, last, routable, share))
            month = following
        whole = sum(m[3] for m in months) or 1
        exact = [total * m[3] / whole for m in months]
        counts = [int(x) for x in exact]
        for index in sorted(range(len(months)), key=lambda i: exact[i] - counts[i], reverse=True)[
            : total - sum(counts)
        ]:
            counts[index] += 1
        self.reference_numbers = Counter()
        self.topics = list(TOPIC_WEIGHTS)
        self.topic_weights = list(TOPIC_WEIGHTS.values())
        done = 0
        for (first, last, routable, _share), count in zip(months, counts, strict=True):
            if not count or not routable:
                continue
            with transaction.atomic():
                self.case_chunk(first, last, routable, count)
            done += count
            if first.month == 1 or last == self.today:
                self.say(f"    cases to {last.isoformat()}: {done:,}")

    def case_chunk(self, first, last, routable, count):
        plans = []
        region_weights = [self.region_weights[r.pk] for r in routable]
        for _i in range(count):
            day = first + datetime.timedelta(days=self.rng.randrange(max(1, (last - first).days)))
            created = self.work(_local(day, self.rng.randint(8, 15), self.rng.randrange(60)))
            if created >= self.now:
                created = self.work(self.now - datetime.timedelta(days=3))
            if self.rng.random() < 0.15:
                plan = self.plan_county_case(created, day)
                if plan is not None:
                    plans.append(plan)
                    continue
            region = self.rng.choices(routable, region_weights)[0]
            plans.append(self.plan_region_case(created, region))
        plans.sort(key=lambda p: p.steps[0].at)
        for plan in plans:
            self.walk(plan)
        self.insert(Case, [p.case for p in plans])
        routings, requests, anchorings, items, tags, events, owners = [], [], [], [], [], [], []
        priority_through = Case.priorities.through
        instrument_through = Case.instruments.through
        for plan in plans:
            case = plan.case
            for routing in plan.routings:
                routing.case = case
                routings.append(routing)
            for request in plan.requests:
                request.case = case
                requests.append(request)
            for step, anchoring in plan.anchorings:
                if step in plan.applied_set:
                    anchoring.case = case
                    anchorings.append(anchoring)
            for step, item in plan.agenda:
                if step in plan.applied_set:
                    item.case = case
                    items.append(item)
            tags += [priority_through(case_id=case.pk, priority_id=p) for p in plan.priorities]
            tags += [instrument_through(case_id=case.pk, instrument_id=i) for i in plan.instruments]
            status = ""
            for step in plan.applied:
                event = CaseEvent(
                    case=case,
                    actor_id=step.actor,
                    action=step.action,
                    from_status="" if step.action == A.CREATED else status,
                    to_status=step.to or status,
                    visibility=Case.Visibility.INTERNAL if step.internal else Case.Visibility.SHARED,
                    comment=step.comment,
                    created_at=step.at,
                )
                status = event.to_status
                events.append(event)
                owners.append((plan, step))
        self.insert(Routing, routings)
        self.insert(RegionRequest, requests)
        self.insert(Anchoring, anchorings)
        self.insert(AgendaItem, items)
        self.insert(priority_through, [t for t in tags if isinstance(t, priority_through)])
        self.insert(instrument_through, [t for t in tags if isinstance(t, instrument_through)])
        self.insert(CaseEvent, events, batch_size=5000)
        messages, notifications = [], []
        for event, (plan, step) in zip(events, owners, strict=True):
            recipients = []
            for user_id in step.notify:
                if user_id and user_id != step.actor and user_id not in recipients:
                    recipients.append(user_id)
            if not recipients:
                continue
            case = plan.case
            subject = _("Case %(reference)s: %(action)s – %(title)s") % {
                "reference": case.reference or _("draft"),
                "action": self.action_labels[step.action],
                "title": case.title,
            }
            for user_id in recipients:
                self._outbox(
                    messages,
                    notifications,
                    # The key cases.services._notify gives the message.
                    key=f"cases.event.{event.pk}.{user_id}",
                    kind="cases.event",
                    user_id=user_id,
                    email=self.users[user_id].email,
                    payload={"event_id": event.pk, "case_id": case.pk},
                    due=step.at,
                    planned=step.at,
                    subject=subject[:255],
                    url=f"/saker/{case.pk}/",
                )
        for plan in plans:
            self.deadline_reminders(plan, messages)
        self.insert(Message, messages, batch_size=5000)
        for note in notifications:
            note.message_id = note.message.pk
        self.insert(Notification, notifications, batch_size=5000)

    @property
    def action_labels(self):
        labels = getattr(self, "_action_labels", None)
        if labels is None:
            labels = self._action_labels = {value: str(label) for value, label in A.choices}
        return labels

    def step(self, plan, at, action, **kwargs):
        s = Step(at=at, action=action, seq=self.next_seq(), **kwargs)
        plan.steps.append(s)
        return s

    def title_for(self, topic, region_name, places):
        place, place2 = (self.rng.sample(places, 2) if len(places) >= 2 else (places or [region_name]) * 2)[:2]
        year = self.rng.randint(self.start.year, self.today.year + 1)
        text = self.rng.choice(CASE_TITLES[topic]).format(
            road=self.rng.choice(ROADS),
            place=place,
            place2=place2,
            region=region_name,
            theme=self.rng.choice(THEMES),
            fv=self.rng.randint(100, 999),
            y1=year,
            y2=year + 4,
        )
        return text

    def description(self):
        return " ".join(
            s.format(theme=self.rng.choice(THEMES)) for s in self.rng.sample(SENTENCES, self.rng.randint(2, 4))
        )

    def plan_region_case(self, created, region):
        """A region's case, step by step as cases.services takes it: draft, submission (reference),
        perhaps returned or withdrawn, received, routed to one to four council areas, their answers,
        the answer sent back and closed. Whatever falls after "now" has not happened yet."""
        day = created.date()
        places = [n for _m, n in self.members_on(region.pk, day)]
        topic = self.rng.choices(self.topics, self.topic_weights)[0]
        leaders = self.leaders_on(region.pk, day)
        assignee = self.adviser()
        creator = leaders[0] if leaders else assignee
        case = Case(
            title=self.title_for(topic, region.name, places),
            description=self.description(),
            topic=topic,
            direction=Case.Direction.REGION_TO_COUNTY,
            origin_region=region,
            urgency=Case.Urgency.URGENT if self.rng.random() < 0.1 else Case.Urgency.NORMAL,
            visibility=Case.Visibility.SHARED if self.rng.random() < 0.4 else Case.Visibility.INTERNAL,
            created_by_id=creator,
            created_at=created,
        )
        plan = CasePlan(case=case, steps=[])
        plan.originators = lambda at: self.leaders_on(region.pk, at.date())
        # The coordination unit hears of the case through the adviser who takes it (the services tell
        # every adviser while nobody is assigned; one message keeps the outbox in proportion).
        coordination = [assignee]
        self.step(plan, created, A.CREATED, to=S.DRAFT, actor=creator)
        if self.rng.random() < 0.02:  # left as a draft, or withdrawn as one
            if self.rng.random() < 0.4:
                self.step(
                    plan,
                    self.after(created, 1, 30),
                    A.WITHDRAWN,
                    to=S.WITHDRAWN,
                    actor=creator,
                    comment="Trukket før innsending.",
                    apply=_closing,
                )
            return plan
        t = submitted = self.after(created, 0.05, 5)
        if self.rng.random() < 0.6:
            case.deadline = t.date() + datetime.timedelta(days=self.rng.randint(21, 90))
        if self.rng.random() < 0.2 and self.priorities.get(region.pk):
            current = [ids for adopted, ids in self.priorities[region.pk] if adopted <= day]
            if current and current[-1]:
                plan.priorities = self.rng.sample(current[-1], min(len(current[-1]), self.rng.randint(1, 2)))
        counties = self.region_counties[region.pk]
        if self.rng.random() < 0.1:
            county_instruments = [i for c in sorted(counties) for i in self.instruments.get(c, [])]
            if county_instruments:
                plan.instruments = [self.rng.choice(county_instruments)]
        self.step(plan, t, A.SUBMITTED, to=S.SUBMITTED, actor=creator, notify=coordination, apply=self.submitting)
        if self.rng.random() < 0.7:
            t = self.after(t, 0, 1)
            actor = assignee if self.rng.random() < 0.6 else self.adviser()
            self.step(
                plan,
                t,
                A.ASSIGNED,
                actor=actor,
                comment=self.full_name(assignee),
                internal=True,
                notify=[assignee],
                apply=_setter("assigned_to_id", assignee),
            )
        if self.rng.random() < 0.05:
            t = self.after(t, 0.5, 5)
            self.step(
                plan,
                t,
                A.RETURNED,
                to=S.RETURNED,
                actor=self.adviser(),
                comment="Regionen bes om å utdype begrunnelsen.",
                notify=plan.originators(t),
            )
            if self.rng.random() > 0.85:
                if self.rng.random() < 0.5:
                    t = self.after(t, 20, 60)
                    self.step(
                        plan,
                        t,
                        A.WITHDRAWN,
                        to=S.WITHDRAWN,
                        actor=creator,
                        comment="Trukket.",
                        notify=coordination + plan.originators(t),
                        apply=_closing,
                    )
                return self.side_steps(plan, region, submitted, creator, coordination)
            t = self.after(t, 1, 14)
            self.step(plan, t, A.SUBMITTED, to=S.SUBMITTED, actor=creator, notify=coordination)
        if self.rng.random() < 0.03:
            t = self.after(t, 1, 10)
            self.step(
                plan,
                t,
                A.WITHDRAWN,
                to=S.WITHDRAWN,
                actor=creator,
                comment="Saken er løst lokalt.",
                notify=coordination + plan.originators(t),
                apply=_closing,
            )
            return self.side_steps(plan, region, submitted, creator, coordination)
        if self.rng.random() < 0.4:
            t = self.after(t, 0, 3)
            self.step(
                plan, t, A.RECEIVED, to=S.RECEIVED, actor=self.adviser(), notify=plan.originators(t), apply=_received
            )
        if self.rng.random() < 0.03:
            t = self.after(t, 0, 2)
            problem = "Uklart hvilket rådsområde saken hører til."
            self.step(
                plan,
                t,
                A.FLAGGED,
                actor=self.adviser(),
                comment=problem,
                internal=True,
                apply=_setter("routing_problem", problem),
            )
            t = self.after(t, 5, 20)
        t = self.after(t, 0.5, 10)
        areas = self.areas_on(t.date(), counties) or self.areas_on(day, counties)
        keyword = TOPIC_AREA[topic]
        first = [a for a in areas if keyword in a.slug]
        chosen = [self.rng.choice(first)] if first else []
        others = [a for a in areas if a not in chosen]
        extra = self.rng.choices([0, 1, 2, 3], [15, 40, 30, 15])[0] + (0 if chosen else 1)
        chosen += self.rng.sample(others, min(extra, len(others)))
        router = self.adviser()
        staff = [u for a in chosen for u in self.staff_on(a.pk, t.date())]
        self.step(
            plan,
            t,
            A.ROUTED,
            to=S.ROUTED,
            actor=router,
            comment=", ".join(a.name for a in chosen),
            notify=staff + plan.originators(t),
            apply=_routed,
        )
        withdraw_at = self.after(t, 5, 40) if self.rng.random() < 0.02 else None
        answers = []
        for area in chosen:
            answer = self.after(t, 3, 60) if self.rng.random() > 0.01 else None
            ack = self.after(t, 0.2, 5) if self.rng.random() < 0.3 else None
            if answer is not None and ack is not None and ack > answer:
                ack = None
            if withdraw_at is not None and answer is not None and answer >= withdraw_at:
                answer = None
            if withdraw_at is not None and ack is not None and ack >= withdraw_at:
                ack = None
            responder = self.staff_on(area.pk, t.date())
            responder = responder[0] if responder else self.adviser()
            routing = Routing(council_area=area, routed_by_id=router, routed_at=t)
            plan.routings.append({"item": routing, "ack": ack, "answer": answer, "by": responder, "withdrawn": None})
            if ack is not None:
                self.step(
                    plan, ack, A.ACKNOWLEDGED, actor=responder, comment=area.name, internal=True, notify=coordination
                )
            if answer is not None:
                answers.append((answer, area, responder))
        answers.sort(key=lambda row: row[0])
        complete = len(answers) == len(chosen)
        for index, (answer, area, responder) in enumerate(answers):
            last = complete and index == len(answers) - 1
            # routing_answer() notifies once: of the answer, or of "all answers in" after the last one.
            self.step(
                plan,
                answer,
                A.ROUTING_ANSWERED,
                actor=responder,
                comment=area.name,
                internal=True,
                notify=[] if last else coordination,
            )
            if last:
                self.step(plan, answer, A.ANSWERED, to=S.ANSWERED, actor=responder, internal=True, notify=coordination)
        if not complete:
            if withdraw_at is None and self.rng.random() < 0.8:
                withdraw_at = self.after(t, 90, 180)
            if withdraw_at is not None:
                self.step(
                    plan,
                    withdraw_at,
                    A.WITHDRAWN,
                    to=S.WITHDRAWN,
                    actor=self.adviser(),
                    comment="Trukket: rådsområdet har ikke svart, saken følges opp i regionrådet.",
                    notify=coordination + staff + plan.originators(withdraw_at),
                    apply=_closing,
                )
                for row in plan.routings:
                    row["withdrawn"] = withdraw_at
            return self.side_steps(plan, region, submitted, creator, coordination)
        self.finish_case(plan, answers[-1][0], creator, coordination)
        return self.side_steps(plan, region, submitted, creator, coordination)

    def finish_case(self, plan, answered, creator, coordination):
        """One door out: the answer goes back to the sender, who (or the adviser) closes the case."""
        if self.rng.random() < 0.005:
            return  # the answer is never sent
        t = self.after(answered, 0.5, 10)
        self.step(
            plan,
            t,
            A.ANSWER_SENT,
            to=S.ANSWER_SENT,
            actor=coordination[0],
            notify=plan.originators(t),
            apply=_answer_sent(self.rng.choice(ANSWERS)),
        )
        if self.rng.random() < 0.9:
            t = self.after(t, 1, 30)
            actor = creator if self.rng.random() < 0.5 else coordination[0]
            self.step(
                plan, t, A.CLOSED, to=S.CLOSED, actor=actor, notify=plan.originators(t) + coordination, apply=_closing
            )

    def side_steps(self, plan, region, submitted, creator, coordination):
        """Anchoring in the member councils and a place on a region council agenda, between the
        submission and the end of the case (never once it is closed or withdrawn)."""
        final = next((s.at for s in plan.steps if s.action in (A.CLOSED, A.WITHDRAWN)), None)
        end = min(final or self.now, submitted + datetime.timedelta(days=150))
        if end <= submitted:
            return plan
        if self.rng.random() < 0.25:
            for municipality_id, name in self.members_on(region.pk, submitted.date()):
                if self.rng.random() > 0.7:
                    continue
                at = submitted + (end - submitted) * self.rng.uniform(0.05, 0.95)
                body = self.rng.choices(Anchoring.Body.values, [85, 10, 5])[0]
                stance = self.rng.choices(Anchoring.Stance.values, [60, 5, 10, 25])[0]
                treated = stance != Anchoring.Stance.NOT_TREATED
                anchoring = Anchoring(
                    municipality_id=municipality_id,
                    body=body,
                    stance=stance,
                    decision_date=(at - datetime.timedelta(days=self.rng.randint(0, 20))).date() if treated else None,
                    reference=f"K-sak {self.rng.randint(1, 150)}/{at:%y}" if treated else "",
                    deadline=None if treated else at.date() + datetime.timedelta(days=self.rng.randint(14, 60)),
                    recorded_by_id=creator,
                    recorded_at=at,
                )
                comment = f"{name}: {Anchoring.Body(body).label} – {Anchoring.Stance(stance).label}"
                step = self.step(plan, at, A.ANCHORING_RECORDED, actor=creator, comment=comment)
                plan.anchorings.append((step, anchoring))
        meetings = self.meeting_index.get(region.pk)
        if meetings and self.rng.random() < 0.15:
            index = bisect.bisect_left(meetings, (submitted + datetime.timedelta(days=8),))
            if index < len(meetings) and meetings[index][0] < end + datetime.timedelta(days=30):
                start, meeting_id, meeting = meetings[index]
                at = max(
                    submitted + datetime.timedelta(hours=2), start - datetime.timedelta(days=self.rng.uniform(8, 20))
                )
                if at < end and at < start:
                    # After the cut-off only the coordination unit adds, and only as an urgent case.
                    late = at >= start - datetime.timedelta(days=meeting.agenda_cutoff_days)
                    actor = coordination[0] if late or self.rng.random() < 0.5 else creator
                    self.agenda_order[meeting_id] = self.agenda_order.get(meeting_id, 0) + 10
                    item = AgendaItem(
                        meeting_id=meeting_id,
                        order=self.agenda_order[meeting_id],
                        lane=AgendaItem.Lane.URGENT if late else AgendaItem.Lane.PLANNED,
                        state=AgendaItem.State.ACCEPTED,
                        title=plan.case.title,
                        description=plan.case.description,
                        presenter_side=AgendaItem.PresenterSide.REGION,
                        late_reason="Saken haster." if late else "",
                        proposed_by_id=actor,
                        created_at=at,
                    )
                    label = f"{meeting.title} {start.astimezone(OSLO):%d.%m.%Y %H:%M}"
                    step = self.step(
                        plan, at, A.AGENDA_ADDED, actor=actor, comment=label, notify=plan.originators(at) + coordination
                    )
                    plan.agenda.append((step, item))
        return plan

    def plan_county_case(self, created, day):
        """A council area's case sent out to regions: submitted, sent to some or all of the county's
        regions, their answers, the collected answer back to the area."""
        areas = self.areas_on(day, self.area_counties)
        if not areas:
            return None
        area = self.rng.choice(areas)
        targets = [
            r
            for r in self.regions
            if area.county_id in self.region_counties[r.pk] and self.window[r.pk][0] <= day < self.window[r.pk][1]
        ]
        if not targets:
            return None
        staff = self.staff_on(area.pk, day)
        assignee = self.adviser()
        creator = staff[0] if staff else assignee
        case = Case(
            title=self.rng.choice(COUNTY_TITLES).format(theme=self.rng.choice(THEMES)),
            description=self.description(),
            topic=self.rng.choice(
                ["regional_plan", "regional_plan_strategy", "early_dialogue", "instruments", "other"]
            ),
            direction=Case.Direction.COUNTY_TO_REGIONS,
            origin_council_area=area,
            visibility=Case.Visibility.SHARED if self.rng.random() < 0.5 else Case.Visibility.INTERNAL,
            created_by_id=creator,
            created_at=created,
        )
        plan = CasePlan(case=case, steps=[])
        plan.originators = lambda at: self.staff_on(area.pk, at.date())
        coordination = [assignee]
        self.step(plan, created, A.CREATED, to=S.DRAFT, actor=creator)
        t = self.after(created, 0.05, 3)
        self.step(plan, t, A.SUBMITTED, to=S.SUBMITTED, actor=creator, notify=coordination, apply=self.submitting)
        if self.rng.random() < 0.7:
            t = self.after(t, 0, 1)
            self.step(
                plan,
                t,
                A.ASSIGNED,
                actor=assignee,
                comment=self.full_name(assignee),
                internal=True,
                apply=_setter("assigned_to_id", assignee),
            )
        if self.rng.random() < 0.3:
            t = self.after(t, 0, 3)
            self.step(
                plan, t, A.RECEIVED, to=S.RECEIVED, actor=self.adviser(), notify=plan.originators(t), apply=_received
            )
        t = self.after(t, 0.5, 7)
        if self.rng.random() < 0.5:
            chosen = targets
        else:
            chosen = self.rng.sample(targets, min(len(targets), self.rng.randint(1, 4)))
        if self.rng.random() < 0.8:
            case.deadline = t.date() + datetime.timedelta(days=self.rng.randint(21, 60))
        sender = self.adviser()
        leaders = [u for r in chosen for u in self.leaders_on(r.pk, t.date())]
        self.step(
            plan,
            t,
            A.SENT_TO_REGIONS,
            to=S.ROUTED,
            actor=sender,
            comment=", ".join(r.name for r in chosen),
            notify=leaders + plan.originators(t),
            apply=_received,
        )
        answers = []
        for region in chosen:
            answer = self.after(t, 3, 45) if self.rng.random() < 0.97 else None
            responder = self.leaders_on(region.pk, answer.date()) if answer else []
            responder = responder[0] if responder else self.adviser()
            request = RegionRequest(region=region, sent_by_id=sender, sent_at=t)
            plan.requests.append({"item": request, "answer": answer, "by": responder, "withdrawn": None})
            if answer is not None:
                answers.append((answer, region, responder))
        answers.sort(key=lambda row: row[0])
        complete = len(answers) == len(chosen)
        for index, (answer, region, responder) in enumerate(answers):
            last = complete and index == len(answers) - 1
            notify = coordination + plan.originators(answer)
            self.step(
                plan, answer, A.REGION_ANSWERED, actor=responder, comment=region.name, notify=[] if last else notify
            )
            if last:
                self.step(plan, answer, A.ANSWERED, to=S.ANSWERED, actor=responder, notify=notify)
        if not complete:
            if self.rng.random() < 0.8:
                at = self.after(t, 90, 180)
                waiting = [u for r in chosen for u in self.leaders_on(r.pk, at.date())]
                self.step(
                    plan,
                    at,
                    A.WITHDRAWN,
                    to=S.WITHDRAWN,
                    actor=self.adviser(),
                    comment="Avsluttet uten svar fra alle regionene.",
                    notify=coordination + waiting + plan.originators(at),
                    apply=_closing,
                )
                for row in plan.requests:
                    row["withdrawn"] = at
            return plan
        self.finish_case(plan, answers[-1][0], creator, coordination)
        return plan

    def submitting(self, case, at):
        """The first submission gives the case its reference: YYYY-NNNN, numbered per year."""
        if case.reference:
            return
        year = at.astimezone(OSLO).year
        self.reference_numbers[year] += 1
        case.reference = f"{year}-{self.reference_numbers[year]:04d}"
        case.submitted_at = at

    def full_name(self, user_id):
        user = self.users[user_id]
        return user.get_full_name() or user.username

    def walk(self, plan):
        """Play the steps that happened before "now" in order; the case ends in the status of the last one."""
        plan.steps.sort(key=lambda s: (s.at, s.seq))
        status = None
        applied = []
        for step in plan.steps:
            if step.at >= self.now:
                break
            applied.append(step)
            if step.to:
                status = step.to
            if step.apply is not None:
                step.apply(plan.case, step.at)
        plan.applied = applied
        plan.applied_set = _IdentitySet(applied)
        case = plan.case
        case.status = status
        case.updated_at = applied[-1].at
        for row in plan.routings:
            routing, ack, answer, withdrawn = row["item"], row["ack"], row["answer"], row["withdrawn"]
            routing.acknowledged_at = ack if ack is not None and ack < self.now else None
            if answer is not None and answer < self.now:
                routing.state = Routing.State.ANSWERED
                routing.answered_at = answer
                routing.acknowledged_at = routing.acknowledged_at or answer
                routing.answered_by_id = row["by"]
                routing.answer = self.rng.choice(ANSWERS)
            elif withdrawn is not None and withdrawn < self.now:
                routing.state = Routing.State.CANCELLED
            elif routing.acknowledged_at is not None:
                routing.state = Routing.State.ACKNOWLEDGED
            else:
                routing.state = Routing.State.PENDING
        plan.routings = [row["item"] for row in plan.routings if row["item"].routed_at < self.now]
        for row in plan.requests:
            request, answer, withdrawn = row["item"], row["answer"], row["withdrawn"]
            if answer is not None and answer < self.now:
                request.state = RegionRequest.State.ANSWERED
                request.answered_at = answer
                request.answered_by_id = row["by"]
                request.answer = f"Regionrådet støtter forslaget, med merknader om {self.rng.choice(THEMES)}."
            elif withdrawn is not None and withdrawn < self.now:
                request.state = RegionRequest.State.CANCELLED
            else:
                request.state = RegionRequest.State.PENDING
        plan.requests = [row["item"] for row in plan.requests if row["item"].sent_at < self.now]

    def deadline_reminders(self, plan, messages):
        """The pending deadline reminders cases.services.deadline_reminders_plan keeps for a routed case."""
        case = plan.case
        if case.status != S.ROUTED or not case.deadline:
            return
        day = self.today
        if case.is_from_region:
            recipients = [u for r in plan.routings if r.is_waiting for u in self.staff_on(r.council_area_id, day)]
        else:
            recipients = [
                u
                for r in plan.requests
                if r.state == RegionRequest.State.PENDING
                for u in self.leaders_on(r.region_id, day)
            ]
        for days in (3, 1):
            due = _local(case.deadline - datetime.timedelta(days=days), 8)
            if due <= self.now:
                continue
            for user_id in dict.fromkeys(recipients):
                messages.append(
                    Message(
                        key=f"cases.deadline.{case.pk}.{case.deadline.isoformat()}.{days}.{user_id}",
                        kind="cases.deadline",
                        recipient_id=user_id,
                        email=self.users[user_id].email,
                        payload={"case_id": case.pk, "deadline": case.deadline.isoformat(), "days": days},
                        due_at=due,
                        available_at=due,
                        created_at=self.now - datetime.timedelta(days=1),
                    )
                )

    # --- the end ----------------------------------------------------------------------------

    def finish(self):
        ReferenceCounter.objects.bulk_create(
            [ReferenceCounter(year=y, last_number=n) for y, n in sorted(self.reference_numbers.items())]
        )
        self.counts[ReferenceCounter._meta.label] += len(self.reference_numbers)
        mapping_county = self.counties.get("31")
        for topic, keyword in TOPIC_AREA.items():
            area = next(
                (a for a in self.areas if a.county == mapping_county and keyword in a.slug),
                None,
            )
            if area is not None:
                TopicMapping.objects.create(topic=topic, council_area=area)
                self.counts[TopicMapping._meta.label] += 1
        leader = User.objects.get(username="leder")
        self.feed = CalendarFeed.objects.create(
            owner=leader, region=self.bench_region, token=f"bench-{self.rng.getrandbits(128):032x}"
        )
        self.counts[CalendarFeed._meta.label] += 1

    def report(self, seconds):
        self.say("")
        self.say("Rows per model:")
        labels = sorted(self.counts)
        counted = {}
        for label in labels:
            model = _model(label)
            counted[label] = model.objects.count()
        for label in labels:
            self.say(f"  {label:<34} {counted[label]:>10,}")
        self.say(f"Done in {seconds:.0f} s.")
        self.say("")
        self.say(f"Logins (password {PASSWORD}):")
        self.say(f"  radgiver       adviser (coordination unit; one of {ADVISERS})")
        self.say(f"  leder          region council leader of {self.bench_region.name}")
        area = self.bench_area
        if area is not None:
            self.say(f"  saksbehandler  council-area staff of {area.name} ({area.county.name})")
        self.say("  admin          administrator (Django admin)")
        self.say(f"Region calendar feed of {self.bench_region.name}: /moter/kalender/{self.feed.token}.ics")


def _resolve(obj, relations):
    """Point a row at a parent that was inserted after it was assigned (bulk_create does the same)."""
    for f in relations:
        if getattr(obj, f.attname) is None and f.is_cached(obj):
            parent = f.get_cached_value(obj)
            if parent is not None:
                setattr(obj, f.attname, parent.pk)


_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_text(value):
    """A value in COPY's text format."""
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    return str(value).translate(_COPY_ESCAPES)


def _setter(name, value):
    def apply(case, at):
        setattr(case, name, value)

    return apply


def _closing(case, at):
    case.closed_at = at


def _received(case, at):
    case.received_at = case.received_at or at


def _routed(case, at):
    case.received_at = case.received_at or at
    case.routing_problem = ""


def _answer_sent(text):
    def apply(case, at):
        case.final_answer = text
        case.answer_sent_at = at

    return apply


class _IdentitySet:
    """Membership by identity (Step is a dataclass: == compares fields, so two steps could be equal)."""

    def __init__(self, items):
        self._ids = {id(i) for i in items}

    def __contains__(self, item):
        return id(item) in self._ids


WAITING_ROUTING = (Routing.State.PENDING, Routing.State.ACKNOWLEDGED)


def check_invariants(*, limit=10) -> list[str]:
    """What the services guarantee, checked over the whole database: a list of problems (empty when
    all hold), at most `limit` examples of each kind. Streams the events, so it works at full scale."""
    problems = defaultdict(list)

    def problem(kind, text):
        if len(problems[kind]) < limit:
            problems[kind].append(text)

    # Reference numbers: YYYY-NNNN from the year of the first submission, 1..N per year, the counter at N.
    numbers = defaultdict(list)
    for reference, submitted_at in Case.objects.exclude(reference=None).values_list("reference", "submitted_at"):
        year, _sep, number = reference.partition("-")
        if submitted_at is None or int(year) != submitted_at.astimezone(OSLO).year:
            problem("reference", f"{reference} does not match its submission {submitted_at}")
        numbers[int(year)].append(int(number))
    counters = dict(ReferenceCounter.objects.values_list("year", "last_number"))
    for year, taken in numbers.items():
        if sorted(taken) != list(range(1, len(taken) + 1)):
            problem("reference", f"{year}: numbers are not 1..{len(taken)} once each")
        if counters.get(year) != len(taken):
            problem("reference", f"{year}: the counter says {counters.get(year)}, {len(taken)} are taken")
    for pk in Case.objects.filter(Q(reference=None) ^ Q(submitted_at=None)).values_list("pk", flat=True)[:limit]:
        problem("reference", f"case {pk}: a reference without a submission or the other way round")

    # The trail: created first, each step starts where the previous one ended, the last one ends in the status.
    statuses = dict(Case.objects.values_list("pk", "status"))
    events = (
        CaseEvent.objects.order_by("case_id", "created_at", "pk")
        .values_list("case_id", "action", "from_status", "to_status")
        .iterator(chunk_size=20000)
    )
    seen, current, last = set(), None, None
    for case_id, action, from_status, to_status in events:
        if case_id != current:
            if current is not None and last != statuses[current]:
                problem("trail", f"case {current}: status {statuses[current]}, its last event says {last}")
            current = case_id
            seen.add(case_id)
            if action != A.CREATED or from_status != "" or to_status != S.DRAFT:
                problem("trail", f"case {case_id}: the trail starts with {action} {from_status}->{to_status}")
        elif from_status != last:
            problem("trail", f"case {case_id}: {action} starts from {from_status}, the case was {last}")
        last = to_status
    if current is not None and last != statuses[current]:
        problem("trail", f"case {current}: status {statuses[current]}, its last event says {last}")
    for pk in set(statuses) - seen:
        problem("trail", f"case {pk} has no events")

    # Routings and requests agree with the status.
    waiting = Counter(
        Routing.objects.filter(state__in=WAITING_ROUTING).values_list("case_id", flat=True).iterator(chunk_size=20000)
    )
    answered = Counter(
        Routing.objects.filter(state=Routing.State.ANSWERED)
        .values_list("case_id", flat=True)
        .iterator(chunk_size=20000)
    )
    pending = Counter(
        RegionRequest.objects.filter(state=RegionRequest.State.PENDING)
        .values_list("case_id", flat=True)
        .iterator(chunk_size=20000)
    )
    routed = set(Routing.objects.values_list("case_id", flat=True).distinct())
    sent = set(RegionRequest.objects.values_list("case_id", flat=True).distinct())
    directions = dict(Case.objects.values_list("pk", "direction"))
    done = (S.ANSWERED, S.ANSWER_SENT, S.CLOSED)
    for pk, status in statuses.items():
        from_region = directions[pk] == Case.Direction.REGION_TO_COUNTY
        open_items = waiting[pk] if from_region else pending[pk]
        if status == S.ROUTED and not open_items:
            problem("routing", f"case {pk} is routed but waits for nobody")
        if status != S.ROUTED and open_items:
            problem("routing", f"case {pk} is {status} but still waits for {open_items}")
        if from_region and status in done and not answered[pk]:
            problem("routing", f"case {pk} is {status} without an answered routing")
        if status in (S.DRAFT, S.SUBMITTED, S.RECEIVED, S.RETURNED) and (pk in routed or pk in sent):
            problem("routing", f"case {pk} is {status} but has routings or requests")

    # Timestamps and answers follow the steps.
    for row in Case.objects.filter(
        Q(status__in=[S.CLOSED, S.WITHDRAWN], closed_at=None)
        | Q(status__in=[S.ANSWER_SENT, S.CLOSED], final_answer="")
        | Q(status__in=[S.ANSWER_SENT, S.CLOSED], answer_sent_at=None)
        | Q(received_at__lt=models.F("submitted_at"))
        | Q(answer_sent_at__lt=models.F("received_at"))
        | Q(closed_at__lt=models.F("created_at"))
    ).values_list("pk", "status")[:limit]:
        problem("timestamps", f"case {row[0]} ({row[1]}): its dates or answer do not fit its status")

    # The anchoring strength kept in each case is what the services would count.
    for case in Case.objects.filter(submitted_at__isnull=False, origin_region__isnull=False).order_by("pk")[:500]:
        strength = case_anchoring_strength(case=case)
        kept = (case.members_on_submission, case.councils_supporting)
        if kept != (strength.total, strength.supporting):
            problem("anchoring", f"case {case.pk}: {kept} kept, {(strength.total, strength.supporting)} counted")

    # Anchoring counts only members of the region on the submission date (cases.services.anchoring_record).
    for anchoring in Anchoring.objects.select_related("case")[:2000]:
        day = anchoring.case.submitted_at.astimezone(OSLO).date()
        member = (
            RegionMembership.objects.valid_on(day)
            .filter(region_id=anchoring.case.origin_region_id, municipality_id=anchoring.municipality_id)
            .exists()
        )
        if not member:
            problem("anchoring", f"anchoring {anchoring.pk}: not a member of the region on {day}")
    return [text for kind in problems for text in problems[kind]]


def _model(label):
    from django.apps import apps

    return apps.get_model(label)


def generate(*, scale=1.0, seed=17, today=None, counties=None, stdout=sys.stdout, validate_every=2000) -> NationalData:
    """Write the national dataset into the current (empty) database; returns the generator with its counts.
    `counties` (numbers) keeps the activity to the regions of those counties, for a quick test."""
    return NationalData(
        scale=scale, seed=seed, today=today, counties=counties, stdout=stdout, validate_every=validate_every
    ).run()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="1.0: 200,000 cases and 50,000 meetings")
    parser.add_argument("--seed", type=int, default=17)
    parser.add_argument("--today", type=datetime.date.fromisoformat, default=None, help="YYYY-MM-DD (default today)")
    parser.add_argument("--counties", default="", help="only the regions of these counties, e.g. 31,34 (quick runs)")
    parser.add_argument("--check", action="store_true", help="only check the invariants of a loaded dataset")
    args = parser.parse_args(argv)
    if args.check:
        started = time.monotonic()
        problems = check_invariants()
        for text in problems:
            print(f"  {text}")
        print(f"{len(problems)} problems ({time.monotonic() - started:.0f} s).")
        raise SystemExit(1 if problems else 0)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    counties = [c.strip() for c in args.counties.split(",") if c.strip()]
    generate(scale=args.scale, seed=args.seed, today=args.today, counties=counties)


if __name__ == "__main__":
    main()
