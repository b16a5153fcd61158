"""Case pages and objects for the shared quality suites (tests/security/extensions.py).

The world gets, all dated March 2025 (the views compare deadlines with the real today, so these cases
show as overdue):
- case_a_draft: region A's draft (leader_a edits it; it does not exist for leader_b or staff);
- case_a: region A's internal case, submitted, with anchoring in a member council and a PDF attachment;
- case_a_routed: region A's shared case routed to Samferdsel (staff, still waiting) and to Plan og areal,
  which has answered;
- case_county: a case from Samferdsel to the regions, answered by region B and still waiting for A;
- case_b: region B's internal submitted case (does not exist for leader_a or staff);
- a topic mapping (the national transport plan goes to Samferdsel).
Every notice these steps planned is cancelled at the end: flows that count a user's messages count only
their own.
"""

import datetime
from zoneinfo import ZoneInfo

from tests.e2e.pages import A11yPage

NOW = datetime.datetime(2025, 3, 3, 10, 0, tzinfo=ZoneInfo("Europe/Oslo"))
LATER = NOW + datetime.timedelta(days=2)
DEADLINE = datetime.date(2025, 4, 1)


def _setup(world):
    """One transaction, so that the notices the steps plan are cancelled before they are committed and
    handed to a worker (the browser tests' worker is running while the world is built)."""
    from django.db import transaction

    from notifications.models import Message
    from notifications.services import message_cancel

    with transaction.atomic():
        _build(world)
        message_cancel(queryset=Message.objects.filter(kind__startswith="cases."))


def _build(world):
    from cases import services
    from cases.models import Anchoring, Case
    from regions.models import Appointment
    from tests.factories import AppointmentFactory, CouncilAreaFactory, PersonFactory, UserFactory

    from .factories import stored_export, stored_pdf_attachment

    leader_a, leader_b = world.user("leader_a"), world.user("leader_b")
    adviser, staff = world.user("adviser"), world.user("staff")
    planning = CouncilAreaFactory(name="Plan og areal", slug="plan-og-areal")
    planner = UserFactory(username="planner", role=staff.role, first_name="Per", last_name="Planlegger")
    AppointmentFactory(
        person=PersonFactory(user=planner, name="Per Planlegger"),
        role=Appointment.Role.COUNCIL_AREA_STAFF,
        region=None,
        council_area=planning,
    )
    world.objects["planning_area"] = planning

    def region_case(actor, region, title, **fields):
        return services.case_create(
            actor=actor,
            title=title,
            description="Regionrådet ber fylkeskommunen om en vurdering.",
            topic=fields.pop("topic", Case.Topic.CONCRETE_MATTER),
            origin_region=region,
            deadline=DEADLINE,
            now=NOW,
            **fields,
        )

    world.objects["case_a_draft"] = region_case(leader_a, world.region_a, "Utkast: pendlerparkering ved stasjonen")

    case_a = region_case(leader_a, world.region_a, "Fylkesvei 120 trenger gang- og sykkelvei")
    case_a = services.case_submit(case=case_a, actor=leader_a, now=NOW)
    world.objects["anchoring_a"] = services.anchoring_record(
        case=case_a,
        actor=leader_a,
        municipality=world.members_a[0],
        body=Anchoring.Body.COUNCIL,
        stance=Anchoring.Stance.SUPPORTS,
        decision_date=datetime.date(2025, 2, 20),
        reference="KS-sak 12/25",
        now=NOW,
    )
    world.objects["attachment_a"] = stored_pdf_attachment(case=case_a, actor=leader_a, uploaded_at=NOW)
    world.objects["export_a"] = stored_export(owner=leader_a, created_at=NOW)
    world.objects["case_a"] = case_a

    routed = region_case(
        leader_a,
        world.region_a,
        "Halvtimesavganger på bussrute 500",
        topic=Case.Topic.NTP,
        visibility=Case.Visibility.SHARED,
    )
    services.case_submit(case=routed, actor=leader_a, now=NOW)
    services.case_receive(case=routed, actor=adviser, now=NOW)
    routings = services.case_route(case=routed, actor=adviser, council_areas=[world.council_area, planning], now=NOW)
    world.objects["routing_a"] = routings[0]  # Samferdsel: staff still have to answer
    services.routing_answer(
        routing=routings[1], actor=planner, answer="Plan og areal støtter forslaget i rulleringen.", now=LATER
    )
    routed.refresh_from_db()
    world.objects["case_a_routed"] = routed

    county = services.case_create(
        actor=staff,
        title="Innspill til regional plan for kollektivtrafikk",
        description="Samferdsel ber regionene om innspill.",
        topic=Case.Topic.REGIONAL_PLAN,
        direction=Case.Direction.COUNTY_TO_REGIONS,
        origin_council_area=world.council_area,
        deadline=DEADLINE,
        now=NOW,
    )
    services.case_submit(case=county, actor=staff, now=NOW)
    requests = services.case_regions_send(case=county, actor=adviser, regions=[world.region_a, world.region_b], now=NOW)
    by_region = {request_.region_id: request_ for request_ in requests}
    world.objects["region_request_a"] = by_region[world.region_a.pk]
    services.region_request_answer(
        region_request=by_region[world.region_b.pk], actor=leader_b, answer="Follo støtter planen.", now=LATER
    )
    county.refresh_from_db()
    world.objects["case_county"] = county

    case_b = region_case(leader_b, world.region_b, "Follo: ny innfartsparkering")
    world.objects["case_b"] = services.case_submit(case=case_b, actor=leader_b, now=NOW)

    world.objects["topic_mapping"] = services.topic_mapping_set(
        actor=adviser, topic=Case.Topic.NTP, council_area=world.council_area
    )
    world.objects["topic_own"] = services.topic_create(actor=adviser, name="Kultur og frivillighet", name_nn="Kultur")


