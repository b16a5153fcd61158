"""The yearly report to the county council: choose a county and a year, read the figures (page, PDF,
Word, ODT) and write the adviser's text. Only advisers of the county; anyone else gets 404 (docs/adr/0004)."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from accounts.permissions import is_adviser
from core.forms import call_service
from meetings.pdf import render_pdf
from regions.models import County
from regions.selectors import county_scope_for

from . import services
from .charts import report_charts
from .docx import report_docx, report_odt
from .forms import ReportChoiceForm, ReportTextForm
from .selectors import report_county_get_for_user, yearly_report

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ODT_TYPE = "application/vnd.oasis.opendocument.text"


def _counties_for(user):
    scope = county_scope_for(user=user)
    counties = County.objects.all() if scope is None else County.objects.filter(pk__in=sorted(scope))
    return list(counties.order_by("number"))


@require_safe
def report_index_view(request):
    """Choose the county and the year of the report (advisers)."""
    if not is_adviser(request.user):
        raise Http404
    counties = _counties_for(request.user)
    today = timezone.localdate()
    form = ReportChoiceForm(
        request.GET or {"county": counties[0].pk if counties else None, "year": today.year}, counties=counties
    )
    if request.GET and form.is_valid():
        return redirect("reports:report", county=form.cleaned_data["county"].pk, year=form.cleaned_data["year"])
    return render(request, "reports/report_index.html", {"form": form}, status=400 if request.GET else 200)


def _report(request, county, year, *, printed=False):
    report = yearly_report(user=request.user, county=county, year=year, today=timezone.localdate())
    return {**report, "charts": report_charts(report, printed=printed)}


@require_http_methods(["GET", "HEAD", "POST"])
def report_view(request, county, year):
    """The report's page, with the adviser's text to write beside the figures."""
    county = report_county_get_for_user(user=request.user, county_pk=county, year=year)
    form, status = None, 200
    if request.method == "POST":
        form = ReportTextForm(request.POST)
        if form.is_valid() and call_service(
            form,
            lambda: services.report_text_save(county=county, year=year, actor=request.user, **form.cleaned_data),
        ):
            messages.success(request, _("The report's text was saved."))
            return redirect("reports:report", county=county.pk, year=year)
        status = 400
    context = _report(request, county, year)
    form = form or ReportTextForm(instance=context["text"])
    return render(request, "reports/report_detail.html", {**context, "form": form}, status=status)


@require_safe
def report_pdf_view(request, county, year):
    county = report_county_get_for_user(user=request.user, county_pk=county, year=year)
    html = render_to_string("reports/report_print.html", _report(request, county, year, printed=True), request=request)
    response = HttpResponse(render_pdf(html), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="arsrapport-fylke-{county.number}-{year}.pdf"'
    return response


@require_safe
def report_docx_view(request, county, year):
    county = report_county_get_for_user(user=request.user, county_pk=county, year=year)
    report = yearly_report(user=request.user, county=county, year=year, today=timezone.localdate())
    response = HttpResponse(report_docx(report), content_type=DOCX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="arsrapport-fylke-{county.number}-{year}.docx"'
    return response


@require_safe
def report_odt_view(request, county, year):
    """The report as OpenDocument text, with the same content as the Word file."""
    county = report_county_get_for_user(user=request.user, county_pk=county, year=year)
    report = yearly_report(user=request.user, county=county, year=year, today=timezone.localdate())
    response = HttpResponse(report_odt(report), content_type=ODT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="arsrapport-fylke-{county.number}-{year}.odt"'
    return response
