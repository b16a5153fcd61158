"""What a closed case becomes in the archive: one saksmappe and its journalposts.

`case_parts(case)` lists the registrations (cheap: read when the case is closed, to plan one message
each); `case_package(message)` builds one message's arkivmelding and files when it is delivered, from
what the case holds then (a closed case no longer changes).

A case from a region: the incoming case (I, from the region), each routing to a council area (N) and
its answer (X, from the area), the answer sent back (U, to the region). A case from the county: the
council area's case (N), each request to a region (U) and the region's answer (I), the answer sent
back to the area (X). Every registration has a PDF/A of its text; the incoming one also carries the
case's attachments as they were uploaded.
"""

import datetime
import mimetypes
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from cases.models import Case, RegionRequest, Routing

from .arkivmelding import CaseFolder, Document, Party, Registration, arkivmelding
from .pdf import registration_pdf
from .screening import screening_of, strictest_screening


@dataclass
class Package:
    """One message as delivered: arkivmelding.xml and its files (name -> bytes)."""

    xml: bytes
    files: dict[str, bytes] = field(default_factory=dict)


def case_folder_key(case) -> str:
    return f"case-{case.pk}"


def case_parts(case) -> list[tuple[str, str]]:
    """[(part, title), ...] in delivery order: the registrations the case's saksmappe gets."""
    parts = [("incoming", case.title)]
    if case.direction == Case.Direction.REGION_TO_COUNTY:
        for routing in case.routings.exclude(state=Routing.State.CANCELLED).select_related("council_area"):
            parts.append((f"routing:{routing.pk}", str(routing.council_area)))
            if routing.state == Routing.State.ANSWERED:
                parts.append((f"routing-answer:{routing.pk}", str(routing.council_area)))
    else:
        for request in case.region_requests.exclude(state=RegionRequest.State.CANCELLED).select_related("region"):
            parts.append((f"request:{request.pk}", str(request.region)))
            if request.state == RegionRequest.State.ANSWERED:
                parts.append((f"request-answer:{request.pk}", str(request.region)))
    if case.answer_sent_at:
        parts.append(("answer", case.title))
    return parts


def _coordination_unit():
    return _("The coordination unit")


def _sender_name(case):
    return str(case.origin_region or case.origin_council_area)


def _local(value):
    return timezone.localtime(value) if value else None


def _pdf(title, facts, text):
    return registration_pdf(context={"title": title, "facts": facts, "text": text})


def _main_document(title, facts, text, created_at):
    return Document(
        title=title,
        file_name="01-dokument.pdf",
        original_name=f"{title[:80]}.pdf",
        content=_pdf(title, facts, text),
        mime_type="application/pdf",
        main=True,
        archive_format=True,
        created_at=_local(created_at),
    )


def _attachments(case):
    documents = []
    for number, attachment in enumerate(case.attachments.all(), start=2):
        suffix = PurePosixPath(attachment.original_name).suffix.lower() or ".bin"
        with attachment.file.open("rb") as handle:
            content = handle.read()
        documents.append(
            Document(
                title=attachment.original_name,
                file_name=f"{number:02d}-vedlegg{suffix}",
                original_name=attachment.original_name,
                content=content,
                mime_type=attachment.content_type or mimetypes.guess_type(attachment.original_name)[0] or "",
                main=False,
                created_at=_local(attachment.uploaded_at),
                screening=screening_of(attachment),
            )
        )
    return documents


def _incoming(case):
    from_region = case.direction == Case.Direction.REGION_TO_COUNTY
    title = _("Case: %(title)s") % {"title": case.title}
    facts = [
        (_("Reference"), case.reference or ""),
        (_("From"), _sender_name(case)),
        (_("Topic"), case.get_topic_display()),
        (_("Submitted"), _local(case.submitted_at or case.created_at).strftime("%d.%m.%Y %H:%M")),
    ]
    if case.deadline:
        facts.append((_("Deadline"), case.deadline.strftime("%d.%m.%Y")))
    main = _main_document(title, facts, case.description, case.submitted_at or case.created_at)
    parties = [
        Party(_sender_name(case), "EA" if from_region else "IA"),
        Party(_coordination_unit(), "IM"),
    ]
    return Registration(
        title=title,
        journalpost_type="I" if from_region else "N",
        key=f"{case_folder_key(case)}-incoming",
        document_date=_local(case.submitted_at or case.created_at).date(),
        received_at=_local(case.submitted_at or case.created_at),
        author=_sender_name(case),
        parties=parties,
        documents=[main, *_attachments(case)],
        screening=screening_of(case),
    )


