"""Meeting pages and objects for the shared quality suites (tests/security/extensions.py).

The world gets a monthly series for region A (led by leader_a) with its meetings generated from
Tuesday 8 January 2030; the February meeting (meeting_a) has a two-lane agenda (accepted items, a
case, an urgent item, leader_a's proposal, a rejected proposal), participants on every side with a
guest, and minutes. Region B has one meeting (leader_a, staff get 404); a county-wide reference-group
meeting carries reference-group input to region A's case. leader_a has a personal and a region
calendar subscription. Every date is fixed (tests/meetings/factories.py NOW: 7 January 2030).
"""

import datetime

from tests.e2e.pages import A11yPage


def _person(region, role, name, email, **appointment):
    from tests.factories import AppointmentFactory, PersonFactory

    person = PersonFactory(name=name, email=email)
    if region is not None:
        AppointmentFactory(person=person, role=role, region=region, **appointment)
    return person


def _setup(world):
    from cases import services as case_services
    from meetings import services
    from meetings.models import AgendaItem, MeetingKind, MinutesEntry, Participant
    from regions.models import Appointment

    from .factories import NOW, oslo

    adviser, leader_a = world.user("adviser"), world.user("leader_a")
    region_a, region_b = world.region_a, world.region_b
    _person(region_a, Appointment.Role.COUNTY_COUNCILLOR, "Kari Fylkesråd", "kari.fylkesrad@example.no")
    _person(
        region_a,
        Appointment.Role.COUNTY_COUNCIL_REPRESENTATIVE,
        "Per Fylkestingsrepresentant",
        "per@example.no",
        side=Appointment.Side.POSITION,
    )
    secretary = _person(region_a, Appointment.Role.REGION_SECRETARIAT, "Sigrid Sekretær", "sigrid@example.no")
    guest = _person(None, None, "Gunnar Gjest", "gunnar@example.no")

    case_a = case_services.case_create(
        actor=leader_a,
        title="Trafikksikkerhet på fylkesvei 120",
        description="Gang- og sykkelvei mellom skolen og sentrum.",
        origin_region=region_a,
        now=NOW,
    )
    case_services.case_submit(case=case_a, actor=leader_a, now=NOW)
    open_case_a = case_services.case_create(
        actor=leader_a, title="Kollektivtilbud på kveldstid", origin_region=region_a, now=NOW
    )
    case_services.case_submit(case=open_case_a, actor=leader_a, now=NOW)

    series_a = services.series_create(
        actor=adviser,
        title="Regionrådet i Indre Østfold",
        rrule="FREQ=MONTHLY;BYDAY=2TU",
        first_date=datetime.date(2030, 1, 1),
        start_time=datetime.time(9, 0),
        region=region_a,
        location="Rådhuset, Askim",
    )
    generated = services.series_generate(series=series_a, now=NOW, months=3)  # 8 Jan, 12 Feb, 12 Mar 2030
    meeting_a = next(m for m in generated if m.start == oslo(2030, 2, 12, 9))

    services.participant_add(meeting=meeting_a, actor=adviser, person=secretary, now=NOW)
    services.participant_add(
        meeting=meeting_a, actor=adviser, person=guest, guest_reason="Innleder om kollektivtrafikk.", now=NOW
    )
    leader_participant = Participant.objects.get(meeting=meeting_a, person__user=leader_a)
    services.participant_set_status(participant=leader_participant, actor=adviser, status="accepted")

    plan = services.agenda_item_add_detailed(
        meeting=meeting_a,
        actor=adviser,
        title="Regional transportplan 2030–2041",
        lane=AgendaItem.Lane.PLANNED,
        description="Innspill til høringsutkastet.",
        presenter_side=AgendaItem.PresenterSide.COUNTY,
        council_area=world.council_area,
        minutes_allotted=45,
        now=NOW,
    )
    case_item = services.agenda_item_add(
        meeting=meeting_a, actor=adviser, title=str(case_a), lane=AgendaItem.Lane.PLANNED, case=case_a, now=NOW
    )
    urgent = services.agenda_item_add(
        meeting=meeting_a,
        actor=adviser,
        title="Vinterdrift etter stormen",
        lane=AgendaItem.Lane.URGENT,
        reason="Stormen kom etter at sakslisten ble satt opp.",
        now=NOW,
    )
    proposal = services.agenda_item_add(
        meeting=meeting_a, actor=leader_a, title="Ungdomsrådets innspill", lane=AgendaItem.Lane.PLANNED, now=NOW
    )
    declined = services.agenda_item_add(
        meeting=meeting_a, actor=leader_a, title="Julebord", lane=AgendaItem.Lane.URGENT, now=NOW
    )
    services.agenda_item_set_state(item=declined, actor=adviser, state=AgendaItem.State.REJECTED)
    services.minutes_save(
        item=plan, actor=adviser, outcome=MinutesEntry.Outcome.DECISION, text="Regionrådet slutter seg til innspillet."
    )
    services.minutes_save(
        item=urgent, actor=adviser, outcome=MinutesEntry.Outcome.INFORMATION, text="Orientering fra fylkesveg."
    )

    # January's meeting is held and decided on the open case: the case's timeline has the outcome and
    # the minutes page offers to move the case on with it (issue 16, item 4).
    held_a = next(m for m in generated if m.start == oslo(2030, 1, 8, 9))
    held_item = services.agenda_item_add(
        meeting=held_a,
        actor=adviser,
        title=str(open_case_a),
        lane=AgendaItem.Lane.URGENT,
        case=open_case_a,
        reason="Kveldsrutene endres fra august.",
        now=NOW,
    )
    services.meeting_mark_held(meeting=held_a, actor=adviser)
    services.minutes_save(
        item=held_item,
        actor=adviser,
        outcome=MinutesEntry.Outcome.DECISION,
        text="Regionrådet ber fylket om kveldsavganger fra august.",
    )

    meeting_b = services.meeting_create(
        actor=adviser,
        title="Follo regionråd",
        start=oslo(2030, 2, 14, 9),
        end=oslo(2030, 2, 14, 12),
        region=region_b,
        now=NOW,
    )
    reference_meeting = services.meeting_create(
        actor=adviser,
        title="Referansegruppe for samferdsel",
        start=oslo(2030, 2, 20, 13),
        end=oslo(2030, 2, 20, 15),
        kind=MeetingKind.REFERENCE_GROUP,
        body="Referansegruppen for samferdsel",
        now=NOW,
    )
    reference_item = services.agenda_item_add(
        meeting=reference_meeting, actor=adviser, title=str(case_a), lane=AgendaItem.Lane.PLANNED, case=case_a, now=NOW
    )
    reference_input = services.reference_input_add(
        meeting=reference_meeting,
        actor=adviser,
        case=case_a,
        text="Referansegruppen støtter en gang- og sykkelvei.",
        agenda_item=reference_item,
    )
    feed_a = services.feed_get_or_create(actor=leader_a)
    services.feed_get_or_create(actor=leader_a, region=region_a)

    world.objects.update(
        {
            "series_a": series_a,
            "meeting_a": meeting_a,
            "meeting_b": meeting_b,
            "reference_meeting": reference_meeting,
            "meeting_case_a": case_a,
            "agenda_item_a": plan,
            "agenda_case_item_a": case_item,
            "held_meeting_a": held_a,
            "held_case_item_a": held_item,
            "agenda_proposal_a": proposal,
            "participant_a": leader_participant,
            "reference_input": reference_input,
            "feed_a": feed_a,
        }
    )


