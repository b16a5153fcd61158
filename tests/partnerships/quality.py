"""Partnership pages and objects for the shared quality suites (tests/security/extensions.py).

The world gets an adopted general part, a draft agreement for region A (led by leader_a) and an
adopted agreement for region B: leader_a reads their own draft and B's adopted agreement; leader_b
and staff get 404 for A's draft.
"""

import datetime

from tests.e2e.pages import A11yPage


def _setup(world):
    from partnerships import services

    from .factories import adopted_agreement, adopted_general_part, draft_agreement

    world.objects["general_part"] = adopted_general_part(world.county)
    world.objects["agreement_b"] = adopted_agreement(world.region_b, on=datetime.date(2021, 6, 1))
    world.objects["agreement_a"] = draft_agreement(world.region_a)
    world.objects["proposal_a"] = services.proposal_create(
        special_part=world.agreement_a.special_part,
        section="introduction",
        proposed_text="Ny innledning fra regionen.",
        actor=world.user("leader_a"),
        now=datetime.datetime(2021, 5, 3, 10, 0, tzinfo=datetime.UTC),
    )
    _setup_admin_objects(world)


def _setup_admin_objects(world):
    """One object of each remaining partnerships model, so their admin pages are requested too."""
    from partnerships import services
    from partnerships.models import Instrument, StrategicPlan, WorkingGroupMember
    from regions.models import Person

    special = world.agreement_a.special_part
    instrument = Instrument.objects.create(name="Regionale utviklingsmidler", council_area=world.council_area)
    services.special_part_instruments_set(
        actor=world.user("adviser"),
        special_part=special,
        rows=[{"instrument": instrument, "justification": "Næringsutvikling i regionen."}],
    )
    services.knowledge_reference_add(
        actor=world.user("adviser"),
        special_part=special,
        title="Regional analyse 2021",
        url="https://example.no/analyse",
        owner_region=world.region_a,
    )
    services.comment_add(
        special_part=special,
        section="introduction",
        text="Bør nevne samarbeidet om kollektivtrafikk.",
        actor=world.user("adviser"),
        now=datetime.datetime(2021, 5, 4, 9, 0, tzinfo=datetime.UTC),
    )
    StrategicPlan.objects.create(county=world.county, title="Regional planstrategi 2020–2024")
    WorkingGroupMember.objects.create(
        general_part=world.general_part,
        person=Person.objects.create(name="Wenche Arbeidsgruppe"),
        represents_region=world.region_a,
        role="Representant for regionen",
    )


WORLD_SETUP = [_setup]

_A = {"agreement": lambda w: {"pk": w.agreement_a.pk}, "special": lambda w: {"pk": w.agreement_a.special_part_id}}

URL_KWARGS = {
    "partnerships:agreement-detail": _A["agreement"],
    "partnerships:agreement-pdf": _A["agreement"],
    "partnerships:agreement-negotiate": _A["agreement"],
    "partnerships:agreement-adopt": _A["agreement"],
    "partnerships:agreement-screening": _A["agreement"],
    "partnerships:agreement-term": _A["agreement"],
    "partnerships:agreement-use-current-general-part": _A["agreement"],
    "partnerships:agreement-continue": _A["agreement"],
    "partnerships:general-part-detail": lambda w: {"pk": w.general_part.pk},
    "partnerships:general-part-edit": lambda w: {"pk": w.general_part.pk},
    "partnerships:general-part-revise": lambda w: {"pk": w.general_part.pk},
    "partnerships:general-part-consult": lambda w: {"pk": w.general_part.pk},
    "partnerships:general-part-adopt": lambda w: {"pk": w.general_part.pk},
    "partnerships:general-part-history": lambda w: {"pk": w.general_part.pk},
    "partnerships:special-part-detail": _A["special"],
    "partnerships:special-part-edit": _A["special"],
    "partnerships:special-part-instruments": _A["special"],
    "partnerships:special-part-knowledge": _A["special"],
    "partnerships:special-part-revise": _A["special"],
    "partnerships:special-part-history": _A["special"],
    "partnerships:special-part-negotiation": _A["special"],
    "partnerships:knowledge-download": lambda w: {"pk": 999999},
    "partnerships:proposal-accept": lambda w: {"pk": w.proposal_a.pk},
    "partnerships:proposal-reject": lambda w: {"pk": w.proposal_a.pk},
}

# What each URL is about, for the 404-or-403 rule (tests/security/matrix.py: URL_OBJECTS).
_SPECIAL_A = lambda w: w.agreement_a.special_part  # noqa: E731
URL_OBJECTS = {
    **{name: "agreement_a" for name in URL_KWARGS if name.startswith("partnerships:agreement-")},
    **{name: "general_part" for name in URL_KWARGS if name.startswith("partnerships:general-part-")},
    **{name: _SPECIAL_A for name in URL_KWARGS if name.startswith("partnerships:special-part-")},
    "partnerships:knowledge-download": "missing",
    "partnerships:proposal-accept": "proposal_a",
    "partnerships:proposal-reject": "proposal_a",
}