def _exchange(case, key, title, jp_type, when, text, facts, parties, *, answer, counterpart):
    """A registration of what the coordination unit sent to a council area or region, or of its answer
    (sent by the coordination unit, received from the counterpart)."""
    return Registration(
        title=title,
        journalpost_type=jp_type,
        key=key,
        document_date=_local(when).date(),
        sent_at=None if answer else _local(when),
        received_at=_local(when) if answer else None,
        author=counterpart if answer else _coordination_unit(),
        parties=parties,
        documents=[_main_document(title, facts, text, when)],
        screening=screening_of(case),
    )


def _routing(case, routing, *, answer):
    area = str(routing.council_area)
    if answer:
        title = _("Answer from %(area)s: %(title)s") % {"area": area, "title": case.title}
        when, text, jp_type = routing.answered_at, routing.answer, "X"
        parties = [Party(area, "IA"), Party(_coordination_unit(), "IM")]
    else:
        title = _("Routed to %(area)s: %(title)s") % {"area": area, "title": case.title}
        when, text, jp_type = routing.routed_at, case.description, "N"
        parties = [Party(_coordination_unit(), "IA"), Party(area, "IM")]
    facts = [(_("Reference"), case.reference or ""), (_("Council area"), area)]
    key = f"{case_folder_key(case)}-{'routing-answer' if answer else 'routing'}-{routing.pk}"
    return _exchange(case, key, title, jp_type, when, text, facts, parties, answer=answer, counterpart=area)


def _request(case, request, *, answer):
    region = str(request.region)
    if answer:
        title = _("Answer from %(region)s: %(title)s") % {"region": region, "title": case.title}
        when, text, jp_type = request.answered_at, request.answer, "I"
        parties = [Party(region, "EA"), Party(_coordination_unit(), "IM")]
    else:
        title = _("Sent to %(region)s: %(title)s") % {"region": region, "title": case.title}
        when, text, jp_type = request.sent_at, case.description, "U"
        parties = [Party(_coordination_unit(), "IA"), Party(region, "EM")]
    facts = [(_("Reference"), case.reference or ""), (_("Region"), region)]
    key = f"{case_folder_key(case)}-{'request-answer' if answer else 'request'}-{request.pk}"
    return _exchange(case, key, title, jp_type, when, text, facts, parties, answer=answer, counterpart=region)


def _answer(case):
    from_region = case.direction == Case.Direction.REGION_TO_COUNTY
    title = _("Answer: %(title)s") % {"title": case.title}
    facts = [(_("Reference"), case.reference or ""), (_("To"), _sender_name(case))]
    return Registration(
        title=title,
        journalpost_type="U" if from_region else "X",
        key=f"{case_folder_key(case)}-answer",
        document_date=_local(case.answer_sent_at).date(),
        sent_at=_local(case.answer_sent_at),
        author=_coordination_unit(),
        parties=[Party(_coordination_unit(), "IA"), Party(_sender_name(case), "EM" if from_region else "IM")],
        documents=[_main_document(title, facts, case.final_answer, case.answer_sent_at)],
        screening=screening_of(case),
    )


def _case_folder(case):
    return CaseFolder(
        title=str(case),
        key=case_folder_key(case),
        created_at=_local(case.created_at),
        closed_at=_local(case.closed_at),
        case_date=_local(case.submitted_at or case.created_at).date(),
        description=case.description[:1000],
        keywords=[case.get_topic_display()],
        responsible=(case.assigned_to.get_full_name() or case.assigned_to.username) if case.assigned_to else "",
        unit=_coordination_unit(),
        status="A" if case.status == Case.Status.CLOSED else "B",
        screening=screening_of(case),
    )


