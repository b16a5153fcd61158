"""The start page for each role, the accessibility statement and /healthz."""

from django.contrib.auth.decorators import login_not_required
from django.db.models import Q
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from accounts.permissions import is_adviser, is_council_area_staff
from core.health import health_report
from core.panels import home_panels
from regions.models import Municipality, RegionMembership
from regions.selectors import (
    council_area_list_staffed_now,
    county_scope_for,
    region_ids_led_now,
    region_list_in_scope,
    region_list_led_now,
)


@login_not_required
@never_cache
@require_GET
def healthz_view(request):
    """JSON for database, broker, beat and the checks apps register (the outbox); 200 when all is
    well, 503 when something is down (each check says what "down" means for it)."""
    healthy, report = health_report()
    return JsonResponse(report, status=200 if healthy else 503)


def home_view(request):
    """The start page for the user's role: an overview for advisers, "my region" for leaders."""
    user = request.user
    context = {
        "is_adviser": is_adviser(user),
        # The regions the user acts for (leader or secretariat), whatever their portal role says.
        "led_regions": region_list_led_now(user=user) if region_ids_led_now(user=user) else [],
        "staffed_areas": council_area_list_staffed_now(user=user) if is_council_area_staff(user) else [],
    }
    if context["is_adviser"]:
        # The adviser's county's regions (cross-county members and partner regions included), and the
        # county's municipalities with every member of those regions; every county for the national view.
        today = timezone.localdate()
        regions = region_list_in_scope(user=user, on=today)
        municipalities = Municipality.objects.valid_on(today)
        scope = county_scope_for(user=user)
        if scope is not None:
            members = RegionMembership.objects.valid_on(today).filter(region__in=regions.values("pk"))
            municipalities = municipalities.filter(Q(county_id__in=scope) | Q(pk__in=members.values("municipality_id")))
        context["region_count"] = regions.count()
        context["municipality_count"] = municipalities.count()
    context["panels"] = home_panels.collect(request)
    return render(request, "portal/home.html", context)


@login_not_required
def accessibility_view(request):
    """The public accessibility statement (tilgjengelighetserklæring)."""
    return render(request, "portal/accessibility.html")
