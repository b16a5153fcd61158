"""Registry pages: county overview with map and export, region, municipality and council-area
pages, and the advisers' forms for memberships and appointments."""

import csv
import datetime
import json

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import prefetch_related_objects
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.permissions import is_adviser
from core.forms import call_service, call_service_messages, posted_id
from core.fragments import cached_fragment
from core.panels import county_panels, region_panels
from core.validators import spreadsheet_cell

from . import permissions, selectors, services
from .forms import (
    AppointmentEndForm,
    AppointmentStartForm,
    MembershipEndForm,
    MembershipMoveForm,
    MembershipStartForm,
    OverviewForm,
    TermForm,
    TermGridFormSet,
    TermImportForm,
)
from .models import TERM_SLOTS, County, Malform, Person, Region, SlotEntry, TermRow
from .permissions import can_edit_registry, can_view_registry


def _require_view(request):
    if not can_view_registry(request.user):
        raise PermissionDenied


def _require_edit(request):
    """Only advisers edit the registry: everyone else gets 403 (the registry is public, so there is
    nothing to hide; docs/adr/0004-404-not-403.md). The services check the same rule."""
    if not can_edit_registry(request.user):
        raise PermissionDenied


def _day_from(request):
    """The ?dato= of the request, or today; a bad date gives a message and today, never an error page."""
    raw = request.GET.get("dato", "").strip()
    if not raw:
        return timezone.localdate()
    try:
        return datetime.date.fromisoformat(raw)
    except ValueError:
        messages.error(
            request,
            _("“%(value)s” is not a valid date (use YYYY-MM-DD). Showing today instead.") % {"value": raw[:20]},
        )
        return timezone.localdate()


def _county_from(request, day, *, pk=None):
    """The chosen county (from the URL or ?fylke=), else the default for the date."""
    counties = selectors.county_choices_on(on=day)
    raw = pk if pk is not None else request.GET.get("fylke", "").strip()
    if raw:
        county_id = posted_id(raw)
        county = County.objects.filter(pk=county_id).first() if county_id else None
        if county is None:
            messages.error(request, _("Unknown county. Showing the default county instead."))
        else:
            return county, counties
    scope = selectors.county_scope_for(user=request.user)
    own = [county for county in counties if scope and county.pk in scope]
    if own:  # an adviser's or council-area staff member's own county, while it exists on the date
        return own[0], counties
    return selectors.county_get_default(on=day, counties=counties), counties


@require_GET
def index_view(request, pk=None):
    """The county overview as of a date: regions and members, map, table and export."""
    _require_view(request)
    day = _day_from(request)
    county, counties = _county_from(request, day, pk=pk)
    if county is not None and county.pk not in {c.pk for c in counties}:
        counties = sorted([*counties, county], key=lambda c: c.number)
    form = OverviewForm(initial={"dato": day, "fylke": county.pk if county else None}, counties=counties)
    context = {"form": form, "day": day, "county": county, "can_edit": can_edit_registry(request.user)}
    if county is not None:
        # The map, the municipalities and the regions' members: the same for everyone, drawn once per
        # county and date and kept as a fragment until the registry changes (core/fragments.py).
        context["overview_body"] = cached_fragment(
            "county-overview",
            [county.pk, day],
            lambda: render_to_string(
                "regions/_county_overview_body.html",
                {"overview": selectors.county_overview(county=county, on=day), "county": county, "day": day},
                request,
            ),
        )
        if pk is not None:
            # The county's own page also shows its council areas and other apps' sections (agreements).
            context["council_areas"] = list(selectors.council_area_list(county=county, on=day))
            # Which regions lack a representative or their councillor in the term that runs on the date.
            term = selectors.term_current_for_county(county=county, on=day)
            context["term"] = term
            context["gaps"] = selectors.term_gaps(term=term) if term is not None else []
            context["panels"] = county_panels.collect(request, county, day)
    return render(request, "regions/county_overview.html", context)


