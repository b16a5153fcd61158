"""iCalendar (RFC 5545) for meetings: one .ics per meeting, feeds, and e-mail attachments.

Each meeting keeps one UID for life (meeting-<pk>@regionportalen) and a SEQUENCE that the services
raise on every change, so calendar programs update the event instead of adding a new one. Times are
written in UTC, which every client converts to the reader's zone.
"""

from datetime import UTC

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress, vText

from .models import Meeting

PRODID = "-//Regionportalen//Meetings//NB"


def meeting_url(meeting) -> str:
    return settings.SITE_URL + meeting.get_absolute_url()


def _organizer_address():
    from email.utils import parseaddr

    return parseaddr(settings.DEFAULT_FROM_EMAIL)[1] or "noreply@regionportalen.local"


def meeting_event(meeting, *, attendee_email="") -> Event:
    event = Event()
    event.add("uid", meeting.uid)
    event.add("dtstamp", (meeting.updated_at or timezone.now()).astimezone(UTC))
    event.add("last-modified", (meeting.updated_at or timezone.now()).astimezone(UTC))
    event.add("dtstart", meeting.start.astimezone(UTC))
    event.add("dtend", meeting.end.astimezone(UTC))
    event.add("sequence", meeting.sequence)
    event.add("summary", meeting.title)
    location = meeting.location
    if meeting.video_link:
        location = f"{location} ({meeting.video_link})" if location else meeting.video_link
    if location:
        event.add("location", location)
    url = meeting_url(meeting)
    event.add("description", url)
    event.add("url", url)
    event.add("status", "CANCELLED" if meeting.status == Meeting.Status.CANCELLED else "CONFIRMED")
    event.add("transp", "OPAQUE")
    organizer = vCalAddress(f"mailto:{_organizer_address()}")
    organizer.params["cn"] = vText("Regionportalen")
    event.add("organizer", organizer)
    if attendee_email:
        attendee = vCalAddress(f"mailto:{attendee_email}")
        attendee.params["role"] = vText("REQ-PARTICIPANT")
        event.add("attendee", attendee)
    return event


def calendar_bytes(meetings, *, name="", method="PUBLISH", attendee_email="") -> bytes:
    """A VCALENDAR with one VEVENT per meeting, as UTF-8 bytes."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", method)
    if name:
        cal.add("x-wr-calname", name)
        cal.add("name", name)
    cal.add("x-published-ttl", "PT1H")
    for meeting in meetings:
        cal.add_component(meeting_event(meeting, attendee_email=attendee_email))
    return cal.to_ical()
