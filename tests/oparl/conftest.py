"""A world for the open API: public and exempt cases (with attachments, routings, requests to
regions), meetings with public and exempt agenda items and minutes, adopted, exempt and draft
agreements, and office holders beside staff whose contact details must never come out.

Everything that must not appear carries a marker in its text (SECRET_MARKERS)."""

import datetime
from types import SimpleNamespace

import pytest

from cases import services as case_services
from core.screening import Access, LegalBasis
from meetings import services as meeting_services
from partnerships import services as agreement_services
from regions import services as region_services
from regions.models import Appointment
from tests.cases.factories import stored_pdf_attachment
from tests.factories import AppointmentFactory, PersonFactory
from tests.meetings.factories import NOW, oslo
from tests.partnerships.factories import adopted_agreement, adopted_general_part

EXEMPT = {"access": Access.EXEMPT, "legal_basis": LegalBasis.OFFL_13_FVL_13}

# Text that only exempt or internal things carry: no response of the API may contain any of it.
SECRET_MARKERS = (
    "HEMMELIG-SAK",
    "UTKAST-SAK",
    "INTERNT-VEDLEGG",
    "HEMMELIG-PUNKT",
    "HEMMELIG-REFERAT",
    "UGODKJENT-REFERAT",
    "INTERNT-SVAR",
    "FT-sak 99/HEMMELIG",
    "hemmelig-epost@example.no",
    "99 88 77 66",
    "Sara Saksbehandler",
    "INTERNT-NOTAT",
    "hemmelig-video",
)


def _case(actor, region, title, **fields):
    case = case_services.case_create(actor=actor, title=title, origin_region=region, now=NOW, **fields)
    return case_services.case_submit(case=case, actor=actor, now=NOW)


