"""Panels for the region page and the start page (registered in apps.py)."""

from django.utils import timezone

from accounts.permissions import is_adviser

from .selectors import agreement_current_by_county, agreement_list_visible_to, agreement_summary


def region_panel(request, region, day=None):
    """The region's agreement with each partner county: status, adoption, general-part version."""
    counties = [region.host_county, *[c for c in region.partner_counties.all() if c.pk != region.host_county_id]]
    current = agreement_current_by_county(region=region, counties=counties, user=request.user)
    rows = [{"county": county, "agreement": current[county.pk]} for county in counties]
    return {
        "template": "partnerships/_region_panel.html",
        "context": {"region": region, "rows": rows, "day": day or timezone.localdate()},
    }


def home_panel(request):
    """Advisers: counts of adopted agreements, negotiations and re-adoptions due. Leaders: their agreements."""
    user = request.user
    if is_adviser(user):
        return {"template": "partnerships/_home_panel.html", "context": {"summary": agreement_summary(user=user)}}
    from regions.selectors import region_list_led_now

    regions = region_list_led_now(user=user)
    if not regions:
        return None
    agreements = agreement_list_visible_to(user=user).filter(region__in=regions).exclude(status="superseded")
    return {"template": "partnerships/_home_panel.html", "context": {"agreements": list(agreements)}}
