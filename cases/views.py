"""Case pages. Views fetch through the scoped selectors (a hidden case is a 404), bind a form, call
one service and turn its refusals into messages (wrong status) or a 403 (a step the user's role never
allows on this case)."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.permissions import is_adviser
from core.forms import add_service_errors, call_service_messages
from core.fragments import cached_fragment, filter_fields_fragment
from core.pagination import CappedPaginator
from core.panels import case_panels
from core.screening import ScreeningForm, screening_form_refusal
from core.uploads import upload_response
from partnerships.selectors import priority_get_for_user

from . import exports, services
from . import permissions as perms
from .filters import case_filter_for, filtered_cases
from .forms import (
    AnchoringForm,
    AssignForm,
    AttachmentForm,
    CaseForm,
    RegionsSendForm,
    RouteForm,
    TextForm,
    TopicForm,
    TopicMappingForm,
    TrackingPeriodForm,
)
from .hooks import case_extra_regions, timeline_guards
from .models import Case, RegionRequest, Routing
from .selectors import (
    TRACKING_YEARS,
    advisers_for_case,
    anchoring_get_for_user,
    anchoring_municipality_list,
    attachment_get_for_user,
    case_anchoring_strength_from,
    case_export_get_for_user,
    case_get_for_user,
    case_inbox_lanes,
    case_tags,
    case_visibility_key,
    council_areas_for_routing,
    region_member_list,
    region_request_get_for_user,
    routing_get_for_user,
    topic_get_for_user,
    topic_list,
    topic_suggestions,
    tracking_data,
    tracking_period,
)
from .svg import bar_chart


def _refused(form, fallback) -> ValidationError:
    """Why a step's form was refused: what the user left out (the step's own sentence), or else
    exactly what was wrong with what they wrote (too long, a control character, an unknown choice)."""
    problems = [
        message
        for errors in form.errors.as_data().values()
        for error in errors
        if error.code != "required"
        for message in error
    ]
    return ValidationError(problems or [fallback])


def _step(request, call, done) -> None:
    """A step of a button or a small form on the case page: its refusals as error messages (nothing
    changed), else `done` as the success message."""
    if call_service_messages(request, call):
        messages.success(request, done)


def _filtered(request):
    return case_filter_for(user=request.user, data=request.GET)


def _priority_filter(request, case_filter):
    """When the list is filtered by an agreement priority (the agreement page links here): the priority,
    if the user may read its agreement, and the same list's address without it."""
    lineage = case_filter.form.cleaned_data.get("priority") if case_filter.is_bound and case_filter.is_valid() else None
    if not lineage:
        return None
    rest = request.GET.copy()
    for name in ("priority", "page"):
        rest.pop(name, None)
    return {"priority": priority_get_for_user(user=request.user, lineage=lineage), "without": rest.urlencode()}