WORLD_SETUP = [_setup]


def _case(name):
    return lambda w: {"pk": w.objects[name].pk}


URL_KWARGS = {
    "cases:case-detail": _case("case_a"),
    "cases:case-update": _case("case_a_draft"),
    "cases:case-step": lambda w: {"pk": w.case_a.pk, "step": "receive"},
    "cases:attachment-upload": _case("case_a"),
    "cases:case-screening": _case("case_a"),
    "cases:attachment-screening": _case("attachment_a"),
    "cases:anchoring-record": _case("case_a"),
    "meetings:case-agenda-add": _case("case_a"),
    "cases:anchoring-remove": _case("anchoring_a"),
    "cases:attachment-download": _case("attachment_a"),
    "cases:routing-acknowledge": _case("routing_a"),
    "cases:routing-answer": _case("routing_a"),
    "cases:region-request-answer": _case("region_request_a"),
    "cases:export": lambda w: {"fmt": "csv"},
    "cases:export-download": _case("export_a"),
    "cases:topic-edit": _case("topic_own"),
}

# What each URL is about, for the 404-or-403 rule (tests/security/matrix.py: URL_OBJECTS).
URL_OBJECTS = {
    "cases:case-detail": "case_a",
    "cases:case-update": "case_a_draft",
    "cases:case-step": "case_a",
    "cases:attachment-upload": "case_a",
    "cases:case-screening": "case_a",
    "cases:attachment-screening": "attachment_a",
    "cases:anchoring-record": "case_a",
    "meetings:case-agenda-add": "case_a",
    "cases:anchoring-remove": "anchoring_a",
    "cases:attachment-download": "attachment_a",
    "cases:routing-acknowledge": "routing_a",
    "cases:routing-answer": "routing_a",
    "cases:region-request-answer": "region_request_a",
    "cases:export": "no object",
    "cases:export-download": "export_a",
    "cases:topic-edit": "topic_own",
}

# Region A's internal case: advisers and A's leader read it; for B's leader and for staff of a council
# area it was never routed to, it does not exist.
_OWN_REGION = {"adviser": 200, "admin": 200, "leader_a": 200, "leader_b": 404, "staff": 404}
_POST_ONLY = {"adviser": 405, "admin": 405, "leader_a": 405, "leader_b": 405, "staff": 405}