@require_GET
def export_view(request, fmt):
    """The registry on the chosen date (and county, if chosen) as CSV or JSON."""
    _require_view(request)
    if fmt not in ("csv", "json"):
        raise Http404  # eksport.xml used to download CSV under whatever extension the URL named
    day = _day_from(request)
    raw = request.GET.get("fylke", "").strip()
    county_id = posted_id(raw)
    county = County.objects.filter(pk=county_id).first() if county_id else None
    suffix = f"-{county.number}" if county else ""
    filename = f"register-{day.isoformat()}{suffix}.{fmt}"
    if fmt == "json":
        data = selectors.registry_export(on=day, county=county)
        response = HttpResponse(
            json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json; charset=utf-8"
        )
    else:
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        write_export_csv(response, selectors.registry_export_rows(on=day, county=county))
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def write_export_csv(stream, rows):
    """The registry rows as CSV; stored text is written as printable cells a spreadsheet never runs
    as formulas (core.validators.spreadsheet_cell)."""
    writer = csv.DictWriter(stream, fieldnames=selectors.EXPORT_CSV_COLUMNS)
    writer.writeheader()
    for row in rows:
        writer.writerow({key: spreadsheet_cell(value, multiline=True) for key, value in row.items()})


@require_GET
def region_detail_view(request, slug):
    """A region on a date: members, history, representatives, leader, model, notes, other apps' panels."""
    _require_view(request)
    region = selectors.region_get(slug=slug)
    day = _day_from(request)
    can_edit = can_edit_registry(request.user)
    # Read once here; the agreements panel reads the same lists (selectors.region_counties_on), which
    # need the undated partner counties only for a region without dated county links.
    if not region.county_links.all():
        prefetch_related_objects([region], "partner_counties")
    counties = selectors.region_counties_on(region=region, on=day)
    host = selectors.region_host_county_on(region=region, on=day)
    read = {}

    def registry():
        """The registry's part of the page (the same for everyone who opens the region on the date with
        the same right to edit it), read once for both of its fragments."""
        if not read:
            read.update(_region_registry(region, day, host=host, counties=counties, can_edit=can_edit))
        return read

    # Kept until the data changes (core.fragments), like the county overview; drawn without the request,
    # whose context processors (the header's unread count) are for the page, read with the user's posts.
    parts = [region.pk, day.isoformat(), can_edit]
    context = {
        "region": region,
        "day": day,
        "registry_head": cached_fragment(
            "region-registry-head",
            parts,
            lambda: render_to_string("regions/_region_registry_head.html", registry()),
        ),
        "panels": region_panels.collect(request, region, day),
        "registry_tail": cached_fragment(
            "region-registry-tail",
            parts,
            lambda: render_to_string("regions/_region_registry_tail.html", registry()),
        ),
    }
    return render(request, "regions/region_detail.html", context)


def _region_registry(region, day, *, host, counties, can_edit) -> dict:
    history = list(selectors.membership_history_for_region(region=region))
    appointments = selectors.appointment_overview_for_region(region=region, on=day)
    names, model_history = selectors.region_dated_rows(region=region)
    model_on_day, model_row = selectors.organisation_model_on(region=region, on=day, history=model_history)
    return {
        "host_county": host,
        "county_history": sorted(region.county_links.all(), key=lambda link: (link.valid_from or day, link.role)),
        "region": region,
        "day": day,
        "model_on_day": Region.OrganisationalModel(model_on_day).label,
        "names": names,
        "name_on_day": selectors.region_name_on(region=region, on=day, names=names),
        "model_row": model_row,
        "model_history": model_history,
        "malform_by_members": _malform_label(
            selectors.region_malform_from_members(region=region, on=day, memberships=history)
        ),
        "memberships": selectors.membership_list_on(history, on=day),
        "history": history,
        "noted_history": [m for m in history if m.note or m.source_note],
        "representatives": appointments["representatives"],
        "leaders": appointments["leaders"],
        "appointments": appointments["all"],
        "partner_counties": [c for c in counties if c != host],
        "can_edit": can_edit,
    }


def _malform_label(value):
    return Malform(value).label if value else ""