def _registration(case, part):
    kind, _sep, pk = part.partition(":")
    if kind == "incoming":
        return _incoming(case)
    if kind == "answer":
        return _answer(case)
    if kind in ("routing", "routing-answer"):
        return _routing(case, case.routings.select_related("council_area").get(pk=pk), answer=kind == "routing-answer")
    if kind in ("request", "request-answer"):
        return _request(case, case.region_requests.select_related("region").get(pk=pk), answer=kind == "request-answer")
    raise ValueError(f"Unknown archive part {part!r}")


def case_package(*, case, part: str, first: bool) -> Package:
    """The package of one message of a closed case: its arkivmelding (with the saksmappe when it is
    the case's first message) and the files of its registration. Written in the portal's language."""
    with translation.override(settings.LANGUAGE_CODE):
        registration = _registration(case, part)
        folder = _case_folder(case) if first else None
        xml = arkivmelding(folder=folder, registration=registration, folder_key=case_folder_key(case))
    return Package(xml=xml, files={document.file_name: document.content for document in registration.documents})


# --- an adopted agreement -----------------------------------------------------------------------


def agreement_folder_key(agreement) -> str:
    return f"agreement-{agreement.pk}"


def agreement_parts(agreement) -> list[tuple[str, str]]:
    """An adopted agreement is one journalpost: the agreement as adopted, with its PDF/A."""
    return [("adopted", _agreement_title(agreement))]


def _agreement_title(agreement):
    return _("Partnership agreement %(region)s – %(county)s") % {
        "region": agreement.region.name,
        "county": agreement.county.name,
    }


def _agreement_pdf(agreement):
    from partnerships.pdf import agreement_pdf

    from .pdf import PDF_VARIANT

    special = agreement.special_part
    context = {
        "agreement": agreement,
        "general_part": agreement.general_part,
        "special_part": special,
        "priorities": list(special.priorities.all()),
        "priority_cases": None,  # the cases are archived with their own saksmappe
        "generated_at": timezone.localtime(),
    }
    return agreement_pdf(context=context, pdf_variant=PDF_VARIANT)


def agreement_package(*, agreement, part: str, first: bool) -> Package:
    """The package of an adopted agreement: a saksmappe with the agreement as a journalpost (X:
    an internal document without follow-up; dokumenttype AVTALE), its parties the county and the
    region, the adopted text as PDF/A."""
    if part != "adopted":
        raise ValueError(f"Unknown archive part {part!r}")
    with translation.override(settings.LANGUAGE_CODE):
        title = _agreement_title(agreement)
        adopted_on = agreement.county_adopted_on
        adopted_at = timezone.make_aware(datetime.datetime.combine(adopted_on, datetime.time(12)))
        document = Document(
            title=title,
            file_name="01-avtale.pdf",
            original_name=f"{title[:80]}.pdf",
            content=_agreement_pdf(agreement),
            mime_type="application/pdf",
            archive_format=True,
            document_type="AVTALE",
            created_at=adopted_at,
            screening=screening_of(agreement),
        )
        decision = ", ".join(
            reference
            for reference in (agreement.county_decision_reference, agreement.region_decision_reference)
            if reference
        )
        registration = Registration(
            title=title,
            journalpost_type="X",
            key=f"{agreement_folder_key(agreement)}-adopted",
            document_date=adopted_on,
            author=str(agreement.county),
            description=_("Adopted %(date)s (%(decision)s).")
            % {"date": adopted_on.strftime("%d.%m.%Y"), "decision": decision},
            parties=[Party(str(agreement.county), "IA"), Party(agreement.region.name, "EM")],
            documents=[document],
            screening=screening_of(agreement),
        )
        folder = None
        if first:
            folder = CaseFolder(
                title=title,
                key=agreement_folder_key(agreement),
                created_at=timezone.localtime(agreement.created_at),
                closed_at=adopted_at,
                case_date=adopted_on,
                keywords=[_("Partnership agreement")],
                unit=_coordination_unit(),
                status="A",
                screening=screening_of(agreement),
            )
        xml = arkivmelding(folder=folder, registration=registration, folder_key=agreement_folder_key(agreement))
    return Package(xml=xml, files={document.file_name: document.content})


# --- a meeting whose minutes are approved -------------------------------------------------------


def meeting_folder_key(meeting) -> str:
    return f"meeting-{meeting.pk}"


def _agenda_items(meeting):
    from meetings.models import AgendaItem

    return list(
        meeting.agenda_items.filter(state=AgendaItem.State.ACCEPTED)
        .select_related("case", "council_area", "minutes")
        .order_by("order", "pk")
    )