EXPECTED_STATUS = {
    "cases:case-detail": _OWN_REGION,
    # A region's draft is the region's work until submitted: advisers see it but do not edit it.
    "cases:case-update": {**_OWN_REGION, "adviser": 403, "admin": 403},
    "cases:attachment-download": _OWN_REGION,
    "cases:export": {"adviser": 200, "admin": 200, "leader_a": 200, "leader_b": 200, "staff": 200},
    "cases:case-create": {"adviser": 200, "admin": 200, "leader_a": 200, "leader_b": 200, "staff": 200},
    "cases:topic-mapping": {"adviser": 200, "admin": 200, "leader_a": 403, "leader_b": 403, "staff": 403},
    "cases:topic-list": {"adviser": 200, "admin": 200, "leader_a": 403, "leader_b": 403, "staff": 403},
    "cases:topic-create": {"adviser": 200, "admin": 200, "leader_a": 403, "leader_b": 403, "staff": 403},
    "cases:topic-edit": {"adviser": 200, "admin": 200, "leader_a": 403, "leader_b": 403, "staff": 403},
    # A prepared export is its owner's alone (leader_a's, not region A's: not its secretariat's either).
    "cases:export-download": {
        "adviser": 404,
        "admin": 404,
        "leader_a": 200,
        "secretariat_a": 404,
        "leader_b": 404,
        "staff": 404,
    },
    "cases:inbox": {"adviser": 200, "admin": 200, "leader_a": 403, "leader_b": 403, "staff": 403},
    "cases:tracking": {"adviser": 200, "admin": 200, "leader_a": 200, "leader_b": 200, "staff": 200},
    "cases:case-step": _POST_ONLY,
    "cases:attachment-upload": _POST_ONLY,
    "cases:case-screening": _POST_ONLY,
    "cases:attachment-screening": _POST_ONLY,
    "cases:anchoring-record": _POST_ONLY,
    "meetings:case-agenda-add": _POST_ONLY,
    "cases:anchoring-remove": _POST_ONLY,
    "cases:routing-acknowledge": _POST_ONLY,
    "cases:routing-answer": _POST_ONLY,
    "cases:region-request-answer": _POST_ONLY,
}

PAGES = [
    A11yPage("cases-detail-submitted-leader_a", "cases:case-detail", "leader_a", kwargs=_case("case_a")),
    A11yPage("cases-detail-submitted-adviser", "cases:case-detail", "adviser", kwargs=_case("case_a")),
    A11yPage("cases-detail-routed-adviser", "cases:case-detail", "adviser", kwargs=_case("case_a_routed")),
    A11yPage("cases-detail-routing-answer-staff", "cases:case-detail", "staff", kwargs=_case("case_a_routed")),
    A11yPage("cases-detail-shared-leader_b", "cases:case-detail", "leader_b", kwargs=_case("case_a_routed")),
    A11yPage("cases-detail-request-answer-leader_a", "cases:case-detail", "leader_a", kwargs=_case("case_county")),
    A11yPage("cases-detail-county-staff", "cases:case-detail", "staff", kwargs=_case("case_county")),
    A11yPage("cases-detail-draft-leader_a", "cases:case-detail", "leader_a", kwargs=_case("case_a_draft")),
    A11yPage("cases-update-draft-leader_a", "cases:case-update", "leader_a", kwargs=_case("case_a_draft")),
    A11yPage("cases-update-adviser", "cases:case-update", "adviser", kwargs=_case("case_a_routed")),
    A11yPage("cases-create-leader_a", "cases:case-create", "leader_a"),
    A11yPage("cases-create-staff", "cases:case-create", "staff"),
    A11yPage("cases-topic-mapping-adviser", "cases:topic-mapping", "adviser"),
    A11yPage("cases-index-filtered-adviser", "cases:index", "adviser", query="status=submitted&q=vei"),
]

# The foundation already fuzzes cases:index as leader_a; the adviser sees every case and every filter.
FUZZ_PAGES = [
    (
        "cases:index",
        "adviser",
        ["status", "direction", "topic", "region", "council_area", "submitted_from", "submitted_to", "overdue", "q"],
    ),
]