def build_world(*, region, other_region, leader, other_leader, adviser, council_area, staff, meetings=1):
    """The world; `meetings` extra meetings (each with an agenda) make the lists longer for the budgets."""
    w = SimpleNamespace()
    # Office holders (public by name in their roles) and staff (never published).
    AppointmentFactory(
        person=PersonFactory(name="Ola Fylkesråd", email="hemmelig-epost@example.no", phone="99 88 77 66"),
        role=Appointment.Role.COUNTY_COUNCILLOR,
        region=region,
    )
    AppointmentFactory(
        person=PersonFactory(name="Sara Saksbehandler"),
        role=Appointment.Role.COUNCIL_AREA_STAFF,
        region=None,
        council_area=council_area,
    )

    # Cases: a public one routed and answered by a region, an exempt one, a draft.
    w.public_case = _case(leader, region, "Gang- og sykkelvei langs fylkesvei 120")
    stored_pdf_attachment(case=w.public_case, actor=leader, uploaded_at=NOW, original_name="vedtak.pdf")
    secret_attachment = stored_pdf_attachment(
        case=w.public_case, actor=leader, uploaded_at=NOW, original_name="INTERNT-VEDLEGG.pdf"
    )
    case_services.attachment_screening_set(attachment=secret_attachment, actor=adviser, now=NOW, **EXEMPT)
    case_services.case_receive(case=w.public_case, actor=adviser, now=NOW)
    (routing,) = case_services.case_route(case=w.public_case, actor=adviser, council_areas=[council_area], now=NOW)
    case_services.routing_answer(routing=routing, actor=staff, answer="INTERNT-SVAR fra rådsområdet", now=NOW)

    w.county_case = case_services.case_create(
        actor=staff,
        title="Innspill til regional plan",
        direction="county_to_regions",
        origin_council_area=council_area,
        now=NOW,
    )
    case_services.case_submit(case=w.county_case, actor=staff, now=NOW)
    case_services.case_regions_send(case=w.county_case, actor=adviser, regions=[region, other_region], now=NOW)

    w.secret_case = _case(leader, region, "HEMMELIG-SAK om en ansatt")
    stored_pdf_attachment(case=w.secret_case, actor=leader, uploaded_at=NOW, original_name="notat-sak.pdf")
    case_services.case_screening_set(case=w.secret_case, actor=adviser, now=NOW, **EXEMPT)
    case_services.case_receive(case=w.secret_case, actor=adviser, now=NOW)
    case_services.case_route(case=w.secret_case, actor=adviser, council_areas=[council_area], now=NOW)
    w.secret_attachment = secret_attachment
    w.draft = case_services.case_create(actor=leader, title="UTKAST-SAK ikke sendt", origin_region=region, now=NOW)

    # Meetings: a held one with approved minutes (one item and one entry exempt, the exempt case's
    # item following its case), a published one whose minutes are not approved, a planned one.
    w.meetings = []
    for number in range(meetings):
        start = oslo(2030, 2, 12 + number, 9)
        meeting = meeting_services.meeting_create(
            actor=adviser,
            title=f"Regionrådsmøte {number + 1}",
            start=start,
            end=start + datetime.timedelta(hours=3),
            region=region,
            location="Rådhuset, Askim",
            video_link="https://hemmelig-video.example.no/mote",
            now=NOW,
        )
        plain = meeting_services.agenda_item_add(
            meeting=meeting, actor=adviser, title="Orienteringssaker", lane="planned", now=NOW
        )
        secret_item = meeting_services.agenda_item_add(
            meeting=meeting, actor=adviser, title="HEMMELIG-PUNKT personalsak", lane="planned", now=NOW
        )
        meeting_services.agenda_item_screening_set(item=secret_item, actor=adviser, now=NOW, **EXEMPT)
        case_item = meeting_services.case_agenda_add(
            case=w.public_case, actor=adviser, meeting=meeting, lane="planned", now=NOW
        )
        meeting_services.case_agenda_add(case=w.secret_case, actor=adviser, meeting=meeting, lane="planned", now=NOW)
        meeting_services.agenda_publish(meeting=meeting, actor=adviser, now=NOW)
        meeting_services.meeting_mark_held(meeting=meeting, actor=adviser)
        meeting_services.minutes_save(item=plain, actor=adviser, outcome="information", text="Tatt til orientering.")
        meeting_services.minutes_save(item=secret_item, actor=adviser, outcome="decision", text="HEMMELIG-REFERAT")
        meeting_services.minutes_save(item=case_item, actor=adviser, outcome="decision", text="HEMMELIG-REFERAT 2")
        meeting_services.minutes_screening_set(item=case_item, actor=adviser, now=NOW, **EXEMPT)
        meeting_services.minutes_approve(meeting=meeting, actor=adviser, now=NOW)
        w.meetings.append(meeting)
    published = meeting_services.meeting_create(
        actor=adviser,
        title="Regionrådsmøte i mars",
        start=oslo(2030, 3, 12, 9),
        end=oslo(2030, 3, 12, 12),
        region=region,
        now=NOW,
    )
    item = meeting_services.agenda_item_add(
        meeting=published, actor=adviser, title="Kollektivtilbud", lane="planned", now=NOW
    )
    meeting_services.agenda_publish(meeting=published, actor=adviser, now=NOW)
    meeting_services.meeting_mark_held(meeting=published, actor=adviser)
    meeting_services.minutes_save(item=item, actor=adviser, outcome="discussed", text="UGODKJENT-REFERAT")
    planned = meeting_services.meeting_create(
        actor=adviser,
        title="Regionrådsmøte i april",
        start=oslo(2030, 4, 9, 9),
        end=oslo(2030, 4, 9, 12),
        region=region,
        now=NOW,
    )
    meeting_services.agenda_item_add(meeting=planned, actor=adviser, title="Planlagt punkt", lane="planned", now=NOW)

    # Two election terms of the county (public: their names and dates; never their notes).
    w.terms = [
        region_services.term_create(
            actor=adviser,
            county=region.host_county,
            name=name,
            valid_from=datetime.date(start, 10, 1),
            valid_to=datetime.date(start + 4, 10, 1),
            note="INTERNT-NOTAT om valgperioden",
        )
        for name, start in (("2019–2023", 2019), ("2023–2027", 2023))
    ]

    # Agreements: adopted (public), adopted but exempt, a draft.
    adopted_general_part(region.host_county, adviser=adviser)
    w.agreement = adopted_agreement(region, adviser=adviser)
    w.secret_agreement = adopted_agreement(other_region, adviser=adviser, reference="FT-sak 99/HEMMELIG")
    agreement_services.agreement_screening_set(agreement=w.secret_agreement, actor=adviser, now=NOW, **EXEMPT)
    return w


@pytest.fixture
def world(region, other_region, leader, other_leader, adviser, council_area, staff):
    return build_world(
        region=region,
        other_region=other_region,
        leader=leader,
        other_leader=other_leader,
        adviser=adviser,
        council_area=council_area,
        staff=staff,
    )
