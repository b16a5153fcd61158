"""The OParl 1.1 objects, built from what oparl.selectors read (nothing here queries the database:
every relation an object shows is read by the selector, for a whole page at once).

Texts are translated (English source); the views answer in Norwegian bokmål. Ids are absolute,
stable URLs under SITE_URL; each names the kind of thing and its primary key, and
answers with the same object for as long as the thing is public.
"""

import datetime

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.screening import public_title

OPARL = "https://schema.oparl.org/1.1/"
OPARL_VERSION = "https://schema.oparl.org/1.1/"


def url(name, **kwargs) -> str:
    return settings.SITE_URL + reverse(f"oparl:{name}", kwargs=kwargs)


def url_of(path, page) -> str:
    """The absolute URL of a list page (OParl's links name the page explicitly)."""
    return f"{settings.SITE_URL}{path}?page={page}"


def _stamp(moment) -> str | None:
    if moment is None:
        return None
    if isinstance(moment, datetime.datetime):
        return timezone.localtime(moment).isoformat(timespec="seconds")
    return moment.isoformat()


def _day(moment) -> str | None:
    if moment is None:
        return None
    if isinstance(moment, datetime.datetime):
        return timezone.localdate(moment).isoformat()
    return moment.isoformat()


def _clean(data: dict) -> dict:
    """Leave out what is unknown (OParl: a property without a value is omitted, not null)."""
    return {key: value for key, value in data.items() if value is not None}


def _times(created, *changes) -> dict:
    moments = [moment for moment in (created, *changes) if moment is not None]
    return {"created": _stamp(created), "modified": _stamp(max(moments)) if moments else None}


def _last_day(valid_to):
    """The registry's end dates are exclusive; OParl's endDate is the last day."""
    return valid_to - datetime.timedelta(days=1) if valid_to else None


# --- System and Body ----------------------------------------------------------------------------


def system() -> dict:
    return {
        "id": url("system"),
        "type": OPARL + "System",
        "oparlVersion": OPARL_VERSION,
        "body": url("body-list"),
        "name": "Regionportalen",
    }


def body_url(county_id) -> str:
    return url("body", pk=county_id)


def body(county) -> dict:
    lists = {
        "organization": "body-organizations",
        "person": "body-people",
        "meeting": "body-meetings",
        "paper": "body-papers",
        "agendaItem": "body-agenda-items",
        "consultation": "body-consultations",
        "file": "body-files",
        "locationList": "body-locations",
        "membership": "body-memberships",
        "legislativeTermList": "body-legislative-terms",
    }
    return _clean(
        {
            "id": body_url(county.pk),
            "type": OPARL + "Body",
            "system": url("system"),
            "name": county.name,
            "shortName": county.number,
            "classification": _("County authority"),
            **{key: url(name, pk=county.pk) for key, name in lists.items()},
            # The county's election terms, embedded (oparl.selectors.counties() reads them with the page).
            "legislativeTerm": [legislative_term(term) for term in county.public_terms],
        }
    )


def legislative_term_url(term_id) -> str:
    return url("legislative-term", pk=term_id)


def legislative_term(term) -> dict:
    """A county council's election term (valgperiode): its name and dates, nothing about its people."""
    return _clean(
        {
            "id": legislative_term_url(term.pk),
            "type": OPARL + "LegislativeTerm",
            "body": body_url(term.county_id),
            "name": term.name,
            "startDate": _day(term.valid_from),
            "endDate": _day(_last_day(term.valid_to)),
        }
    )


# --- Organization, Person, Membership -------------------------------------------------------------


def region_url(region_id) -> str:
    return url("organization", kind="region", pk=region_id)


def area_url(area_id) -> str:
    return url("organization", kind="area", pk=area_id)


def region_organization(region, membership_ids=()) -> dict:
    return _clean(
        {
            "id": region_url(region.pk),
            "type": OPARL + "Organization",
            "body": body_url(region.host_county_id),
            "name": region.name,
            "shortName": region.slug,
            "organizationType": _("Region council"),
            "classification": _("Municipal region"),
            "membership": [membership_url(pk) for pk in membership_ids],
            "startDate": _day(region.valid_from),
            "endDate": _day(_last_day(region.valid_to)),
        }
    )


