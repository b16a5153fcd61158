"""Panels for the start page and the region page."""

from django.db.models import Q
from django.utils import timezone

from accounts.permissions import is_adviser
from regions.selectors import council_area_list_staffed_now, region_list_led_now

from .models import Case, RegionRequest, Routing
from .permissions import county_case_filter
from .selectors import case_inbox_counts, case_list_visible_to, in_scope, overdue_q

PANEL_TEMPLATE = "cases/_panel.html"


def home_panel(request):
    """Advisers: inbox counts and overdue cases; leaders: their regions' open cases and the county's
    questions awaiting their answer; staff: cases routed to their areas awaiting an answer."""
    user = request.user
    today = timezone.localdate()
    if is_adviser(user):
        scope = county_case_filter(user)  # the adviser's county's cases, as in their inbox
        overdue = in_scope(Case.objects.filter(overdue_q(today)), scope).select_related("origin_region")
        return {
            "template": PANEL_TEMPLATE,
            "context": {
                "kind": "adviser",
                "can_create": True,
                "counts": case_inbox_counts(today=today, scope=scope),
                "overdue": list(overdue[:5]),
            },
        }
    led = region_list_led_now(user=user)
    areas = council_area_list_staffed_now(user=user)
    if not led and not areas:
        return None
    visible = case_list_visible_to(user=user)
    context = {"kind": "member", "can_create": True}  # a current leader or staff member writes cases
    if led:
        context["open_cases"] = list(
            visible.filter(origin_region__in=led).exclude(status__in=[Case.Status.CLOSED, Case.Status.WITHDRAWN])[:10]
        )
        context["awaiting_us"] = list(
            visible.filter(
                status=Case.Status.ROUTED,
                region_requests__region__in=led,
                region_requests__state=RegionRequest.State.PENDING,
            ).distinct()[:10]
        )
    if areas:
        context["routed_to_us"] = list(
            visible.filter(
                Q(status=Case.Status.ROUTED),
                routings__council_area__in=areas,
                routings__state__in=[Routing.State.PENDING, Routing.State.ACKNOWLEDGED],
            ).distinct()[:10]
        )
    return {"template": PANEL_TEMPLATE, "context": context}


def region_panel(request, region, day=None):
    """The region page: the region's cases that the user may see."""
    # A subquery for the requests (no join, so no DISTINCT over every row of the region's history).
    requested = RegionRequest.objects.filter(region=region).values("case_id")
    cases = list(
        case_list_visible_to(user=request.user)
        .filter(Q(origin_region=region) | Q(pk__in=requested))
        .order_by("-created_at")[:15]
    )
    return {"template": "cases/_region_panel.html", "context": {"region": region, "cases": cases}}