WORLD_SETUP = [_setup]


def _meeting_a(world):
    return {"pk": world.meeting_a.pk}


URL_KWARGS = {
    "meetings:meeting-detail": _meeting_a,
    "meetings:meeting-edit": _meeting_a,
    "meetings:meeting-move": _meeting_a,
    "meetings:meeting-cancel": _meeting_a,
    "meetings:meeting-publish": _meeting_a,
    "meetings:meeting-held": _meeting_a,
    "meetings:minutes-approve": _meeting_a,
    "meetings:agenda-builder": _meeting_a,
    "meetings:agenda-case-add": _meeting_a,
    "meetings:agenda-propose": _meeting_a,
    "meetings:participant-add": _meeting_a,
    "meetings:minutes-edit": _meeting_a,
    "meetings:reference-input": lambda w: {"pk": w.reference_meeting.pk},
    "meetings:meeting-pdf": lambda w: {"pk": w.meeting_a.pk, "document": "sakliste"},
    "meetings:meeting-ics": _meeting_a,
    "meetings:agenda-item-move": lambda w: {"pk": w.agenda_item_a.pk},
    "meetings:agenda-item-state": lambda w: {"pk": w.agenda_proposal_a.pk},
    "meetings:agenda-item-screening": lambda w: {"pk": w.agenda_item_a.pk},
    "meetings:minutes-screening": lambda w: {"pk": w.agenda_item_a.pk},
    "meetings:minutes-case-move": lambda w: {"pk": w.held_case_item_a.pk},
    "meetings:participant-status": lambda w: {"pk": w.participant_a.pk},
    "meetings:series-detail": lambda w: {"pk": w.series_a.pk},
    "meetings:series-generate": lambda w: {"pk": w.series_a.pk},
    "meetings:calendar": lambda w: {"year": 2030, "month": 2},
    "meetings:feed": lambda w: {"token": w.feed_a.token},
    "meetings:feed-revoke": lambda w: {"pk": w.feed_a.pk},
}

