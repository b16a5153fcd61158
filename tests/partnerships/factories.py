"""Builders for partnership tests: an adopted general part and an agreement for a region."""

import datetime

from partnerships import services
from partnerships.models import Instrument, StrategicPlan
from tests.factories import an_adviser

ADOPTED_ON = datetime.date(2021, 3, 1)


def adopted_general_part(county, *, adviser=None, on=ADOPTED_ON, title="Generell del"):
    adviser = an_adviser(adviser)
    part = services.general_part_create(
        county=county,
        title=title,
        actor=adviser,
        sections=[
            {"heading": "Formål", "body": "Fylket og regionene samarbeider om **regional utvikling**."},
            {"heading": "Roller", "body": "Én dør inn, én dør ut."},
        ],
    )
    return services.general_part_adopt(
        general_part=part, actor=adviser, adopted_on=on, decision_reference="FT-sak 12/21"
    )


def draft_agreement(region, *, adviser=None, priorities=("Grønn næringsutvikling", "Bedre kollektivtilbud")):
    county = region.host_county
    adviser = an_adviser(adviser)
    agreement = services.agreement_create(county=county, region=region, actor=adviser)
    services.special_part_update(
        special_part=agreement.special_part,
        actor=adviser,
        title=f"Spesiell del for {region.name}",
        introduction="Regionen har sterke fagmiljøer.",
        changelog="",
        strengths=["Nærhet til Oslo"],
        challenges=["Lav sysselsetting"],
        priorities=list(priorities),
    )
    agreement.refresh_from_db()
    return agreement


def adopted_agreement(region, *, adviser=None, on=datetime.date(2021, 6, 1), reference="FT-sak 40/21"):
    adviser = an_adviser(adviser)
    agreement = draft_agreement(region, adviser=adviser)
    return services.agreement_adopt(
        agreement=agreement, actor=adviser, county_adopted_on=on, county_decision_reference=reference
    )


def plan(county, title="Regional planstrategi"):
    return StrategicPlan.objects.create(county=county, title=title, kind=StrategicPlan.Kind.REGIONAL_PLAN_STRATEGY)


def instrument(name="Regionale utviklingsmidler"):
    return Instrument.objects.create(name=name, kind=Instrument.Kind.GRANT_SCHEME)
