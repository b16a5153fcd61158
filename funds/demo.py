"""Demo content for `manage.py setup_demo` (DEBUG only): the partnership funds of 2026 for Indre
Østfold and one other region of Østfold, with the Innlandet figures (2.5 MNOK from the county, 1 MNOK
from the municipalities). Every text says it is an example. Idempotent: a second run changes nothing."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import User
from partnerships.models import Priority
from regions.models import County, Region
from regions.selectors import region_list_for_county

from . import services
from .models import FundYear

YEAR = 2026


def _year(county, region, adviser, *, stdout):
    if FundYear.objects.filter(county=county, region=region, year=YEAR).exists():
        return None
    try:
        fund_year = services.fund_year_create(county=county, region=region, year=YEAR, actor=adviser)
    except ValidationError as error:
        stdout.write(f"  funds: no demo funds for {region.name}: {' '.join(error.messages)}")
        return None
    services.income_add(
        fund_year=fund_year,
        source="county",
        amount=Decimal("2500000"),
        actor=adviser,
        description="Fylkeskommunens bidrag (eksempel)",
    )
    services.income_add(
        fund_year=fund_year,
        source="municipalities",
        amount=Decimal("1000000"),
        actor=adviser,
        description="Kommunenes bidrag (eksempel)",
    )
    return fund_year


@transaction.atomic
def load_demo(*, stdout):
    county = County.objects.filter(number="31").order_by("-valid_from").first()
    region = Region.objects.filter(slug="indre-ostfold").first()
    adviser = User.objects.filter(username="radgiver").first() or User.objects.filter(role=User.Role.ADVISER).first()
    if county is None or region is None or adviser is None:
        stdout.write("funds: no county 31, no region indre-ostfold or no adviser; no demo funds.")
        return
    day = datetime.date(YEAR, 1, 1)
    fund_year = _year(county, region, adviser, stdout=stdout)
    if fund_year is not None:
        priorities = list(
            Priority.objects.filter(special_part__county=county, special_part__region=region).order_by(
                "-special_part__version", "order", "pk"
            )[:2]
        )
        project = services.project_create(
            fund_year=fund_year,
            name="Eksempel: forstudie om felles matklynge",
            priority=priorities[0] if priorities else None,
            description="Eksempelprosjekt laget for demoen.",
            actor=adviser,
        )
        funded = services.allocation_add(
            fund_year=fund_year,
            project=project,
            amount=Decimal("800000"),
            actor=adviser,
            description="Eksempel: tilskudd til forstudien",
        )
        services.payment_add(
            allocation=funded,
            amount=Decimal("400000"),
            paid_on=datetime.date(YEAR, 3, 15),
            actor=adviser,
            note="Første utbetaling (eksempel)",
        )
        services.use_report_add(
            allocation=funded,
            amount_used=Decimal("250000"),
            reported_on=datetime.date(YEAR, 9, 1),
            actor=adviser,
            text="Eksempel: kartlegging av produsenter og to arbeidsmøter.",
        )
        if len(priorities) > 1:
            services.allocation_add(
                fund_year=fund_year,
                priority=priorities[1],
                amount=Decimal("1200000"),
                actor=adviser,
                description="Eksempel: kollektivtiltak mellom tettstedene",
            )
        stdout.write(f"  funds: demo funds {YEAR} for {region.name} (example figures)")
    other = region_list_for_county(county=county, on=day).exclude(pk=region.pk).first()
    if other is not None:
        other_year = _year(county, other, adviser, stdout=stdout)
        if other_year is not None:
            project = services.project_create(
                fund_year=other_year,
                name="Eksempel: felles reiselivssatsing",
                actor=adviser,
                description="Eksempelprosjekt laget for demoen.",
            )
            services.allocation_add(
                fund_year=other_year,
                project=project,
                amount=Decimal("500000"),
                actor=adviser,
                description="Eksempel: tilskudd til reiselivssatsingen",
            )
            stdout.write(f"  funds: demo funds {YEAR} for {other.name} (example figures)")