# What each URL is about, for the 404-or-403 rule (tests/security/matrix.py: URL_OBJECTS).
URL_OBJECTS = {
    **{name: "meeting_a" for name, build in URL_KWARGS.items() if build is _meeting_a},
    "meetings:reference-input": "reference_meeting",
    "meetings:meeting-pdf": "meeting_a",
    "meetings:agenda-item-move": "agenda_item_a",
    "meetings:agenda-item-state": "agenda_proposal_a",
    "meetings:agenda-item-screening": "agenda_item_a",
    "meetings:minutes-screening": "agenda_item_a",
    "meetings:minutes-case-move": "held_case_item_a",
    "meetings:participant-status": "participant_a",
    "meetings:series-detail": "series_a",
    "meetings:series-generate": "series_a",
    "meetings:calendar": "no object",
    "meetings:feed": "no object",  # the token is the credential, not an object a role sees or not
    "meetings:feed-revoke": "feed_a",
}


def _roles(adviser, leader_a, leader_b, staff):
    """Administrators act as advisers (accounts.permissions.is_adviser)."""
    return {"adviser": adviser, "admin": adviser, "leader_a": leader_a, "leader_b": leader_b, "staff": staff}


_EVERYONE = _roles(200, 200, 200, 200)
_READ_REGION_A = _roles(200, 200, 404, 404)  # region A's meeting: its leader reads it, others get 404
# The coordination unit's pages (docs/adr/0004-404-not-403.md): a page of no object is 403 for everyone
# else; on region A's meeting, its leader sees the meeting (403), the others do not (404).
_MANAGE = _roles(200, 403, 403, 403)
_MANAGE_MEETING_A = _roles(200, 403, 404, 404)
_POST_ONLY = _roles(405, 405, 405, 405)