@require_GET
def municipality_detail_view(request, pk):
    """A municipality: its regions over time, its predecessors and successors."""
    _require_view(request)
    municipality = selectors.municipality_get(pk=pk)
    history = list(selectors.membership_history_for_municipality(municipality=municipality))
    recorded_from = selectors.membership_recorded_from(county=municipality.county) if municipality.county else None
    context = {
        "municipality": municipality,
        "recorded_from": recorded_from,
        "unrecorded_before": recorded_from is not None
        and (municipality.valid_from is None or municipality.valid_from < recorded_from),
        "history": history,
        "noted_history": [m for m in history if m.note or m.source_note],
        "predecessors": municipality.predecessors.select_related("county").order_by("number"),
        "successors": municipality.successors.select_related("county").order_by("number"),
        "can_edit": can_edit_registry(request.user),
    }
    return render(request, "regions/municipality_detail.html", context)


@require_GET
def council_area_list_view(request):
    """The county executive's council areas with their councillors and periods."""
    _require_view(request)
    return render(request, "regions/council_area_list.html", {"areas": selectors.council_area_list()})


@require_GET
def council_area_detail_view(request, pk):
    _require_view(request)
    area = selectors.council_area_get(pk=pk)
    staff = area.appointments.select_related("person").order_by("-valid_from")
    return render(request, "regions/council_area_detail.html", {"area": area, "appointments": staff})


# --- advisers' forms -----------------------------------------------------------------------------


def _back(obj=None):
    """Where the form's "back" link leads: the region (or council area) it concerns, else the overview."""
    if obj is not None:
        return {"url": obj.get_absolute_url(), "label": _("Back to %(name)s") % {"name": obj}}
    return {"url": reverse("regions:index"), "label": _("Back to the county overview")}


@require_http_methods(["GET", "POST"])
def membership_start_view(request):
    _require_edit(request)
    initial = {"valid_from": timezone.localdate()}
    region = selectors.Region.objects.filter(slug=request.GET.get("region", "")).first()
    if region:
        initial["region"] = region
    form = MembershipStartForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        result = {}

        def call():
            result["membership"] = services.membership_start(actor=request.user, **data)

        if call_service(form, call):
            membership = result["membership"]
            messages.success(
                request,
                _("%(municipality)s is a member of %(region)s from %(date)s.")
                % {
                    "municipality": membership.municipality,
                    "region": membership.region,
                    "date": formats.date_format(membership.valid_from),
                },
            )
            return redirect(membership.region)
    context = {"form": form, "title": _("Start a membership"), "back": _back(region)}
    return render(request, "regions/form.html", context)


@require_http_methods(["GET", "POST"])
def membership_end_view(request, pk):
    membership = permissions.membership_get_for_user(user=request.user, pk=pk)
    _require_edit(request)
    form = MembershipEndForm(request.POST or None, initial={"valid_to": timezone.localdate()})
    done = request.method == "POST" and form.is_valid()
    if done and call_service(
        form, lambda: services.membership_end(membership=membership, actor=request.user, **form.cleaned_data)
    ):
        messages.success(request, _("The membership has been ended."))
        return redirect(membership.region)
    context = {"form": form, "title": _("End a membership"), "subject": membership, "back": _back(membership.region)}
    return render(request, "regions/form.html", context)


@require_http_methods(["GET", "POST"])
def membership_move_view(request, pk):
    membership = permissions.membership_get_for_user(user=request.user, pk=pk)
    _require_edit(request)
    form = MembershipMoveForm(request.POST or None, initial={"on": timezone.localdate()})
    done = request.method == "POST" and form.is_valid()
    if done and call_service(
        form, lambda: services.membership_move(membership=membership, actor=request.user, **form.cleaned_data)
    ):
        to_region = form.cleaned_data["to_region"]
        messages.success(request, _("The municipality has moved to %(region)s.") % {"region": to_region})
        return redirect(to_region)
    context = {"form": form, "title": _("Move a membership"), "subject": membership, "back": _back(membership.region)}
    return render(request, "regions/form.html", context)