def area_organization(area, membership_ids=()) -> dict:
    return _clean(
        {
            "id": area_url(area.pk),
            "type": OPARL + "Organization",
            "body": body_url(area.county_id),
            "name": area.name,
            "shortName": area.slug,
            "organizationType": _("Council area"),
            "classification": _("Portfolio of the county executive"),
            "membership": [membership_url(pk) for pk in membership_ids],
            "startDate": _day(area.valid_from),
            "endDate": _day(_last_day(area.valid_to)),
        }
    )


def person_url(person_id) -> str:
    return url("person", pk=person_id)


def membership_url(appointment_id) -> str:
    return url("membership", pk=appointment_id)


def membership(appointment) -> dict:
    """An office holder in a role: person, organisation, role and period; nothing about the person."""
    role = str(appointment.get_role_display())
    if appointment.side:
        role = f"{role} ({appointment.get_side_display().lower()})"
    organization = region_url(appointment.region_id) if appointment.region_id else area_url(appointment.council_area_id)
    return _clean(
        {
            "id": membership_url(appointment.pk),
            "type": OPARL + "Membership",
            "person": person_url(appointment.person_id),
            "organization": organization,
            "role": role,
            "startDate": _day(appointment.valid_from),
            "endDate": _day(_last_day(appointment.valid_to)),
        }
    )


def person(person) -> dict:
    """Names only: no e-mail, phone or address (office holders in their roles)."""
    return {
        "id": person_url(person.pk),
        "type": OPARL + "Person",
        "name": person.name,
        "membership": [membership(appointment) for appointment in person.public_appointments],
    }


# --- Meeting, AgendaItem, Location -----------------------------------------------------------------


def meeting_url(meeting_id) -> str:
    return url("meeting", pk=meeting_id)


def location_url(meeting_id) -> str:
    return url("location", pk=meeting_id)


def location(meeting) -> dict:
    return {
        "id": location_url(meeting.pk),
        "type": OPARL + "Location",
        "description": meeting.location,
        "meetings": [meeting_url(meeting.pk)],
    }


def agenda_item_url(item_id) -> str:
    return url("agenda-item", pk=item_id)


def agenda_item(item, *, minutes=None, case_public=False) -> dict:
    return _clean(
        {
            "id": agenda_item_url(item.pk),
            "type": OPARL + "AgendaItem",
            "meeting": meeting_url(item.meeting_id),
            "number": str(item.order),
            "order": item.order,
            "name": public_title(item, item.title),
            "public": True,
            "consultation": consultation_url("agenda", item.pk) if case_public else None,
            "result": str(minutes.get_outcome_display()) if minutes else None,
            "resolutionText": minutes.text if minutes and minutes.text else None,
            **_times(item.created_at, item.screened_at, minutes.updated_at if minutes else None),
        }
    )


def meeting(meeting, *, minutes_by_item, public_case_ids) -> dict:
    return _clean(
        {
            "id": meeting_url(meeting.pk),
            "type": OPARL + "Meeting",
            "name": meeting.title,
            "meetingState": str(meeting.get_status_display()),
            "cancelled": meeting.status == meeting.Status.CANCELLED,
            "start": _stamp(meeting.start),
            "end": _stamp(meeting.end),
            "location": location(meeting) if meeting.location else None,
            "organization": [region_url(meeting.region_id)] if meeting.region_id else None,
            "agendaItem": [
                agenda_item(item, minutes=minutes_by_item.get(item.pk), case_public=item.case_id in public_case_ids)
                for item in meeting.public_agenda
            ],
            **_times(meeting.created_at, meeting.updated_at),
        }
    )


# --- Paper, Consultation, File ------------------------------------------------------------------------


def paper_url(kind, pk) -> str:
    return url("paper", kind=kind, pk=pk)


def consultation_url(kind, pk) -> str:
    return url("consultation", kind=kind, pk=pk)


def file_url(kind, pk) -> str:
    return url("file", kind=kind, pk=pk)


def case_body_id(case):
    return case.origin_region.host_county_id if case.origin_region_id else case.origin_council_area.county_id


