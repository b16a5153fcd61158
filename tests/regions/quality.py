"""Registry pages and objects for the shared quality suites (tests/security/extensions.py).

The registry is public information: every logged-in role reads the county overview and the pages of
every region, municipality, county and council area, and downloads the export. Only advisers (and
administrators, who act as advisers) open the forms that end or move a membership or end an
appointment; for everyone else, the leader of the membership's own region included, those pages do
not exist (404, never 403, so they tell nothing about which objects there are).

The world gets the current memberships and appointments of both regions and, for region A, a former
member (2020-01-01 until 2021-01-01, low confidence, merged into A's first member) so the region and
municipality pages show an ended membership, a predecessor and a successor.
"""

import datetime

from tests.e2e.pages import A11yPage


def _setup(world):
    from regions.models import Appointment, RegionMembership

    from .factories import former_membership

    def membership(region, municipality):
        return RegionMembership.objects.get(region=region, municipality=municipality, valid_to__isnull=True)

    world.objects["membership_a"] = membership(world.region_a, world.members_a[0])
    world.objects["membership_b"] = membership(world.region_b, world.members_b[0])
    world.objects["former_membership_a"] = former_membership(
        world.region_a,
        name="Tidligere Kommune",
        number="3050",
        joined=datetime.date(2020, 1, 1),
        left=datetime.date(2021, 1, 1),
        merged_into=world.members_a[0],
    )
    world.objects["appointment_a"] = Appointment.objects.get(person__user=world.user("leader_a"))
    world.objects["appointment_b"] = Appointment.objects.get(person__user=world.user("leader_b"))
    world.objects["appointment_staff"] = Appointment.objects.get(person__user=world.user("staff"))
    # An election term of the county: an opposition representative for region A, both representatives for B.
    from regions import services
    from tests.factories import UserFactory

    recorder = UserFactory(username="term_recorder", role="adviser")
    term = services.term_create(
        actor=recorder,
        county=world.county,
        name="2023–2027",
        valid_from=datetime.date(2024, 1, 1),
        valid_to=datetime.date(2027, 10, 1),
        election_date=datetime.date(2023, 9, 11),
    )
    services.term_record(
        actor=recorder,
        term=term,
        rows=[
            services.TermRow(
                region=world.region_a,
                # The meetings' world gives region A an open-ended councillor and position representative.
                slots={"opposition": services.SlotEntry(name="Ola Opposisjon", party="H")},
                exception="Posisjonens representant og fylkesrådet er oppnevnt utenom valgperioden",
            ),
            # Region B: no councillor, by the county's decision (an exception with its reason).
            services.TermRow(
                region=world.region_b,
                slots={
                    "position": services.SlotEntry(name="Siv Posisjon", party="Ap"),
                    "opposition": services.SlotEntry(name="Tor Opposisjon", party="FrP"),
                },
                exception="Fylkesrådet for samferdsel følger regionen",
            ),
        ],
    )
    world.objects["term"] = term
    world.objects["term_appointment_a"] = Appointment.objects.get(
        term=term, region=world.region_a, side=Appointment.Side.OPPOSITION
    )
    world.objects["term_person_a"] = world.term_appointment_a.person


WORLD_SETUP = [_setup]

URL_KWARGS = {
    "regions:region-detail": lambda w: {"slug": w.region_a.slug},
    "regions:municipality-detail": lambda w: {"pk": w.members_a[0].pk},
    "regions:county-detail": lambda w: {"pk": w.county.pk},
    "regions:council-area-detail": lambda w: {"pk": w.council_area.pk},
    "regions:export": lambda w: {"fmt": "csv"},
    "regions:membership-end": lambda w: {"pk": w.membership_a.pk},
    "regions:membership-move": lambda w: {"pk": w.membership_a.pk},
    "regions:appointment-end": lambda w: {"pk": w.appointment_a.pk},
    "regions:appointment-renew": lambda w: {"pk": w.term_appointment_a.pk},
    "regions:term-detail": lambda w: {"pk": w.term.pk},
    "regions:term-import": lambda w: {"pk": w.term.pk},
    "regions:region-representatives": lambda w: {"slug": w.region_a.slug},
    "regions:person-detail": lambda w: {"pk": w.term_person_a.pk},
}

# What each URL is about, for the 404-or-403 rule (tests/security/matrix.py: URL_OBJECTS).
URL_OBJECTS = {
    "regions:region-detail": "region_a",
    "regions:municipality-detail": lambda w: w.members_a[0],
    "regions:county-detail": "county",
    "regions:council-area-detail": "council_area",
    "regions:export": "no object",
    "regions:membership-end": "membership_a",
    "regions:membership-move": "membership_a",
    "regions:appointment-end": "appointment_a",
    "regions:appointment-renew": "term_appointment_a",
    "regions:term-detail": "term",
    "regions:term-import": "term",
    "regions:region-representatives": "region_a",
    "regions:person-detail": "term_person_a",
}

