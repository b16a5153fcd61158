"""Pages of the partnership funds: fetch through the access functions (a fund year the user may not
see is a 404), authorise (an adviser's step shown to a leader of the region is a 403), bind the form,
call the service (docs/adr/0004-404-not-403.md)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from core.forms import call_service
from regions.models import County
from regions.selectors import county_scope_for, region_list_in_scope

from . import exports, services
from .forms import (
    AllocationForm,
    AllocationUpdateForm,
    FundYearCreateForm,
    IncomeForm,
    IncomeUpdateForm,
    OverviewForm,
    PaymentForm,
    ProjectForm,
    UseReportForm,
)
from .permissions import can_change_fund_year, can_manage_funds, can_view_funds_overview
from .selectors import (
    allocation_get_for_user,
    allocation_list_for,
    entry_list_for,
    fund_balance,
    fund_year_get_for_user,
    fund_year_list_visible_to,
    funds_overview,
    income_get_for_user,
    income_list_for,
    overview_years,
    priority_choices_for,
    project_choices_for,
)

require_GET_or_POST = require_http_methods(["GET", "HEAD", "POST"])
PAGE_SIZE = 25


def _require(allowed):
    if not allowed:
        raise PermissionDenied


def _counties_for(user):
    scope = county_scope_for(user=user)
    counties = County.objects.order_by("number") if scope is None else County.objects.filter(pk__in=sorted(scope))
    return list(counties.order_by("number"))


@require_safe
def fund_year_index_view(request):
    """The fund years the user may read, newest first, with their balance."""
    page = Paginator(fund_year_list_visible_to(user=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    for fund_year in page:
        fund_year.balance = fund_balance(fund_year)
    return render(
        request,
        "funds/fundyear_index.html",
        {
            "page_obj": page,
            "can_manage": can_manage_funds(request.user),
            "can_overview": can_view_funds_overview(request.user),
        },
    )


@require_GET_or_POST
def fund_year_create_view(request):
    """Advisers open a region's funds for a year."""
    _require(can_manage_funds(request.user))
    choices = {"counties": _counties_for(request.user), "regions": region_list_in_scope(user=request.user)}
    if request.method != "POST":
        return render(request, "funds/fundyear_form.html", {"form": FundYearCreateForm(**choices)})
    form = FundYearCreateForm(request.POST, **choices)
    result = {}

    def call():
        result["year"] = services.fund_year_create(actor=request.user, **form.cleaned_data)

    if form.is_valid() and call_service(form, call):
        messages.success(request, _("The year was opened."))
        return redirect(result["year"])
    return render(request, "funds/fundyear_form.html", {"form": form}, status=400)


@require_safe
def fund_year_detail_view(request, pk):
    """One region's funds for one year: balance, income, allocations with payments and use, history."""
    fund_year = fund_year_get_for_user(user=request.user, pk=pk)
    history = Paginator(entry_list_for(fund_year=fund_year), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "funds/fundyear_detail.html",
        {
            "fund_year": fund_year,
            "balance": fund_balance(fund_year),
            "incomes": income_list_for(fund_year=fund_year),
            "allocations": allocation_list_for(fund_year=fund_year),
            "page_obj": history,
            "can_change": can_change_fund_year(request.user, fund_year),
        },
    )


@require_safe
def fund_year_export_view(request, pk):
    """The region's year as an Excel workbook."""
    fund_year = fund_year_get_for_user(user=request.user, pk=pk)
    return exports.xlsx_response(
        exports.write_fund_year,
        f"midler-{fund_year.region.slug}-{fund_year.year}.xlsx",
        fund_year=fund_year,
        balance=fund_balance(fund_year),
        incomes=list(income_list_for(fund_year=fund_year)),
        allocations=list(allocation_list_for(fund_year=fund_year)),
    )


def _form_page(request, fund_year, form, title, status=200):
    return render(request, "funds/form.html", {"fund_year": fund_year, "form": form, "title": title}, status=status)


def _step(request, *, fund_year, form_class, title, service, done, form_kwargs=None, initial=None):
    """A form on a fund year (or one of its objects) that only the county's advisers fill in."""
    _require(can_change_fund_year(request.user, fund_year))
    form_kwargs = form_kwargs or {}
    if request.method != "POST":
        return _form_page(request, fund_year, form_class(initial=initial, **form_kwargs), title)
    form = form_class(request.POST, **form_kwargs)
    if form.is_valid() and call_service(form, lambda: service(form.cleaned_data)):
        messages.success(request, done)
        return redirect(fund_year)
    return _form_page(request, fund_year, form, title, status=400)


