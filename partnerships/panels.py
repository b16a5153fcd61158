"""Panels for the region page and the start page (registered in apps.py)."""

from django.utils import timezone

from accounts.permissions import is_adviser
from regions.selectors import county_scope_for

from .selectors import (
    agreement_current_and_ended,
    agreement_list_for_county,
    agreement_list_visible_to,
    agreement_summary,
)


def region_panel(request, region, day=None):
    """The region's agreement with each of its counties on the date (host first): status, adoption,
    general-part version; and the agreements of counties it no longer has (Viken's), as history."""
    from regions.selectors import region_counties_on

    day = day or timezone.localdate()
    counties = region_counties_on(region=region, on=day)
    current, history = agreement_current_and_ended(region=region, counties=counties, user=request.user)
    rows = [{"county": county, "agreement": current[county.pk]} for county in counties]
    return {
        "template": "partnerships/_region_panel.html",
        "context": {"region": region, "rows": rows, "history": history, "day": day},
    }


def county_panel(request, county, day):
    """The county page's agreements: each agreement of the county, marked when in force on the date."""
    return {
        "template": "partnerships/_county_panel.html",
        "context": {
            "county": county,
            "day": day,
            "rows": agreement_list_for_county(user=request.user, county=county, on=day),
        },
    }


def home_panel(request):
    """Advisers: counts of adopted agreements, negotiations and re-adoptions due. Leaders: their agreements."""
    user = request.user
    if is_adviser(user):
        summary = agreement_summary(user=user, scope=county_scope_for(user=user))
        return {"template": "partnerships/_home_panel.html", "context": {"summary": summary}}
    from regions.selectors import region_list_led_now

    regions = region_list_led_now(user=user)
    if not regions:
        return None
    agreements = agreement_list_visible_to(user=user).filter(region__in=regions).exclude(status="superseded")
    return {"template": "partnerships/_home_panel.html", "context": {"agreements": list(agreements)}}