def case_list_view(request):
    """All cases the user may see, with filters, search and export links."""
    case_filter = _filtered(request)
    qs = filtered_cases(case_filter)
    page = CappedPaginator(qs, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    # The filter's fields (every region and council area as a choice) are the page's costliest part to
    # draw and depend only on what was asked: kept as a fragment (core/fragments.py).
    filter_fields = filter_fields_fragment("case-filter", request, case_filter.form, "cases/_case_filter_fields.html")
    return render(
        request,
        "cases/case_list.html",
        {
            "filter": case_filter,
            "filter_fields": filter_fields,
            "priority_filter": _priority_filter(request, case_filter),
            "page_obj": page,
            "cases": page.object_list,
            "query_string": query.urlencode(),
            "can_create": perms.can_create_case(request.user),
            "today": timezone.localdate(),
        },
    )


def case_export_view(request, fmt):
    """The filtered list as CSV (streamed) or Excel; only cases the user may see. An Excel file of
    more than CASE_EXPORT_SYNC_LIMIT cases is built by a job on request (POST) and the user is
    notified with a link."""
    if fmt not in ("csv", "xlsx"):
        raise Http404
    qs = filtered_cases(_filtered(request))
    if fmt == "csv":
        return exports.csv_response(qs)
    count = qs.count()
    limit = settings.CASE_EXPORT_SYNC_LIMIT
    if count <= limit:
        return exports.xlsx_response(qs)
    query = request.GET.urlencode()
    if request.method == "POST":
        services.case_export_request(actor=request.user, query=query)
        messages.success(
            request,
            _("The Excel file is being prepared. You get a notification with a link to it when it is ready."),
        )
        return redirect(reverse("cases:index") + (f"?{query}" if query else ""))
    return render(
        request, "cases/export_confirm.html", {"count": count, "limit": limit, "query_string": query}, status=200
    )


def export_download_view(request, pk):
    """A prepared export, for the user who asked for it only (404 for anyone else)."""
    export = case_export_get_for_user(user=request.user, pk=pk)
    return upload_response(
        export.file,
        filename=f"saker-{timezone.localtime(export.created_at).date().isoformat()}.xlsx",
        content_type=exports.XLSX_CONTENT_TYPE,
    )


def case_create_view(request):
    if not perms.can_create_case(request.user):
        raise PermissionDenied
    form = CaseForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        submit = request.POST.get("action") != "draft"
        try:
            case = services.case_create_and_send(
                actor=request.user,
                attachment=data.get("attachment"),
                submit=submit,
                title=data["title"],
                description=data["description"],
                topic=data["topic"],
                direction=data["direction"],
                origin_region=data.get("origin_region"),
                origin_council_area=data.get("origin_council_area"),
                urgency=data["urgency"],
                deadline=data["deadline"],
                visibility=data["visibility"],
                priorities=data.get("priorities"),
                instruments=data.get("instruments"),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if submit:
                messages.success(
                    request,
                    _("The case is sent to the coordination unit with reference %(reference)s.")
                    % {"reference": case.reference},
                )
            else:
                messages.success(request, _("The draft is saved. Submit it when it is ready."))
            return redirect(case)
    return render(request, "cases/case_form.html", {"form": form, "case": None})


def case_update_view(request, pk):
    case = case_get_for_user(user=request.user, pk=pk)
    if not perms.can_edit_case(request.user, case):
        raise PermissionDenied
    initial = {name: getattr(case, name) for name in services.EDITABLE_FIELDS}
    initial["priorities"] = list(case.priorities.all())
    initial["instruments"] = list(case.instruments.all())
    form = CaseForm(request.POST or None, user=request.user, case=case, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.case_update(
                case=case,
                actor=request.user,
                priorities=data.get("priorities"),
                instruments=data.get("instruments"),
                **{name: data[name] for name in services.EDITABLE_FIELDS},
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The case is saved."))
            return redirect(case)
    return render(request, "cases/case_form.html", {"form": form, "case": case})


def case_detail_view(request, pk, *, attachment_form=None, status=200):
    """The case page: facts, the steps the user may take, routings, answers, anchoring, attachments,
    agenda items and the timeline (with a refused upload's bound form when attachment_form is given)."""
    user = request.user
    case = case_get_for_user(user=user, pk=pk)
    adviser = is_adviser(user)
    county_side = adviser or bool(perms.council_area_ids_staffed_now(user=user))
    routings = list(case.routings.select_related("council_area", "routed_by", "answered_by"))
    for routing in routings:
        # Each role is offered the steps of its own work; an adviser may answer for an area only
        # through an explicit "on behalf of" form, which the trail records.
        answerable = perms.can_answer_routing(user, routing)
        own = perms.staffs_area_of(user, routing)
        routing.can_acknowledge = own and perms.can_acknowledge_routing(user, routing)
        routing.can_answer = answerable and own
        routing.can_answer_on_behalf = answerable and not own
    requests = list(case.region_requests.select_related("region", "answered_by"))
    for request_ in requests:
        answerable = perms.can_answer_region_request(user, request_)
        own = perms.leads_region_asked(user, request_)
        request_.can_answer = answerable and own
        request_.can_answer_on_behalf = answerable and not own
    events = case.events.select_related("actor")
    if not county_side:
        events = events.filter(visibility=Case.Visibility.SHARED)
    events = list(events)
    # A meeting's step keeps its text from who may not see the meeting (its minutes may be exempt).
    withheld = timeline_guards.withheld(user=user, events=events)
    for event in events:
        event.withheld = event.pk in withheld
    can = {
        "edit": perms.can_edit_case(user, case),
        "submit": perms.can_submit_case(user, case),
        "receive": perms.can_receive_case(user, case),
        "assign": perms.can_assign_case(user, case),
        "flag": perms.can_flag_case(user, case),
        "route": perms.can_route_case(user, case),
        "send_to_regions": perms.can_send_to_regions_case(user, case),
        "return": perms.can_return_case(user, case),
        "send_answer": perms.can_send_answer_case(user, case),
        "close": perms.can_close_case(user, case),
        "withdraw": perms.can_withdraw_case(user, case),
        "attach": perms.can_add_attachment_case(user, case),
        "anchor": perms.can_record_anchoring_case(user, case),
        "screen": perms.can_screen_case(user, case),
    }
    withdraw_on_behalf = can["withdraw"] and perms.withdraws_on_behalf(user, case)
    # The steps offered in the side column (attachments and anchoring sit with their sections), and
    # whether the user's own step is an answer in the council areas' or regions' section.
    has_side_steps = any(can[name] for name in can if name not in ("attach", "anchor", "screen"))
    answer_elsewhere = any(r.can_answer or r.can_acknowledge for r in routings) or any(r.can_answer for r in requests)
    # Each list is read once: the members count for the anchoring strength and are the anchoring form's
    # choices for the origin region; the anchorings are listed and counted. Another region the case belongs
    # to (cases.hooks.case_extra_regions) records its own municipalities: their rows are listed apart and
    # do not count for the strength.
    members = list(region_member_list(case=case)) if case.origin_region_id else []
    anchorings = list(case.anchorings.select_related("municipality")) if case.origin_region_id else []
    anchoring_regions = perms.anchoring_region_ids(user, case) if can["anchor"] else set()
    if not anchoring_regions:
        own_municipalities = []
    elif anchoring_regions == {case.origin_region_id}:
        own_municipalities = members
    else:
        own_municipalities = list(anchoring_municipality_list(case=case, region_ids=anchoring_regions))
    anchoring_form = AnchoringForm(municipalities=own_municipalities) if anchoring_regions else None
    own_ids, member_ids = {m.pk for m in own_municipalities}, {m.pk for m in members}
    for anchoring in anchorings:
        anchoring.can_remove = bool(anchoring_regions) and (adviser or anchoring.municipality_id in own_ids)
    # The areas the case may go to, read once with the topic's suggestion among them (shown with the
    # routing form only); their counties are those whose advisers it may be assigned to.
    region_ids = {r.region_id for r in requests} | ({case.origin_region_id} if case.origin_region_id else set())
    areas = list(council_areas_for_routing(case=case, region_ids=region_ids)) if can["route"] else None
    suggestion = next((area for area in areas if area.suggested), None) if areas else None
    priorities, instruments = case_tags(case=case)
    route_form = (
        RouteForm(
            initial={"council_areas": [suggestion] if suggestion else []}, auto_id="route_%s", council_areas=areas
        )
        if can["route"]
        else None
    )
    county_ids = {area.county_id for area in areas} if areas else None
    context = {
        "case": case,
        "can": can,
        "has_side_steps": has_side_steps,
        "answer_elsewhere": answer_elsewhere,
        "withdraw_on_behalf": withdraw_on_behalf,
        "county_side": county_side,
        "routings": routings,
        "region_requests": requests,
        "events": events,
        "attachments": _with_screening_forms(case.attachments.all(), can["screen"]),
        "anchorings": [a for a in anchorings if a.municipality_id in member_ids],
        "other_anchorings": [a for a in anchorings if a.municipality_id not in member_ids],
        "anchoring_for_member_region": bool(anchoring_regions) and case.origin_region_id not in anchoring_regions,
        "strength": case_anchoring_strength_from(case=case, members=members, anchorings=anchorings),
        "priorities": priorities,
        "instruments": instruments,
        "suggestion": suggestion,
        "route_form": route_form,
        "regions_form": RegionsSendForm(auto_id="regions_%s", user=request.user) if can["send_to_regions"] else None,
        "assign_form": AssignForm(
            initial={"assignee": case.assigned_to}, advisers=advisers_for_case(case=case, county_ids=county_ids)
        )
        if can["assign"]
        else None,
        "answer_form": TextForm(
            label=gettext_lazy("Answer to send"), auto_id="answer_%s", initial={"text": _collected_answer(case)}
        )
        if can["send_answer"]
        else None,
        "return_form": TextForm(label=gettext_lazy("What more information is needed"), auto_id="return_%s")
        if can["return"]
        else None,
        "flag_form": TextForm(label=gettext_lazy("Why the case cannot be routed"), auto_id="flag_%s")
        if can["flag"]
        else None,
        "withdraw_form": TextForm(label=gettext_lazy("Reason"), required=False, auto_id="withdraw_%s")
        if can["withdraw"]
        else None,
        "close_form": TextForm(label=gettext_lazy("Comment"), required=False, auto_id="close_%s")
        if can["close"]
        else None,
        "attachment_form": (attachment_form or AttachmentForm()) if can["attach"] else None,
        "anchoring_form": anchoring_form,
        "screening_form": ScreeningForm(instance=case, prefix="screening") if can["screen"] else None,
        # Sections other apps add (the meetings the case is on), composed without importing them.
        "panels": case_panels.collect(request, case),
        "today": timezone.localdate(),
    }
    return render(request, "cases/case_detail.html", context, status=status)


def _with_screening_forms(attachments, can_screen):
    """The attachments, each with its screening form for an adviser (one prefix per attachment)."""
    attachments = list(attachments)
    for attachment in attachments:
        attachment.screening_form = (
            ScreeningForm(instance=attachment, prefix=f"attachment-{attachment.pk}") if can_screen else None
        )
    return attachments


def _collected_answer(case):
    """The answer to send starts as what came back: each council area's (or region's) answer under its
    name, for the adviser to edit instead of retyping."""
    if case.is_from_region:
        parts = case.routings.filter(state=Routing.State.ANSWERED).select_related("council_area")
        pairs = [(str(r.council_area), r.answer) for r in parts.order_by("council_area__name")]
    else:
        parts = case.region_requests.filter(state=RegionRequest.State.ANSWERED).select_related("region")
        pairs = [(r.region.name, r.answer) for r in parts.order_by("region__name")]
    if len(pairs) == 1:
        return pairs[0][1]
    return "\n\n".join(f"{name}:\n{answer}" for name, answer in pairs)


# --- transitions ------------------------------------------------------------------------------------

STEP_MESSAGES = {
    "submit": gettext_lazy("The case is submitted to the coordination unit."),
    "receive": gettext_lazy("The case is marked as received."),
    "return": gettext_lazy("The case is returned to the sender for more information."),
    "withdraw": gettext_lazy("The case is withdrawn."),
    "close": gettext_lazy("The case is closed."),
    "send-answer": gettext_lazy("The answer is sent."),
    "flag": gettext_lazy("The case is flagged and stays in the inbox."),
    "assign": gettext_lazy("The assignment is saved."),
    "route": gettext_lazy("The case is routed."),
    "send-to-regions": gettext_lazy("The case is sent to the regions."),
}


def _valid(form, fallback):
    """The form's cleaned data, or the step refused with what was wrong (see _refused)."""
    if not form.is_valid():
        raise _refused(form, fallback)
    return form.cleaned_data


def _text(request, *, required):
    return _valid(TextForm(request.POST, required=required), _("Fill in the text field."))["text"]


def _withdraw(request, case):
    on_behalf = request.POST.get("on_behalf") == "1"
    reason = _text(request, required=False)
    return services.case_withdraw(case=case, actor=request.user, reason=reason, on_behalf=on_behalf)


def _route(request, case):
    data = _valid(
        RouteForm(request.POST, council_areas=council_areas_for_routing(case=case)),
        _("Choose at least one council area, or flag the case with the reason it cannot be routed."),
    )
    return services.case_route(
        case=case, actor=request.user, council_areas=data["council_areas"], comment=data["comment"]
    )


def _send_to_regions(request, case):
    data = _valid(
        RegionsSendForm(request.POST, user=request.user), _("Choose at least one region, or send to every region.")
    )
    regions = None if data["all_regions"] else data["regions"]
    return services.case_regions_send(case=case, actor=request.user, regions=regions, comment=data["comment"])


# Each step of the case page's forms: what it reads from the POST and the service it calls.
STEPS = {
    "submit": lambda request, case: services.case_submit(case=case, actor=request.user),
    "receive": lambda request, case: services.case_receive(case=case, actor=request.user),
    "return": lambda request, case: services.case_return(
        case=case, actor=request.user, reason=_text(request, required=True)
    ),
    "withdraw": _withdraw,
    "close": lambda request, case: services.case_close(
        case=case, actor=request.user, comment=_text(request, required=False)
    ),
    "send-answer": lambda request, case: services.case_send_answer(
        case=case, actor=request.user, answer=_text(request, required=True)
    ),
    "flag": lambda request, case: services.case_flag(
        case=case, actor=request.user, problem=_text(request, required=True)
    ),
    "assign": lambda request, case: services.case_assign(
        case=case,
        actor=request.user,
        assignee=_valid(AssignForm(request.POST, advisers=advisers_for_case(case=case)), _("Choose an adviser."))[
            "assignee"
        ],
    ),
    "route": _route,
    "send-to-regions": _send_to_regions,
}


@require_POST
def case_step_view(request, pk, step):
    """One workflow step by POST. Hidden case: 404; step never allowed for the user: 403; step not
    possible in the case's status or bad input: a message, nothing changed."""
    if step not in STEPS:
        raise Http404
    case = case_get_for_user(user=request.user, pk=pk)
    _step(request, lambda: STEPS[step](request, case), STEP_MESSAGES[step])
    if not perms.can_view_case(request.user, case):
        return redirect("cases:index")
    return redirect(case)


@require_POST
def routing_acknowledge_view(request, pk):
    routing = routing_get_for_user(user=request.user, pk=pk)
    _step(
        request,
        lambda: services.routing_acknowledge(routing=routing, actor=request.user),
        _("The routing is acknowledged."),
    )
    return redirect(routing.case)


def _answer(request, answered, answer, done):
    """Save the answer the form holds through `answer(text, on_behalf)`; refusals as messages."""
    form = TextForm(request.POST)

    def call():
        if not form.is_valid():
            raise _refused(form, _("Write the answer."))
        answer(form.cleaned_data["text"], request.POST.get("on_behalf") == "1")

    _step(request, call, done)
    return redirect(answered.case)


@require_POST
def routing_answer_view(request, pk):
    routing = routing_get_for_user(user=request.user, pk=pk)
    return _answer(
        request,
        routing,
        lambda text, on_behalf: services.routing_answer(
            routing=routing, actor=request.user, answer=text, on_behalf=on_behalf
        ),
        _("The answer is saved and sent to the coordination unit."),
    )


@require_POST
def region_request_answer_view(request, pk):
    region_request = region_request_get_for_user(user=request.user, pk=pk)
    return _answer(
        request,
        region_request,
        lambda text, on_behalf: services.region_request_answer(
            region_request=region_request, actor=request.user, answer=text, on_behalf=on_behalf
        ),
        _("The region's answer is saved."),
    )


# --- attachments, anchoring, agenda -------------------------------------------------------------------


@require_POST
def attachment_upload_view(request, pk):
    """A refused file is shown on the form field of the case page (status 400); nothing is stored."""
    case = case_get_for_user(user=request.user, pk=pk)
    if not perms.can_add_attachment_case(request.user, case):
        raise PermissionDenied
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.attachment_add(case=case, actor=request.user, uploaded_file=form.cleaned_data["file"])
        except ValidationError as error:
            form.add_error("file" if hasattr(error, "error_dict") else None, error)
        else:
            messages.success(request, _("The file is attached."))
            return redirect(case)
    # The form sits low on the case page: say so at the top, and put the cursor on the field.
    messages.error(request, _("The file was not attached: see the reason under Attachments."))
    form.fields["file"].widget.attrs["autofocus"] = True
    return case_detail_view(request, case.pk, attachment_form=form, status=400)


def attachment_download_view(request, pk):
    """Only through this view, for users who may see the case; always as a download."""
    attachment = attachment_get_for_user(user=request.user, pk=pk)
    return upload_response(attachment.file, filename=attachment.original_name, content_type=attachment.content_type)


def _screening_set(request, form, service) -> None:
    """Bind the posted screening and call the service; a refusal is a message, nothing changed."""

    def call():
        if not form.is_valid():
            raise screening_form_refusal(form)
        service(**form.cleaned_data)

    _step(request, call, _("The screening is saved."))


@require_POST
def case_screening_view(request, pk):
    """An adviser sets what the public may see of the case (offentleglova)."""
    case = case_get_for_user(user=request.user, pk=pk)
    if not perms.can_screen_case(request.user, case):
        raise PermissionDenied
    form = ScreeningForm(request.POST, prefix="screening")
    _screening_set(request, form, lambda **data: services.case_screening_set(case=case, actor=request.user, **data))
    return redirect(case)


@require_POST
def attachment_screening_view(request, pk):
    """An adviser sets what the public may see of one attachment (not set: it follows its case)."""
    attachment = attachment_get_for_user(user=request.user, pk=pk)
    if not perms.can_screen_case(request.user, attachment.case):
        raise PermissionDenied
    form = ScreeningForm(request.POST, prefix=f"attachment-{attachment.pk}")
    _screening_set(
        request,
        form,
        lambda **data: services.attachment_screening_set(attachment=attachment, actor=request.user, **data),
    )
    return redirect(attachment.case)


@require_POST
def anchoring_record_view(request, pk):
    case = case_get_for_user(user=request.user, pk=pk)
    if not perms.can_record_anchoring_case(request.user, case):
        raise PermissionDenied
    # Bound with the municipalities of every region the case belongs to, so that one of another region's
    # is refused by the service with its reason (each region records its own), not as an unknown choice.
    regions = {case.origin_region_id, *case_extra_regions.region_ids(case)}
    form = AnchoringForm(request.POST, municipalities=anchoring_municipality_list(case=case, region_ids=regions))

    def call():
        if not form.is_valid():
            raise ValidationError(
                [
                    f"{form.fields[f].label if f in form.fields else ''}: {e}"
                    for f, errs in form.errors.items()
                    for e in errs
                ]
            )
        services.anchoring_record(case=case, actor=request.user, **form.cleaned_data)

    _step(request, call, _("The anchoring is recorded."))
    return redirect(case)


@require_POST
def anchoring_remove_view(request, pk):
    anchoring = anchoring_get_for_user(user=request.user, pk=pk)
    case = anchoring.case
    if not perms.can_record_anchoring_case(request.user, case):
        raise PermissionDenied
    _step(
        request,
        lambda: services.anchoring_remove(anchoring=anchoring, actor=request.user),
        _("The anchoring is removed."),
    )
    return redirect(case)


# --- inbox, mapping, tracking ---------------------------------------------------------------------------


def inbox_view(request):
    """The coordination unit's inbox: one door in. Each lane is paged on its own (`<lane>_page`)."""
    if not perms.can_view_inbox(request.user):
        raise PermissionDenied
    today = timezone.localdate()
    suggestions = topic_suggestions()
    lanes, counts = case_inbox_lanes(
        today=today,
        pages={name: request.GET.get(f"{name}_page") for name in INBOX_LANE_NAMES},
        scope=perms.county_case_filter(request.user),
    )
    for lane in lanes.values():
        for case in lane.cases:
            case.suggested = suggestions.get(case.topic)
        lane.previous_query = _lane_query(request, lane, lane.previous_page_number)
        lane.next_query = _lane_query(request, lane, lane.next_page_number)
    return render(
        request,
        "cases/inbox.html",
        {
            "lanes": lanes,
            "inbox": {name: lane.cases for name, lane in lanes.items()},
            "counts": counts,
            "today": today,
        },
    )


INBOX_LANE_NAMES = ("flagged", "new", "received", "answered", "overdue")


def _lane_query(request, lane, number):
    """The inbox's query string with one lane turned to another page, the other lanes where they are."""
    query = request.GET.copy()
    if number > 1:
        query[f"{lane.name}_page"] = str(number)
    else:
        query.pop(f"{lane.name}_page", None)
    return query.urlencode()


def topic_list_view(request):
    """The case topics and whether each is offered for new cases; advisers add and edit them."""
    if not perms.can_manage_topic_mapping(request.user):
        raise PermissionDenied
    page = CappedPaginator(topic_list(), 50).get_page(request.GET.get("page"))
    return render(request, "cases/topic_list.html", {"page_obj": page})


def _topic_form_page(request, form, topic, status=200):
    return render(request, "cases/topic_form.html", {"form": form, "topic": topic}, status=status)


def topic_create_view(request):
    if not perms.can_manage_topic_mapping(request.user):
        raise PermissionDenied
    form = TopicForm(request.POST or None)
    if request.method != "POST":
        return _topic_form_page(request, form, None)
    if form.is_valid():
        try:
            services.topic_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The topic was added and is offered for new cases."))
            return redirect("cases:topic-list")
    return _topic_form_page(request, form, None, status=400)


def topic_edit_view(request, pk):
    topic = topic_get_for_user(user=request.user, pk=pk)
    if not perms.can_manage_topic_mapping(request.user):
        raise PermissionDenied
    initial = {"name": topic.name, "name_nn": topic.name_nn, "order": topic.order, "active": topic.active}
    form = TopicForm(request.POST or None, topic=topic, initial=initial)
    if request.method != "POST":
        return _topic_form_page(request, form, topic)
    if form.is_valid():
        try:
            services.topic_update(actor=request.user, topic=topic, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The topic was saved."))
            return redirect("cases:topic-list")
    return _topic_form_page(request, form, topic, status=400)


def topic_mapping_view(request):
    if not perms.can_manage_topic_mapping(request.user):
        raise PermissionDenied
    suggestions = topic_suggestions()
    form = TopicMappingForm(request.POST or None, suggestions=suggestions)
    if request.method == "POST" and form.is_valid():
        for name, council_area in form.cleaned_data.items():
            services.topic_mapping_set(actor=request.user, topic=name.removeprefix("topic_"), council_area=council_area)
        messages.success(request, _("The suggested council areas are saved."))
        return redirect("cases:inbox")
    return render(request, "cases/topic_mapping.html", {"form": form})


def tracking_view(request):
    """Which cases reached which council area, how fast they were answered, and anchoring by region.
    The tables are a fragment kept until the data changes (core/fragments.py), shared by everyone who
    sees the same cases for the same period."""
    today = timezone.localdate()
    form = TrackingPeriodForm(request.GET or None, today=today, years=TRACKING_YEARS)
    year = form.cleaned_data["aar"] if form.is_valid() else None
    period = tracking_period(today=today, year=year)
    tables = cached_fragment(
        "tracking",
        (case_visibility_key(user=request.user), *period, today),
        lambda: render_to_string("cases/_tracking_tables.html", _tracking_context(request, today, period), request),
    )
    return render(request, "cases/tracking.html", {"tables": tables, "period_form": form, "year": year})


def _tracking_context(request, today, period):
    data = tracking_data(user=request.user, today=today, period=period)
    median_chart = bar_chart(
        [(str(row["area"]), row["median"]) for row in data["medians"] if row["median"] is not None],
        unit=_("days"),
        scale_at_least=7,  # a week: an answer the same day is a short bar, not a full one
        title=_("Median days from submission to answer per council area"),
    )
    anchoring_charts = [
        {
            "topic": group,
            "svg": bar_chart(
                [(row["region"].name, row["percent"]) for row in group["rows"]],
                unit="%",
                maximum=100,
                title=_("Anchoring strength by region: %(topic)s") % {"topic": group["label"]},
            ),
        }
        for group in data["anchoring"]
    ]
    return {**data, "median_chart": median_chart, "anchoring_charts": anchoring_charts, "today": today}
