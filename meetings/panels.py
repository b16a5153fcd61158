"""Panels for the start page (my next meetings) and the region page (its next meetings and feed link)."""

from django.utils import timezone

from .selectors import feed_list_for, meeting_list_for_person_user, meeting_list_upcoming_for


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