@require_GET_or_POST
def income_add_view(request, pk):
    fund_year = fund_year_get_for_user(user=request.user, pk=pk)
    return _step(
        request,
        fund_year=fund_year,
        form_class=IncomeForm,
        title=_("Add income"),
        service=lambda data: services.income_add(fund_year=fund_year, actor=request.user, **data),
        done=_("The income was added."),
    )


@require_GET_or_POST
def income_edit_view(request, pk):
    income = income_get_for_user(user=request.user, pk=pk)
    return _step(
        request,
        fund_year=income.fund_year,
        form_class=IncomeUpdateForm,
        title=_("Change income"),
        service=lambda data: services.income_update(income=income, actor=request.user, **data),
        done=_("The income was changed."),
        initial={"amount": income.amount, "description": income.description},
    )


@require_GET_or_POST
def project_add_view(request, pk):
    fund_year = fund_year_get_for_user(user=request.user, pk=pk)
    return _step(
        request,
        fund_year=fund_year,
        form_class=ProjectForm,
        title=_("Add project"),
        service=lambda data: services.project_create(fund_year=fund_year, actor=request.user, **data),
        done=_("The project was added."),
        form_kwargs={"priorities": priority_choices_for(fund_year=fund_year)},
    )


@require_GET_or_POST
def allocation_add_view(request, pk):
    fund_year = fund_year_get_for_user(user=request.user, pk=pk)
    return _step(
        request,
        fund_year=fund_year,
        form_class=AllocationForm,
        title=_("Allocate funds"),
        service=lambda data: services.allocation_add(fund_year=fund_year, actor=request.user, **data),
        done=_("The funds were allocated."),
        form_kwargs={
            "priorities": priority_choices_for(fund_year=fund_year),
            "projects": project_choices_for(fund_year=fund_year),
        },
    )


@require_GET_or_POST
def allocation_edit_view(request, pk):
    allocation = allocation_get_for_user(user=request.user, pk=pk)
    return _step(
        request,
        fund_year=allocation.fund_year,
        form_class=AllocationUpdateForm,
        title=_("Change allocation"),
        service=lambda data: services.allocation_update(allocation=allocation, actor=request.user, **data),
        done=_("The allocation was changed."),
        initial={"amount": allocation.amount, "description": allocation.description},
    )


@require_GET_or_POST
def payment_add_view(request, pk):
    allocation = allocation_get_for_user(user=request.user, pk=pk)
    return _step(
        request,
        fund_year=allocation.fund_year,
        form_class=PaymentForm,
        title=_("Record payment"),
        service=lambda data: services.payment_add(allocation=allocation, actor=request.user, **data),
        done=_("The payment was recorded."),
    )


@require_GET_or_POST
def use_report_add_view(request, pk):
    allocation = allocation_get_for_user(user=request.user, pk=pk)
    return _step(
        request,
        fund_year=allocation.fund_year,
        form_class=UseReportForm,
        title=_("Record reported use"),
        service=lambda data: services.use_report_add(allocation=allocation, actor=request.user, **data),
        done=_("The reported use was recorded."),
    )


def _overview_choice(request):
    counties = _counties_for(request.user)
    years = overview_years(user=request.user)
    initial = {"county": counties[0].pk if counties else None, "year": years[0] if years else None}
    form = OverviewForm(request.GET or initial, counties=counties)
    if form.is_valid():
        return form, form.cleaned_data["county"], form.cleaned_data["year"]
    return form, None, None


@require_safe
def overview_view(request):
    """The county's overview for a year: one row per region and the totals (advisers)."""
    _require(can_view_funds_overview(request.user))
    form, county, year = _overview_choice(request)
    rows, totals = funds_overview(county=county, year=year) if county else ([], None)
    return render(
        request,
        "funds/overview.html",
        {"form": form, "county": county, "year": year, "rows": rows, "totals": totals},
        status=200 if county or not request.GET else 400,
    )


@require_safe
def overview_export_view(request):
    """The county's overview for a year as an Excel workbook."""
    _require(can_view_funds_overview(request.user))
    form, county, year = _overview_choice(request)
    if county is None:
        return render(request, "funds/overview.html", {"form": form, "rows": []}, status=400)
    rows, totals = funds_overview(county=county, year=year)
    return exports.xlsx_response(
        exports.write_overview,
        f"midler-fylke-{county.number}-{year}.xlsx",
        county=county,
        year=year,
        rows=rows,
        totals=totals,
    )
