"""Builders for funds tests: a region's year with the county's and the municipalities' contributions."""

from decimal import Decimal

from funds import services
from tests.factories import an_adviser


def fund_year(region, *, year=2026, adviser=None, county=None, county_amount="2500000", municipal_amount="1000000"):
    """The region's funds for the year with the Innlandet figures: 2.5 MNOK from the county, 1 MNOK
    from the municipalities (either left out when given as None)."""
    adviser = an_adviser(adviser)
    result = services.fund_year_create(county=county or region.host_county, region=region, year=year, actor=adviser)
    if county_amount is not None:
        services.income_add(
            fund_year=result, source="county", amount=Decimal(county_amount), actor=adviser, description="Fylket"
        )
    if municipal_amount is not None:
        services.income_add(
            fund_year=result,
            source="municipalities",
            amount=Decimal(municipal_amount),
            actor=adviser,
            description="Kommunene",
        )
    return result


def priorities_of(region, *, adviser=None):
    """The priorities of a draft agreement for the region (the county's general part made if missing)."""
    from partnerships.models import GeneralPart
    from tests.partnerships.factories import adopted_general_part, draft_agreement

    adviser = an_adviser(adviser)
    if not GeneralPart.objects.filter(county=region.host_county).exists():
        adopted_general_part(region.host_county, adviser=adviser)
    return list(draft_agreement(region, adviser=adviser).special_part.priorities.all())