def routing_consultation(routing) -> dict:
    """Which council area a public case reached, and when (not the area's internal answer)."""
    return _clean(
        {
            "id": consultation_url("routing", routing.pk),
            "type": OPARL + "Consultation",
            "paper": paper_url("case", routing.case_id),
            "organization": [area_url(routing.council_area_id)],
            "authoritative": False,
            "role": _("Sent to the council area"),
            **_times(routing.routed_at, routing.acknowledged_at, routing.answered_at),
        }
    )


def request_consultation(request_) -> dict:
    return _clean(
        {
            "id": consultation_url("request", request_.pk),
            "type": OPARL + "Consultation",
            "paper": paper_url("case", request_.case_id),
            "organization": [region_url(request_.region_id)],
            "authoritative": False,
            "role": _("Sent to the region"),
            **_times(request_.sent_at, request_.answered_at),
        }
    )


def agenda_consultation(item) -> dict:
    """A public case on the agenda of a meeting: the region council dealt with it."""
    return _clean(
        {
            "id": consultation_url("agenda", item.pk),
            "type": OPARL + "Consultation",
            "paper": paper_url("case", item.case_id),
            "agendaItem": agenda_item_url(item.pk),
            "meeting": meeting_url(item.meeting_id),
            "organization": [region_url(item.meeting.region_id)] if item.meeting.region_id else None,
            "authoritative": False,
            "role": _("Dealt with in a meeting"),
            **_times(item.created_at, item.screened_at),
        }
    )


def attachment_file(attachment) -> dict:
    name = public_title(attachment, attachment.original_name)
    download = url("file-download", kind="attachment", pk=attachment.pk)
    return _clean(
        {
            "id": file_url("attachment", attachment.pk),
            "type": OPARL + "File",
            "name": name,
            "fileName": name,
            "mimeType": attachment.content_type,
            "size": attachment.size,
            "date": _day(attachment.uploaded_at),
            "accessUrl": download,
            "downloadUrl": download,
            "paper": [paper_url("case", attachment.case_id)],
            **_times(attachment.uploaded_at, attachment.screened_at),
        }
    )


def agreement_file_name(agreement) -> str:
    return f"partnerskapsavtale-{agreement.region.slug}-{agreement.county.number}.pdf"


def agreement_file(agreement) -> dict:
    download = url("file-download", kind="agreement", pk=agreement.pk)
    return _clean(
        {
            "id": file_url("agreement", agreement.pk),
            "type": OPARL + "File",
            "name": public_title(agreement, str(agreement)),
            "fileName": agreement_file_name(agreement),
            "mimeType": "application/pdf",
            "date": _day(agreement.county_adopted_on),
            "accessUrl": download,
            "downloadUrl": download,
            "paper": [paper_url("agreement", agreement.pk)],
            **_times(agreement.created_at, agreement.screened_at),
        }
    )


def case_paper(case) -> dict:
    origin = region_url(case.origin_region_id) if case.origin_region_id else area_url(case.origin_council_area_id)
    consultations = [
        *(routing_consultation(routing) for routing in case.public_routings),
        *(request_consultation(request_) for request_ in case.public_region_requests),
        *(agenda_consultation(item) for item in case.public_agenda_items),
    ]
    return _clean(
        {
            "id": paper_url("case", case.pk),
            "type": OPARL + "Paper",
            "body": body_url(case_body_id(case)),
            "name": public_title(case, case.title),
            "reference": case.reference or None,
            "date": _day(case.submitted_at),
            "paperType": str(case.get_direction_display()),
            "keyword": [str(case.get_topic_display())],
            "originatorOrganization": [origin],
            "underDirectionOf": sorted({area_url(routing.council_area_id) for routing in case.public_routings}) or None,
            "consultation": consultations,
            "auxiliaryFile": [attachment_file(attachment) for attachment in case.public_attachments],
            **_times(case.created_at, case.updated_at, case.screened_at),
        }
    )


def agreement_paper(agreement) -> dict:
    return _clean(
        {
            "id": paper_url("agreement", agreement.pk),
            "type": OPARL + "Paper",
            "body": body_url(agreement.county_id),
            "name": public_title(agreement, str(agreement)),
            "reference": agreement.county_decision_reference or None,
            "date": _day(agreement.county_adopted_on),
            "paperType": _("Partnership agreement"),
            "originatorOrganization": [region_url(agreement.region_id)],
            "mainFile": agreement_file(agreement),
            **_times(agreement.created_at, agreement.screened_at),
        }
    )
