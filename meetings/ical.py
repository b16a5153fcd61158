"""iCalendar (RFC 5545) for meetings: one .ics per meeting, feeds, and e-mail attachments.

Each meeting keeps one UID for life (meeting-<pk>@regionportalen) and a SEQUENCE that the services
raise on every change, so calendar programs update the event instead of adding a new one. Times are
written in UTC, which every client converts to the reader's zone.

The text is written directly (escaping and 75-octet line folding per RFC 5545 section 3.1/3.3.11)
rather than through the icalendar library's object model, which is several times slower for a
feed of hundreds of meetings; the tests parse the output with the icalendar library.
"""

import re
from datetime import UTC
from email.utils import parseaddr

from django.conf import settings
from django.utils import timezone

from core.validators import printable

from .models import Meeting

PRODID = "-//Regionportalen//Meetings//NB"


def meeting_url(meeting) -> str:
    return settings.SITE_URL + meeting.get_absolute_url()


def _text(value) -> str:
    # Stored text may hold control characters (RFC 5545 allows none in TEXT) and Unicode line separators.
    return (
        printable(value)
        .replace("\u2028", "\n")
        .replace("\u2029", "\n")
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def _utc(moment) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _fold(line: str) -> bytes:
    data = line.encode("utf-8")
    if len(data) <= 75:
        return data + b"\r\n"
    parts, chunk, size = [], [], 0
    limit = 75
    for char in line:
        encoded = char.encode("utf-8")
        if size + len(encoded) > limit:
            parts.append(b"".join(chunk))
            chunk, size, limit = [], 0, 74  # continuation lines start with a space
        chunk.append(encoded)
        size += len(encoded)
    parts.append(b"".join(chunk))
    return b"\r\n ".join(parts) + b"\r\n"


# One plain address (what a calendar program can answer to); anything else stored is not used.
_ADDRESS = re.compile(r"[^@\s<>,;:\"\\]+@[^@\s<>,;:\"\\]+\.[^@\s<>,;:\"\\]+")


def organiser_address(meeting) -> tuple[str, str]:
    """(name, address) of who organises the meeting: the organising adviser, else the coordination
    unit's mailbox (REPLY_TO_EMAIL), else the portal's sender. Calendar replies (accept, decline) go
    to this address, so it must be one a person reads."""
    user = meeting.organiser if meeting.organiser_id else None
    if user is not None and user.is_active and _ADDRESS.fullmatch(user.email or ""):
        return (user.get_full_name() or user.username), user.email
    if settings.REPLY_TO_EMAIL:
        return "Regionportalen", settings.REPLY_TO_EMAIL
    return "Regionportalen", parseaddr(settings.DEFAULT_FROM_EMAIL)[1] or "noreply@regionportalen.local"


def _param(value) -> str:
    """A quoted iCalendar parameter value (RFC 5545 3.2: no quotes, control characters or line breaks)."""
    cleaned = printable(value, multiline=False).replace('"', " ")
    return '"' + " ".join(cleaned.split()) + '"'


def _event_lines(meeting, *, attendee_email=""):
    stamp = _utc(meeting.updated_at or timezone.now())
    location = meeting.location
    if meeting.video_link:
        location = f"{location} ({meeting.video_link})" if location else meeting.video_link
    url = meeting_url(meeting)
    lines = [
        "BEGIN:VEVENT",
        f"UID:{meeting.uid}",
        f"DTSTAMP:{stamp}",
        f"LAST-MODIFIED:{stamp}",
        f"DTSTART:{_utc(meeting.start)}",
        f"DTEND:{_utc(meeting.end)}",
        f"SEQUENCE:{meeting.sequence}",
        f"SUMMARY:{_text(meeting.title)}",
    ]
    if location:
        lines.append(f"LOCATION:{_text(location)}")
    lines += [
        f"DESCRIPTION:{_text(url)}",
        f"URL:{url}",
        "STATUS:" + ("CANCELLED" if meeting.status == Meeting.Status.CANCELLED else "CONFIRMED"),
        "TRANSP:OPAQUE",
    ]
    name, address = organiser_address(meeting)
    lines.append(f"ORGANIZER;CN={_param(name)}:mailto:{address}")
    if attendee_email and _ADDRESS.fullmatch(attendee_email):
        role = "CHAIR" if attendee_email == address else "REQ-PARTICIPANT"
        lines.append(f"ATTENDEE;ROLE={role};PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:{attendee_email}")
    lines.append("END:VEVENT")
    return lines


def calendar_bytes(meetings, *, name="", method="PUBLISH", attendee_email="") -> bytes:
    """A VCALENDAR with one VEVENT per meeting, as UTF-8 bytes."""
    lines = ["BEGIN:VCALENDAR", f"PRODID:{PRODID}", "VERSION:2.0", "CALSCALE:GREGORIAN", f"METHOD:{method}"]
    if name:
        lines += [f"X-WR-CALNAME:{_text(name)}", f"NAME:{_text(name)}"]
    lines.append("X-PUBLISHED-TTL:PT1H")
    for meeting in meetings:
        lines += _event_lines(meeting, attendee_email=attendee_email)
    lines.append("END:VCALENDAR")
    return b"".join(_fold(line) for line in lines)


def public_calendar_bytes(events, *, name="") -> bytes:
    """A public VCALENDAR for anyone to subscribe to. events: (meeting, description, url). It holds the
    time, place, title and the given (public) description only: no ORGANIZER or ATTENDEE (no e-mail
    address, no personal data) and never the video link (a way into the meeting, not public). Without
    METHOD it is a plain calendar, not a scheduling message, so RFC 5546 asks for no organiser."""
    lines = ["BEGIN:VCALENDAR", f"PRODID:{PRODID}", "VERSION:2.0", "CALSCALE:GREGORIAN"]
    if name:
        lines += [f"X-WR-CALNAME:{_text(name)}", f"NAME:{_text(name)}"]
    lines.append("X-PUBLISHED-TTL:PT1H")
    for meeting, description, url in events:
        stamp = _utc(meeting.updated_at or meeting.created_at)
        lines += [
            "BEGIN:VEVENT",
            f"UID:{meeting.uid}",
            f"DTSTAMP:{stamp}",
            f"LAST-MODIFIED:{stamp}",
            f"DTSTART:{_utc(meeting.start)}",
            f"DTEND:{_utc(meeting.end)}",
            f"SEQUENCE:{meeting.sequence}",
            f"SUMMARY:{_text(meeting.title)}",
        ]
        if meeting.location:
            lines.append(f"LOCATION:{_text(meeting.location)}")
        lines += [
            f"DESCRIPTION:{_text(description)}",
            f"URL:{url}",
            "STATUS:" + ("CANCELLED" if meeting.status == Meeting.Status.CANCELLED else "CONFIRMED"),
            "TRANSP:OPAQUE",
            "CLASS:PUBLIC",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return b"".join(_fold(line) for line in lines)