@require_http_methods(["GET", "POST"])
def appointment_start_view(request):
    _require_edit(request)
    initial = {"valid_from": timezone.localdate()}
    region = selectors.Region.objects.filter(slug=request.GET.get("region", "")).first()
    if region:
        initial["region"] = region
    form = AppointmentStartForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        result = {}

        def call():
            result["appointment"] = services.appointment_start(actor=request.user, **form.cleaned_data)

        if call_service(form, call):
            appointment = result["appointment"]
            messages.success(request, _("The appointment has been registered."))
            return redirect(appointment.region or appointment.council_area or "regions:index")
    context = {"form": form, "title": _("Appoint someone"), "back": _back(region)}
    return render(request, "regions/form.html", context)


@require_http_methods(["GET", "POST"])
def appointment_end_view(request, pk):
    appointment = permissions.appointment_get_for_user(user=request.user, pk=pk)
    _require_edit(request)
    form = AppointmentEndForm(request.POST or None, initial={"valid_to": timezone.localdate()})
    done = request.method == "POST" and form.is_valid()
    if done and call_service(
        form, lambda: services.appointment_end(appointment=appointment, actor=request.user, **form.cleaned_data)
    ):
        messages.success(request, _("The appointment has been ended."))
        return redirect(appointment.region or appointment.council_area or "regions:index")
    back = _back(appointment.region or appointment.council_area)
    context = {"form": form, "title": _("End an appointment"), "subject": appointment, "back": back}
    return render(request, "regions/form.html", context)


# --- election terms (issue 14) --------------------------------------------------------------------


@require_GET
def term_list_view(request):
    """Every county's election terms, newest first."""
    _require_view(request)
    page = Paginator(selectors.term_list(), 50).get_page(request.GET.get("page"))
    context = {"page_obj": page, "terms": page.object_list, "can_edit": can_edit_registry(request.user)}
    return render(request, "regions/term_list.html", context)


@require_http_methods(["GET", "POST"])
def term_create_view(request):
    _require_edit(request)
    form = TermForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        result = {}

        def call():
            result["term"] = services.term_create(actor=request.user, **form.cleaned_data)

        if call_service(form, call):
            messages.success(request, _("The election term has been created. Record its representatives below."))
            return redirect(result["term"])
    context = {
        "form": form,
        "title": _("New election term"),
        "back": {"url": reverse("regions:term-list"), "label": _("Election terms")},
    }
    return render(request, "regions/form.html", context)


def _person_choices():
    """Every person once, for all the grid's lists (one query)."""
    people = list(Person.objects.order_by("name", "pk"))
    choices = [(p.pk, f"{p.name} ({p.party})" if p.party else p.name) for p in people]
    return choices, {p.pk: p for p in people}


def _grid_initial(grid):
    initial = []
    for row in grid:
        values = {"region": row["region"].pk, "exception": row["exception"].reason if row["exception"] else ""}
        for slot in TERM_SLOTS:
            appointment = row["slots"][slot]
            values[f"{slot}_person"] = appointment.person_id if appointment else ""
            values[f"{slot}_party"] = appointment.party if appointment else ""
        initial.append(values)
    return initial


def _rows_from(formset, grid, people):
    regions = {row["region"].pk: row["region"] for row in grid}
    rows = []
    for form in formset:
        data = form.cleaned_data
        region = regions.get(data.get("region"))
        if region is None:
            continue  # a row for a region not on the page: ignored, as a forged one would be
        slots = {}
        for slot in TERM_SLOTS:
            person = people.get(data.get(f"{slot}_person"))
            name = "" if person else data.get(f"{slot}_name", "")
            slots[slot] = SlotEntry(person=person, name=name, party=data.get(f"{slot}_party", ""))
        rows.append(TermRow(region=region, slots=slots, exception=data.get("exception", "")))
    return rows