# Region A's draft: leader_a sees it, leader_b and staff do not (404, as for a missing one); an
# adviser's step on it is forbidden to leader_a (403: visible, nothing to hide). docs/adr/0004.
_READ_OWN_DRAFT = {"adviser": 200, "admin": 200, "leader_a": 200, "leader_b": 404, "staff": 404}
_ADVISER_ONLY_ON_DRAFT = {"adviser": 200, "admin": 200, "leader_a": 403, "leader_b": 404, "staff": 404}
_ADVISER_ONLY_ON_PUBLIC = {"adviser": 200, "admin": 200, "leader_a": 403, "leader_b": 403, "staff": 403}
_POST_ONLY = {"adviser": 405, "admin": 405, "leader_a": 405, "leader_b": 405, "staff": 405}

EXPECTED_STATUS = {
    "partnerships:index": {"adviser": 200, "admin": 200, "leader_a": 200, "leader_b": 200, "staff": 200},
    "partnerships:agreement-detail": _READ_OWN_DRAFT,
    "partnerships:agreement-pdf": _READ_OWN_DRAFT,
    "partnerships:special-part-detail": _READ_OWN_DRAFT,
    "partnerships:special-part-history": _READ_OWN_DRAFT,
    "partnerships:special-part-negotiation": _READ_OWN_DRAFT,
    "partnerships:agreement-adopt": _ADVISER_ONLY_ON_DRAFT,
    "partnerships:agreement-term": _ADVISER_ONLY_ON_DRAFT,
    "partnerships:agreement-create": _ADVISER_ONLY_ON_PUBLIC,
    "partnerships:special-part-edit": _ADVISER_ONLY_ON_DRAFT,
    "partnerships:special-part-instruments": _ADVISER_ONLY_ON_DRAFT,
    "partnerships:special-part-knowledge": _ADVISER_ONLY_ON_DRAFT,
    "partnerships:general-part-detail": {"adviser": 200, "admin": 200, "leader_a": 200, "leader_b": 200, "staff": 200},
    "partnerships:general-part-history": {
        "adviser": 200,
        "admin": 200,
        "leader_a": 200,
        "leader_b": 200,
        "staff": 200,
    },
    "partnerships:general-part-edit": _ADVISER_ONLY_ON_PUBLIC,
    "partnerships:general-part-adopt": _ADVISER_ONLY_ON_PUBLIC,
    "partnerships:general-part-create": _ADVISER_ONLY_ON_PUBLIC,
    "partnerships:knowledge-download": {"adviser": 404, "admin": 404, "leader_a": 404, "leader_b": 404, "staff": 404},
    "partnerships:agreement-negotiate": _POST_ONLY,
    "partnerships:agreement-screening": _POST_ONLY,
    "partnerships:agreement-use-current-general-part": _POST_ONLY,
    "partnerships:agreement-continue": _POST_ONLY,
    "partnerships:general-part-revise": _POST_ONLY,
    "partnerships:general-part-consult": _POST_ONLY,
    "partnerships:special-part-revise": _POST_ONLY,
    "partnerships:proposal-accept": _POST_ONLY,
    "partnerships:proposal-reject": _POST_ONLY,
}

PAGES = [
    A11yPage("partnerships-agreement-leader_a", "partnerships:agreement-detail", "leader_a", kwargs=_A["agreement"]),
    A11yPage(
        "partnerships-negotiation-leader_a", "partnerships:special-part-negotiation", "leader_a", kwargs=_A["special"]
    ),
    A11yPage(
        "partnerships-history-adviser",
        "partnerships:general-part-history",
        "adviser",
        kwargs=lambda w: {"pk": w.general_part.pk},
    ),
    A11yPage("partnerships-special-edit-adviser", "partnerships:special-part-edit", "adviser", kwargs=_A["special"]),
    A11yPage("partnerships-adopt-adviser", "partnerships:agreement-adopt", "adviser", kwargs=_A["agreement"]),
    A11yPage(
        "partnerships-general-part-leader_b",
        "partnerships:general-part-detail",
        "leader_b",
        kwargs=lambda w: {"pk": w.general_part.pk},
    ),
    A11yPage("partnerships-special-part-adviser", "partnerships:special-part-detail", "adviser", kwargs=_A["special"]),
    A11yPage(
        "partnerships-instruments-adviser", "partnerships:special-part-instruments", "adviser", kwargs=_A["special"]
    ),
    A11yPage("partnerships-knowledge-adviser", "partnerships:special-part-knowledge", "adviser", kwargs=_A["special"]),
    A11yPage(
        "partnerships-agreement-b-leader_a",
        "partnerships:agreement-detail",
        "leader_a",
        kwargs=lambda w: {"pk": w.agreement_b.pk},
    ),
]

FUZZ_PAGES = [("partnerships:index", "adviser", ["county"])]
