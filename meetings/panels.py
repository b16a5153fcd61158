"""Panels for the start page (my next meetings), the region page (its next meetings and feed link) and
the case page (the meetings the case is on, and the form to put it on one)."""

from django.utils import timezone

from cases.permissions import can_schedule_case

from .forms import CaseAgendaForm
from .selectors import (
    agenda_of_case,
    feed_list_for,
    meeting_list_for_person_user,
    meeting_list_upcoming_for,
    reference_inputs_of_case,
)


def home_panel(request):
    user = request.user
    meetings = list(meeting_list_for_person_user(user=user, now=timezone.now())[:5])
    if not meetings:
        meetings = list(meeting_list_upcoming_for(user=user, limit=5))
    return {"template": "meetings/_home_panel.html", "context": {"meetings": meetings}}


def region_panel(request, region, day=None):
    user = request.user
    meetings = list(meeting_list_upcoming_for(user=user, region=region, limit=5))
    feed = feed_list_for(user=user).filter(region=region).first()
    return {
        "template": "meetings/_region_panel.html",
        "context": {"region": region, "meetings": meetings, "feed": feed},
    }


def case_panel(request, case):
    """The meetings the case is on and, for whoever may schedule it, the upcoming meetings of its
    region to put it on: one query (agenda_of_case)."""
    schedule = can_schedule_case(request.user, case)
    items, meetings = agenda_of_case(user=request.user, case=case, upcoming=schedule)
    return {
        "template": "meetings/_case_panel.html",
        "context": {
            "case": case,
            "agenda_items": items,
            "agenda_form": CaseAgendaForm(meetings=meetings) if meetings else None,
        },
    }


def case_reference_panel(request, case):
    """The reference group's input on the case (seed 002: it advises, it does not decide), from the
    meetings the user may see; nothing when there is none."""
    inputs = reference_inputs_of_case(user=request.user, case=case)
    if not inputs:
        return None
    return {"template": "meetings/_case_reference_panel.html", "context": {"case": case, "inputs": inputs}}
