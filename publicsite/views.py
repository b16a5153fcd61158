"""Public pages: no login, only what the public may see (docs/apps/public.md)."""

from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from . import selectors

CASES_PER_PAGE = 20


@login_not_required
@require_safe
def index_view(request):
    """The county's regions today, each with a link to its public page."""
    return render(request, "public/index.html", {"regions": selectors.regions_today()})


@login_not_required
@require_safe
def region_view(request, slug):
    """A region's adopted agreement, its next meetings with their agendas, approved minutes and its
    public cases."""
    region = selectors.region_get_public(slug=slug)
    agreement = selectors.region_agreement(region=region)
    upcoming, recent = selectors.region_meetings(region=region)
    cases = Paginator(selectors.region_cases(region=region), CASES_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "public/region.html",
        {
            "region": region,
            "agreement": agreement,
            "agreement_pdf": reverse("oparl:file-download", kwargs={"kind": "agreement", "pk": agreement.pk})
            if agreement
            else None,
            "upcoming": upcoming,
            "recent": recent,
            "cases": cases,
        },
    )
