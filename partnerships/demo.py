"""Demo content for `manage.py setup_demo` (DEBUG only): a general part and the special part of
Indre Østfold. Every text says plainly that it is example text written for the demo and is not
Viken's real partnership agreement. Idempotent: a second run changes nothing."""

import datetime

from django.db import transaction

from accounts.models import User
from regions.models import CouncilArea, Region

from . import services
from .models import Agreement, GeneralPart, Instrument, SpecialPart, StrategicPlan

DEMO_NOTE = (
    "> **Eksempeltekst laget for demoen.** Dette er ikke Vikens virkelige partnerskapsavtale; "
    "teksten er skrevet for å vise hvordan Regionportalen fungerer."
)
DEMO_TITLE = "Partnerskapsavtale – generell del (EKSEMPEL for demo)"


@transaction.atomic
def load_demo(*, stdout):
    region = Region.objects.filter(slug="indre-ostfold").select_related("host_county").first()
    adviser = User.objects.filter(username="radgiver").first() or User.objects.filter(role=User.Role.ADVISER).first()
    if region is None or adviser is None:
        stdout.write("partnerships: no region indre-ostfold or no adviser; no demo agreement.")
        return
    county = region.host_county
    general = GeneralPart.objects.filter(county=county, title=DEMO_TITLE).order_by("version").first()
    if general is None:
        general = services.general_part_create(
            county=county,
            title=DEMO_TITLE,
            actor=adviser,
            changelog="Første versjon (eksempel for demoen).",
            sections=[
                {"heading": "Om denne teksten", "body": DEMO_NOTE},
                {
                    "heading": "Formål",
                    "body": "Fylkeskommunen og kommuneregionene samarbeider om regional utvikling, "
                    "med tidlig dialog om planer, virkemidler og saker som angår regionen.\n\n" + DEMO_NOTE,
                },
                {
                    "heading": "Roller og møteplasser",
                    "body": "- Fagenheten for strategisk samarbeid er **én dør inn, én dør ut**.\n"
                    "- Fylkesrådet oppnevner én fylkesråd til hver region.\n"
                    "- Regionrådsmøtene har faste møtetider.",
                },
            ],
        )
        services.general_part_adopt(
            general_part=general,
            actor=adviser,
            adopted_on=datetime.date(2020, 6, 18),
            decision_reference="DEMO-sak 1/20 (eksempel)",
            adopting_body="Fylkestinget (eksempel)",
        )
        stdout.write("  partnerships: demo general part (example text)")

    if SpecialPart.objects.filter(county=county, region=region).exists():
        _continue_with_successor(region, county, general, adviser=adviser, stdout=stdout)
        return
    plan, _ = StrategicPlan.objects.get_or_create(
        county=county,
        title="Regional planstrategi (eksempel for demo)",
        defaults={"kind": StrategicPlan.Kind.REGIONAL_PLAN_STRATEGY, "adopted_on": datetime.date(2020, 6, 18)},
    )
    area = CouncilArea.objects.filter(slug="samferdsel").first()
    grant, _ = Instrument.objects.get_or_create(
        name="Regionale utviklingsmidler (eksempel)",
        defaults={"kind": Instrument.Kind.GRANT_SCHEME, "council_area": area},
    )
    programme, _ = Instrument.objects.get_or_create(
        name="Program for bedre kollektivtilbud (eksempel)",
        defaults={"kind": Instrument.Kind.PROGRAMME, "council_area": area},
    )
    agreement = services.agreement_create(county=county, region=region, actor=adviser)
    services.special_part_update(
        special_part=agreement.special_part,
        actor=adviser,
        title=f"Spesiell del for {region.name} (EKSEMPEL for demo)",
        introduction=DEMO_NOTE + "\n\nRegionen og fylket har i dette eksemplet blitt enige om tre satsinger.",
        changelog="Første versjon (eksempel for demoen).",
        strengths=["Eksempel: sentral beliggenhet mellom Oslo og Sverige", "Eksempel: sterkt landbruk"],
        challenges=["Eksempel: lang reisetid med kollektivtransport", "Eksempel: lav utdanningsandel"],
        priorities=[
            "Eksempel: grønn næringsutvikling og matproduksjon",
            "Eksempel: bedre kollektivtilbud mellom tettstedene",
            "Eksempel: flere fullfører videregående opplæring",
        ],
        strategic_plans=[plan],
    )
    services.special_part_instruments_set(
        special_part=agreement.special_part,
        actor=adviser,
        rows=[
            {"instrument": grant, "justification": "Eksempel: støtter satsing 1."},
            {"instrument": programme, "justification": "Eksempel: støtter satsing 2."},
        ],
    )
    services.agreement_adopt(
        agreement=Agreement.objects.get(pk=agreement.pk),
        actor=adviser,
        county_adopted_on=datetime.date(2020, 10, 15),
        county_decision_reference="DEMO-sak 40/20 (eksempel)",
        region_adopted_on=datetime.date(2020, 9, 24),
        region_decision_reference="DEMO-regionråd 12/20 (eksempel)",
        signatories="Fylkesordfører (eksempel)\nRegionrådsleder (eksempel)",
    )
    stdout.write("  partnerships: demo agreement for Indre Østfold (example text)")
    _continue_with_successor(region, county, general, adviser=adviser, stdout=stdout)


def _continue_with_successor(region, county, general, *, adviser, stdout):
    """Viken's agreement ends with Viken (2024-01-01); Østfold, its successor for Indre Østfold, starts a
    new agreement from Viken's text (a draft), with its own general part copied from the demo's."""
    services.agreements_end_with_county(county=county)
    successor = county.successors.filter(number="31").first()
    old = Agreement.objects.filter(county=county, region=region).exclude(status="draft").order_by("-pk").first()
    if successor is None or old is None or Agreement.objects.filter(county=successor, region=region).exists():
        return
    if not GeneralPart.objects.filter(county=successor).exists():
        services.general_part_create(
            county=successor,
            title=DEMO_TITLE,
            actor=adviser,
            changelog="Første versjon for Østfold, fra Vikens tekst (eksempel for demoen).",
            sections=[{"heading": s.heading, "body": s.body} for s in general.sections.order_by("order")],
        )
    services.agreement_continue(agreement=old, county=successor, actor=adviser)
    stdout.write("  partnerships: Østfold's draft agreement for Indre Østfold, continued from Viken's (example text)")