EXPECTED_STATUS = {
    "meetings:index": _EVERYONE,
    "meetings:calendar-current": _EVERYONE,
    "meetings:calendar": _EVERYONE,
    "meetings:mine": _EVERYONE,
    "meetings:series-list": _EVERYONE,
    "meetings:councillors": _MANAGE,
    "meetings:meeting-create": _MANAGE,
    "meetings:series-create": _MANAGE,
    "meetings:feed-create": _POST_ONLY,
    "meetings:meeting-detail": _READ_REGION_A,
    "meetings:meeting-ics": _READ_REGION_A,
    "meetings:meeting-pdf": _READ_REGION_A,
    "meetings:series-detail": _READ_REGION_A,
    # An adviser is sent on to the agenda builder; leader_a proposes before the cut-off (5 February 2030).
    "meetings:agenda-propose": _roles(302, 200, 404, 404),
    "meetings:meeting-edit": _MANAGE_MEETING_A,
    "meetings:meeting-move": _MANAGE_MEETING_A,
    "meetings:meeting-cancel": _MANAGE_MEETING_A,
    "meetings:agenda-builder": _MANAGE_MEETING_A,
    "meetings:participant-add": _MANAGE_MEETING_A,
    "meetings:minutes-edit": _MANAGE_MEETING_A,
    # The secret token in the URL is the credential: whoever holds it reads the feed.
    "meetings:feed": _EVERYONE,
    "meetings:meeting-publish": _POST_ONLY,
    "meetings:meeting-held": _POST_ONLY,
    "meetings:agenda-case-add": _POST_ONLY,
    "meetings:agenda-item-move": _POST_ONLY,
    "meetings:agenda-item-state": _POST_ONLY,
    "meetings:agenda-item-screening": _POST_ONLY,
    "meetings:minutes-screening": _POST_ONLY,
    "meetings:minutes-approve": _POST_ONLY,
    "meetings:minutes-case-move": _POST_ONLY,
    "meetings:participant-status": _POST_ONLY,
    "meetings:reference-input": _POST_ONLY,
    "meetings:series-generate": _POST_ONLY,
    "meetings:feed-revoke": _POST_ONLY,
}

PAGES = [
    A11yPage("meetings-meeting-adviser", "meetings:meeting-detail", "adviser", kwargs=_meeting_a),
    A11yPage("meetings-meeting-leader_a", "meetings:meeting-detail", "leader_a", kwargs=_meeting_a),
    A11yPage(
        "meetings-reference-meeting-adviser",
        "meetings:meeting-detail",
        "adviser",
        kwargs=lambda w: {"pk": w.reference_meeting.pk},
    ),
    A11yPage("meetings-series-adviser", "meetings:series-detail", "adviser", kwargs=lambda w: {"pk": w.series_a.pk}),
    A11yPage("meetings-agenda-builder-adviser", "meetings:agenda-builder", "adviser", kwargs=_meeting_a),
    A11yPage("meetings-minutes-adviser", "meetings:minutes-edit", "adviser", kwargs=_meeting_a),
    A11yPage(
        "meetings-minutes-held-adviser",
        "meetings:minutes-edit",
        "adviser",
        kwargs=lambda w: {"pk": w.held_meeting_a.pk},
    ),
    A11yPage(
        "meetings-minutes-reference-adviser",
        "meetings:minutes-edit",
        "adviser",
        kwargs=lambda w: {"pk": w.reference_meeting.pk},
    ),
    # The case page with the reference group's input and a meeting's outcome in its timeline.
    A11yPage(
        "meetings-case-reference-leader_a",
        "cases:case-detail",
        "leader_a",
        kwargs=lambda w: {"pk": w.meeting_case_a.pk},
    ),
    A11yPage(
        "meetings-case-outcome-leader_a",
        "cases:case-detail",
        "leader_a",
        kwargs=lambda w: {"pk": w.held_case_item_a.case_id},
    ),
    A11yPage("meetings-calendar-adviser", "meetings:calendar", "adviser", kwargs=lambda w: {"year": 2030, "month": 2}),
    A11yPage("meetings-mine-leader_a", "meetings:mine", "leader_a"),
    A11yPage("meetings-propose-leader_a", "meetings:agenda-propose", "leader_a", kwargs=_meeting_a),
    A11yPage("meetings-series-list-adviser", "meetings:series-list", "adviser"),
    A11yPage("meetings-councillors-adviser", "meetings:councillors", "adviser"),
]

FUZZ_PAGES = [
    ("meetings:index", "adviser", ["region", "kind", "councillor", "page"]),
    ("meetings:calendar-current", "adviser", ["region", "kind", "councillor"]),
]