@require_http_methods(["GET", "POST"])
def term_detail_view(request, pk):
    """A term on one page: every region of the county, its two representatives and its councillor, what
    each lacks; for advisers the grid to record the whole term at once."""
    term = permissions.term_get_for_user(user=request.user, pk=pk)
    can_edit = can_edit_registry(request.user)
    if request.method == "POST":
        _require_edit(request)
    grid = selectors.term_grid(term=term)
    formset, errors = None, []
    if can_edit:
        choices, people = _person_choices()
        kwargs = {"form_kwargs": {"person_choices": choices, "people": people}, "prefix": "rows"}
        if request.method == "POST":
            formset = TermGridFormSet(request.POST, **kwargs)
            if formset.is_valid():
                try:
                    count = services.term_record(actor=request.user, term=term, rows=_rows_from(formset, grid, people))
                except ValidationError as error:
                    errors = error.messages
                else:
                    messages.success(request, _("The term has been saved for %(count)d regions.") % {"count": count})
                    return redirect(term)
        else:
            formset = TermGridFormSet(initial=_grid_initial(grid), **kwargs)
    context = {
        "term": term,
        "grid": grid,
        "gaps": [row for row in grid if row["missing"] and row["exception"] is None],
        "formset": formset,
        "grid_rows": list(zip(grid, formset, strict=False)) if formset is not None else [],
        "errors": errors,
        "can_edit": can_edit,
    }
    return render(request, "regions/term_detail.html", context, status=400 if errors else 200)


@require_http_methods(["GET", "POST"])
def term_import_view(request, pk):
    """A term from a CSV file: upload or paste it, see each row and every error, then confirm; nothing is
    saved while any row is in error."""
    term = permissions.term_get_for_user(user=request.user, pk=pk)
    _require_edit(request)
    form = TermImportForm(request.POST or None, request.FILES or None)
    preview = None
    if request.method == "POST" and form.is_valid():
        preview = services.term_csv_read(actor=request.user, term=term, text=form.cleaned_data["csv_text"])
        if form.cleaned_data["confirmed"] and not preview.errors:
            try:
                count = services.term_record(actor=request.user, term=term, rows=preview.rows)
            except ValidationError as error:
                preview.errors.extend((None, message) for message in error.messages)
            else:
                messages.success(request, _("The term has been imported for %(count)d regions.") % {"count": count})
                return redirect(term)
    context = {"term": term, "form": form, "preview": preview, "slots": list(TERM_SLOTS)}
    status = 400 if preview is not None and preview.errors else 200
    return render(request, "regions/term_import.html", context, status=status)


@require_POST
def appointment_renew_view(request, pk):
    """Carry a term's appointment into the county's next term."""
    appointment = permissions.appointment_get_for_user(user=request.user, pk=pk)
    _require_edit(request)
    result = {}

    def call():
        result["appointment"] = services.appointment_renew(actor=request.user, appointment=appointment)

    if call_service_messages(request, call):
        messages.success(
            request,
            _("%(person)s is renewed for %(term)s.")
            % {"person": appointment.person.name, "term": result["appointment"].term.name},
        )
    return redirect(reverse("regions:region-representatives", kwargs={"slug": appointment.region.slug}))


@require_GET
def region_representatives_view(request, slug):
    """The county's representatives and councillors of a region over time, by term."""
    _require_view(request)
    region = selectors.region_get(slug=slug)
    page = Paginator(selectors.appointment_history_representing(region=region), 50).get_page(request.GET.get("page"))
    context = {
        "region": region,
        "page_obj": page,
        "appointments": page.object_list,
        "can_edit": can_edit_registry(request.user),
    }
    return render(request, "regions/region_representatives.html", context)


@require_GET
def person_detail_view(request, pk):
    """A person's appointments over time (the registry is public; e-mail and phone are not shown)."""
    person = permissions.person_get_for_user(user=request.user, pk=pk)
    page = Paginator(selectors.appointment_history_for_person(person=person), 50).get_page(request.GET.get("page"))
    # Advisers give someone of the registry without a login one, from here (the people pages).
    can_invite = is_adviser(request.user) and person.user_id is None
    return render(
        request,
        "regions/person_detail.html",
        {"person": person, "page_obj": page, "appointments": page.object_list, "can_invite": can_invite},
    )
