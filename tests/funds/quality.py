"""Funds pages and objects for the shared quality suites (tests/security/extensions.py).

The world gets region A's funds for 2026 (income, an allocation to a priority of A's draft special
part, a payment and reported use): leader_a reads them, leader_b and staff get 404; an adviser's
step on them is forbidden to leader_a (403: visible, nothing to hide). docs/adr/0004."""

import datetime

from tests.e2e.pages import A11yPage


def _setup(world):
    from funds import services

    from .factories import fund_year

    adviser = world.user("adviser")
    year = fund_year(world.region_a, adviser=adviser, county=world.county)
    priority = world.agreement_a.special_part.priorities.first()
    project = services.project_create(fund_year=year, name="Grønt industriløft", priority=priority, actor=adviser)
    allocation = services.allocation_add(fund_year=year, priority=priority, amount="1500000", actor=adviser)
    services.allocation_add(fund_year=year, project=project, amount="250000", actor=adviser)
    services.payment_add(allocation=allocation, amount="500000", paid_on=datetime.date(2026, 3, 1), actor=adviser)
    services.use_report_add(
        allocation=allocation,
        amount_used="200000",
        reported_on=datetime.date(2026, 9, 1),
        text="Forstudie om grønn industri.",
        actor=adviser,
    )
    world.objects["fund_year_a"] = year
    world.objects["income_a"] = year.incomes.first()
    world.objects["allocation_a"] = allocation
    world.objects["project_a"] = project


WORLD_SETUP = [_setup]

_YEAR = lambda w: {"pk": w.fund_year_a.pk}  # noqa: E731
_ALLOCATION = lambda w: {"pk": w.allocation_a.pk}  # noqa: E731

URL_KWARGS = {
    "funds:year-detail": _YEAR,
    "funds:year-export": _YEAR,
    "funds:income-add": _YEAR,
    "funds:project-add": _YEAR,
    "funds:allocation-add": _YEAR,
    "funds:income-edit": lambda w: {"pk": w.income_a.pk},
    "funds:allocation-edit": _ALLOCATION,
    "funds:payment-add": _ALLOCATION,
    "funds:use-add": _ALLOCATION,
}

URL_OBJECTS = {
    "funds:year-detail": "fund_year_a",
    "funds:year-export": "fund_year_a",
    "funds:income-add": "fund_year_a",
    "funds:project-add": "fund_year_a",
    "funds:allocation-add": "fund_year_a",
    "funds:income-edit": "income_a",
    "funds:allocation-edit": "allocation_a",
    "funds:payment-add": "allocation_a",
    "funds:use-add": "allocation_a",
}

_EVERYONE = {"adviser": 200, "admin": 200, "leader_a": 200, "leader_b": 200, "staff": 200}
_READ_OWN = {"adviser": 200, "admin": 200, "leader_a": 200, "leader_b": 404, "staff": 404}
_ADVISER_STEP_ON_OWN = {"adviser": 200, "admin": 200, "leader_a": 403, "leader_b": 404, "staff": 404}
_ADVISERS_ONLY = {"adviser": 200, "admin": 200, "leader_a": 403, "leader_b": 403, "staff": 403}

EXPECTED_STATUS = {
    "funds:index": _EVERYONE,
    "funds:year-create": _ADVISERS_ONLY,
    "funds:overview": _ADVISERS_ONLY,
    "funds:overview-export": _ADVISERS_ONLY,
    "funds:year-detail": _READ_OWN,
    "funds:year-export": _READ_OWN,
    **{name: _ADVISER_STEP_ON_OWN for name in URL_KWARGS if name.endswith(("-add", "-edit"))},
}

PAGES = [
    A11yPage("funds-year-leader_a", "funds:year-detail", "leader_a", kwargs=_YEAR),
    A11yPage("funds-year-adviser", "funds:year-detail", "adviser", kwargs=_YEAR),
    A11yPage("funds-overview-adviser", "funds:overview", "adviser"),
    A11yPage("funds-allocation-add-adviser", "funds:allocation-add", "adviser", kwargs=_YEAR),
]

FUZZ_PAGES = [("funds:index", "adviser", ["page"]), ("funds:overview", "adviser", ["county", "year"])]