_EVERYONE_READS = {"adviser": 200, "admin": 200, "leader_a": 200, "leader_b": 200, "staff": 200}
# The registry is public: every role sees a membership or an appointment, so an edit form that is
# not theirs answers 403 (docs/adr/0004-404-not-403.md).
_ADVISERS_EDIT_AN_OBJECT = {"adviser": 200, "admin": 200, "leader_a": 403, "leader_b": 403, "staff": 403}
_ADVISERS_START = {"adviser": 200, "admin": 200, "leader_a": 403, "leader_b": 403, "staff": 403}

EXPECTED_STATUS = {
    "regions:index": _EVERYONE_READS,
    "regions:council-area-list": _EVERYONE_READS,
    "regions:region-detail": _EVERYONE_READS,
    "regions:municipality-detail": _EVERYONE_READS,
    "regions:county-detail": _EVERYONE_READS,
    "regions:council-area-detail": _EVERYONE_READS,
    "regions:export": _EVERYONE_READS,
    "regions:membership-start": _ADVISERS_START,
    "regions:appointment-start": _ADVISERS_START,
    "regions:membership-end": _ADVISERS_EDIT_AN_OBJECT,
    "regions:membership-move": _ADVISERS_EDIT_AN_OBJECT,
    "regions:appointment-end": _ADVISERS_EDIT_AN_OBJECT,
    "regions:appointment-renew": {"default": 405},  # POST only
    "regions:term-list": _EVERYONE_READS,
    "regions:term-create": _ADVISERS_START,
    "regions:term-detail": _EVERYONE_READS,
    "regions:term-import": _ADVISERS_EDIT_AN_OBJECT,
    "regions:region-representatives": _EVERYONE_READS,
    "regions:person-detail": _EVERYONE_READS,
}

_REGION_A = lambda w: {"slug": w.region_a.slug}  # noqa: E731
_MEMBER_A = lambda w: {"pk": w.members_a[0].pk}  # noqa: E731
_FORMER_A = lambda w: {"pk": w.former_membership_a.municipality_id}  # noqa: E731
_COUNTY = lambda w: {"pk": w.county.pk}  # noqa: E731
_AREA = lambda w: {"pk": w.council_area.pk}  # noqa: E731

PAGES = [
    A11yPage("regions-region-adviser", "regions:region-detail", "adviser", kwargs=_REGION_A),
    A11yPage("regions-region-leader_a", "regions:region-detail", "leader_a", kwargs=_REGION_A),
    A11yPage(
        "regions-region-history-adviser", "regions:region-detail", "adviser", kwargs=_REGION_A, query="dato=2020-06-01"
    ),
    A11yPage("regions-municipality-adviser", "regions:municipality-detail", "adviser", kwargs=_MEMBER_A),
    A11yPage("regions-municipality-former-adviser", "regions:municipality-detail", "adviser", kwargs=_FORMER_A),
    A11yPage("regions-municipality-leader_a", "regions:municipality-detail", "leader_a", kwargs=_MEMBER_A),
    A11yPage("regions-county-adviser", "regions:county-detail", "adviser", kwargs=_COUNTY),
    A11yPage("regions-council-areas-staff", "regions:council-area-list", "staff"),
    A11yPage("regions-council-area-adviser", "regions:council-area-detail", "adviser", kwargs=_AREA),
    A11yPage("regions-council-area-staff", "regions:council-area-detail", "staff", kwargs=_AREA),
    A11yPage(
        "regions-membership-end-adviser",
        "regions:membership-end",
        "adviser",
        kwargs=lambda w: {"pk": w.membership_a.pk},
    ),
    A11yPage(
        "regions-membership-move-adviser",
        "regions:membership-move",
        "adviser",
        kwargs=lambda w: {"pk": w.membership_a.pk},
    ),
    A11yPage("regions-terms-adviser", "regions:term-list", "adviser"),
    A11yPage("regions-term-grid-adviser", "regions:term-detail", "adviser", kwargs=lambda w: {"pk": w.term.pk}),
    A11yPage("regions-term-leader_a", "regions:term-detail", "leader_a", kwargs=lambda w: {"pk": w.term.pk}),
    A11yPage("regions-term-import-adviser", "regions:term-import", "adviser", kwargs=lambda w: {"pk": w.term.pk}),
    A11yPage("regions-representatives-leader_a", "regions:region-representatives", "leader_a", kwargs=_REGION_A),
    A11yPage("regions-person-adviser", "regions:person-detail", "adviser", kwargs=lambda w: {"pk": w.term_person_a.pk}),
    A11yPage(
        "regions-appointment-end-adviser",
        "regions:appointment-end",
        "adviser",
        kwargs=lambda w: {"pk": w.appointment_a.pk},
    ),
]

# The registry's own parameter names (the foundation's entry fuzzes regions:index with English ones).
FUZZ_PAGES = [
    ("regions:index", "adviser", ["dato", "fylke"]),
    ("regions:council-area-list", "leader_a", ["dato", "fylke"]),
]