def meeting_parts(meeting) -> list[tuple[str, str]]:
    """The minutes (a moetedokument, with the moetemappe) and each agenda item (a moetesak)."""
    return [("minutes", meeting.title)] + [(f"item:{item.pk}", item.title) for item in _agenda_items(meeting)]


def _committee(meeting):
    return meeting.region.name if meeting.region_id else meeting.body


def _minutes_pdf(meeting):
    from django.template.loader import render_to_string

    from meetings.pdf import render_pdf
    from meetings.selectors import agenda_lanes, meeting_get_detail

    from .pdf import PDF_VARIANT

    items, participants = meeting_get_detail(meeting=meeting)
    html = render_to_string(
        "meetings/meeting_print.html",
        {
            "meeting": meeting,
            "lanes": agenda_lanes(items, include_proposals=False),
            "participants": participants,
            "minutes": True,
        },
    )
    return render_pdf(html, pdf_variant=PDF_VARIANT)


def _meeting_folder(meeting):
    from .arkivmelding import MeetingFolder

    participants = [p.person.name for p in meeting.participants.select_related("person").order_by("person__name")]
    start = timezone.localtime(meeting.start)
    return MeetingFolder(
        title=meeting.title,
        key=meeting_folder_key(meeting),
        created_at=timezone.localtime(meeting.created_at),
        number=f"{start.year}-{meeting.pk}",
        committee=_committee(meeting),
        date=start.date(),
        place=meeting.location,
        participants=participants,
        screening=screening_of(meeting),
    )


def _meeting_registration(meeting, part):
    from meetings.models import MinutesEntry

    from .arkivmelding import MeetingRegistration

    start = timezone.localtime(meeting.start)
    if part == "minutes":
        title = _("Minutes: %(title)s") % {"title": meeting.title}
        document = Document(
            title=title,
            file_name="01-protokoll.pdf",
            original_name=f"{title[:80]}.pdf",
            content=_minutes_pdf(meeting),
            mime_type="application/pdf",
            archive_format=True,
            created_at=start,
        )
        return MeetingRegistration(
            title=title,
            key=f"{meeting_folder_key(meeting)}-minutes",
            created_at=start,
            documents=[document],
            document_type="MP",
            screening=screening_of(meeting),
        )
    kind, _sep, pk = part.partition(":")
    if kind != "item":
        raise ValueError(f"Unknown archive part {part!r}")
    items = _agenda_items(meeting)
    item = next(i for i in items if str(i.pk) == pk)
    entry = getattr(item, "minutes", None)
    outcome = entry.outcome if entry else ""
    case_type = {MinutesEntry.Outcome.DECISION: "PS", MinutesEntry.Outcome.INFORMATION: "RS"}.get(outcome, "AN")
    facts = [(_("Meeting"), meeting.title), (_("Date"), start.strftime("%d.%m.%Y"))]
    if item.case_id:
        facts.append((_("Case"), str(item.case)))
    if entry:
        facts.append((_("Outcome"), entry.get_outcome_display()))
    text = "\n\n".join(part for part in (item.description, entry.text if entry else "") if part)
    return MeetingRegistration(
        title=item.title,
        key=f"{meeting_folder_key(meeting)}-item-{item.pk}",
        created_at=start,
        documents=[_main_document(item.title, facts, text, meeting.start)],
        description=(entry.text if entry else item.description)[:1000],
        case_type=case_type,
        year=start.year,
        sequence=items.index(item) + 1,
        screening=strictest_screening(item, entry),
    )


def meeting_package(*, meeting, part: str, first: bool) -> Package:
    """The package of one message of a meeting whose minutes are approved: the moetemappe with the
    minutes (MP) first, then one moetesak per agenda item (PS decision, RS for information, AN)."""
    from .arkivmelding import moetemelding

    with translation.override(settings.LANGUAGE_CODE):
        registration = _meeting_registration(meeting, part)
        folder = _meeting_folder(meeting) if first else None
        xml = moetemelding(folder=folder, registration=registration, folder_key=meeting_folder_key(meeting))
    return Package(xml=xml, files={document.file_name: document.content for document in registration.documents})
