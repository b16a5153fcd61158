"""Meeting pages: fetch (scoped), authorise, bind the form, call the service, message, redirect."""

import calendar
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from accounts.permissions import is_adviser
from cases.permissions import can_schedule_case
from cases.selectors import case_get_for_user
from core.forms import add_service_errors, message_service_errors, posted_id
from core.fragments import filter_fields_fragment, kept_value
from core.pagination import CappedPaginator
from core.screening import ScreeningForm, screening_form_refusal
from regions.selectors import region_get

from . import selectors, services
from .forms import (
    AgendaItemDetailedForm,
    AgendaItemForm,
    CancelForm,
    CaseAgendaForm,
    CaseMoveForm,
    FilterForm,
    MeetingEditForm,
    MeetingForm,
    MeetingMoveForm,
    MinutesForm,
    ParticipantForm,
    ReferenceInputForm,
    SeriesForm,
)
from .ical import calendar_bytes
from .models import AgendaItem, Meeting, MinutesEntry
from .pdf import render_pdf
from .permissions import can_follow_region_meetings, can_manage_meetings, can_propose_agenda_item


def _require_manager(user):
    """Only the coordination unit manages meetings. Call it after the object is fetched through its
    access function: a meeting the user cannot see is 404, one they see but may not manage 403
    (docs/adr/0004-404-not-403.md)."""
    if not can_manage_meetings(user):
        raise PermissionDenied


def _filters(request):
    councillors = selectors.councillor_list()
    form = FilterForm(request.GET or None, councillors=councillors)
    values = {"region": None, "kind": "", "councillor": None}
    if form.is_valid():
        values.update({k: v for k, v in form.cleaned_data.items() if v})
    query = request.GET.copy()
    query.pop("page", None)
    return form, values, query.urlencode()


def _filter_fields(request, form):
    """The filter's fields (every region and the day's councillors as choices, the costliest part of the
    list and the calendar to draw), kept as a fragment for what was asked on the day (core/fragments.py)."""
    return filter_fields_fragment(
        "meeting-filter",
        request,
        form,
        "meetings/_filter_fields.html",
        context_name="filter_form",
        parts=[timezone.localdate()],
    )


def meeting_list_view(request):
    """Upcoming meetings, filterable by region, kind and councillor."""
    form, values, query = _filters(request)
    page = CappedPaginator(selectors.meeting_list_upcoming_for(user=request.user, **values), 50).get_page(
        request.GET.get("page")
    )
    today = timezone.localdate()
    return render(
        request,
        "meetings/meeting_list.html",
        {
            "filter_fields": _filter_fields(request, form),
            "meetings": page.object_list,
            "page_obj": page,
            "query": query,
            "query_string": query,
            "can_manage": can_manage_meetings(request.user),
            "this_month": reverse("meetings:calendar", kwargs={"year": today.year, "month": today.month}),
        },
    )


def meeting_calendar_view(request, year=None, month=None):
    """A month as an accessible table, with the month's meetings in their days."""
    today = timezone.localdate()
    year, month = year or today.year, month or today.month
    if not (1 <= month <= 12 and 2000 <= year <= 2100):
        raise Http404
    form, values, query = _filters(request)
    meetings = selectors.meeting_list_in_month(user=request.user, year=year, month=month, **values)
    by_day = {}
    for meeting in meetings:
        by_day.setdefault(timezone.localtime(meeting.start).date(), []).append(meeting)
    weeks = [
        [
            {"day": day, "in_month": day.month == month, "today": day == today, "meetings": by_day.get(day, [])}
            for day in week
        ]
        for week in calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    ]
    first = date(year, month, 1)
    previous = date(year - 1, 12, 1) if month == 1 else date(year, month - 1, 1)
    following = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
    return render(
        request,
        "meetings/meeting_calendar.html",
        {
            "filter_fields": _filter_fields(request, form),
            "query": query,
            "weeks": weeks,
            "month": first,
            "previous": previous,
            "following": following,
            "weekdays": [date(2024, 1, d) for d in range(1, 8)],  # Monday 1 January 2024 ... Sunday
        },
    )


def meeting_detail_view(request, pk):
    """The meeting page: two-lane agenda, participants and minutes."""
    meeting = selectors.meeting_get_for_user(user=request.user, pk=pk)
    manage = can_manage_meetings(request.user)
    items, participants = selectors.meeting_get_detail(meeting=meeting)
    lanes = selectors.agenda_lanes(items, include_proposals=manage)
    return render(
        request,
        "meetings/meeting_detail.html",
        {
            "meeting": meeting,
            "lanes": lanes,
            "participants": participants,
            "can_manage": manage,
            "can_propose": can_propose_agenda_item(request.user, meeting),
            "has_minutes": any(getattr(item, "minutes", None) for item in items),
            "reference_inputs": meeting.reference_inputs.select_related("case") if manage else [],
        },
    )


def meeting_create_view(request):
    _require_manager(request.user)
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            meeting = services.meeting_create(
                actor=request.user,
                title=data["title"],
                start=data["start"],
                end=data["end"],
                kind=data["kind"],
                region=data["region"],
                body=data["body"],
                location=data["location"],
                video_link=data["video_link"],
                agenda_cutoff_days=data["agenda_cutoff_days"],
                reminder_lead_days=data["reminder_lead_days"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The meeting has been created and the region's representatives invited."))
            return redirect(meeting)
    return render(request, "meetings/form.html", {"form": form, "heading": _("New meeting")})


def meeting_edit_view(request, pk):
    meeting = selectors.meeting_get_for_user(user=request.user, pk=pk)
    _require_manager(request.user)
    initial = {"title": meeting.title, "location": meeting.location, "video_link": meeting.video_link}
    form = MeetingEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_update(meeting=meeting, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The meeting has been changed."))
            return redirect(meeting)
    return render(request, "meetings/form.html", {"form": form, "heading": _("Change meeting"), "meeting": meeting})


def meeting_move_view(request, pk):
    meeting = selectors.meeting_get_for_user(user=request.user, pk=pk)
    _require_manager(request.user)
    start, end = timezone.localtime(meeting.start), timezone.localtime(meeting.end)
    form = MeetingMoveForm(
        request.POST or None, initial={"date": start.date(), "start_time": start.time(), "end_time": end.time()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_move(
                meeting=meeting, actor=request.user, start=form.cleaned_data["start"], end=form.cleaned_data["end"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The meeting has been moved and the reminders planned again."))
            return redirect(meeting)
    return render(request, "meetings/form.html", {"form": form, "heading": _("Move meeting"), "meeting": meeting})


def meeting_cancel_view(request, pk):
    meeting = selectors.meeting_get_for_user(user=request.user, pk=pk)
    _require_manager(request.user)
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_cancel(meeting=meeting, actor=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The meeting has been cancelled and the participants notified."))
            return redirect(meeting)
    return render(request, "meetings/form.html", {"form": form, "heading": _("Cancel meeting"), "meeting": meeting})


def _post_action(request, pk, action, success):
    meeting = selectors.meeting_get_for_user(user=request.user, pk=pk)
    _require_manager(request.user)
    try:
        action(meeting=meeting, actor=request.user)
    except ValidationError as error:
        message_service_errors(request, error)
    else:
        messages.success(request, success)
    return redirect(meeting)


@require_POST
def meeting_publish_view(request, pk):
    return _post_action(
        request, pk, services.agenda_publish, _("The agenda has been published and the invitations are on their way.")
    )


@require_POST
def meeting_held_view(request, pk):
    return _post_action(request, pk, services.meeting_mark_held, _("The meeting is recorded as held."))


@require_POST
def minutes_approve_view(request, pk):
    return _post_action(request, pk, services.minutes_approve, _("The minutes are approved and now public."))


def _with_screening_forms(lanes, prefix):
    """Each agenda item of the lanes with its screening form (for the coordination unit's pages)."""
    for items in lanes.values():
        for item in items:
            item.screening_form = ScreeningForm(instance=item, prefix=f"{prefix}-{item.pk}")
    return lanes


def _screening_post(request, item, service, prefix) -> None:
    form = ScreeningForm(request.POST, prefix=f"{prefix}-{item.pk}")
    try:
        if not form.is_valid():
            raise screening_form_refusal(form)
        service(**form.cleaned_data)
    except ValidationError as error:
        message_service_errors(request, error)
    else:
        messages.success(request, _("The screening is saved."))


@require_POST
def agenda_item_screening_view(request, pk):
    """The coordination unit sets what the public may see of an agenda item."""
    item = selectors.agenda_item_get_for_user(user=request.user, pk=pk)
    _require_manager(request.user)
    _screening_post(
        request,
        item,
        lambda **data: services.agenda_item_screening_set(item=item, actor=request.user, **data),
        "item",
    )
    return redirect("meetings:agenda-builder", pk=item.meeting_id)


@require_POST
def minutes_screening_view(request, pk):
    """The coordination unit sets what the public may see of an agenda item's minutes."""
    item = selectors.agenda_item_get_for_user(user=request.user, pk=pk)
    _require_manager(request.user)
    _screening_post(
        request,
        item,
        lambda **data: services.minutes_screening_set(item=item, actor=request.user, **data),
        "minutes",
    )
    return redirect("meetings:minutes-edit", pk=item.meeting_id)


def agenda_builder_view(request, pk):
    """Advisers build the agenda: add items, reorder, accept proposals, pull in cases."""
    meeting = selectors.meeting_get_for_user(user=request.user, pk=pk)
    _require_manager(request.user)
    form = AgendaItemDetailedForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.agenda_item_add_detailed(meeting=meeting, actor=request.user, **data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The item has been added to the agenda."))
            return redirect("meetings:agenda-builder", pk=meeting.pk)
    items, _participants = selectors.meeting_get_detail(meeting=meeting)
    return render(
        request,
        "meetings/agenda_builder.html",
        {
            "meeting": meeting,
            "form": form,
            "lanes": _with_screening_forms(selectors.agenda_lanes(items), "item"),
            "rejected": [item for item in items if item.state == AgendaItem.State.REJECTED],
            "cases": selectors.agenda_case_list_for_builder(user=request.user, meeting=meeting)[:50],
            "after_cutoff": timezone.now() >= meeting.cutoff_at,
        },
    )


@require_POST
def agenda_case_add_view(request, pk):
    """Pull a case onto the agenda (its title becomes the item's title)."""
    meeting = selectors.meeting_get_for_user(user=request.user, pk=pk)
    _require_manager(request.user)
    if not request.POST.get("case"):  # no choice made on a meeting the user sees: a message, not 404
        messages.error(request, _("Choose a case to put on the agenda."))
        return redirect("meetings:agenda-builder", pk=meeting.pk)
    case_id = posted_id(request.POST.get("case"))
    if case_id is None:
        raise Http404  # an id that names no case is a case the builder does not offer
    # Only a case the builder offers: visible to the user, of the meeting's region, not yet on it.
    case = selectors.agenda_case_get_for_user(user=request.user, meeting=meeting, pk=case_id)
    lane = request.POST.get("lane", AgendaItem.Lane.PLANNED)
    try:
        services.agenda_item_add(
            meeting=meeting,
            actor=request.user,
            title=case.title,  # the agenda shows the case's reference beside it
            lane=lane,
            case=case,
            description=case.description,
            reason=request.POST.get("reason", ""),
        )
    except ValidationError as error:
        message_service_errors(request, error)
    else:
        messages.success(request, _("The case has been put on the agenda."))
    return redirect("meetings:agenda-builder", pk=meeting.pk)


@require_POST
def agenda_item_move_view(request, pk):
    item = selectors.agenda_item_get_for_user(user=request.user, pk=pk)
    _require_manager(request.user)
    services.agenda_item_move(item=item, actor=request.user, direction=request.POST.get("direction", "up"))
    return redirect("meetings:agenda-builder", pk=item.meeting_id)


@require_POST
def agenda_item_state_view(request, pk):
    item = selectors.agenda_item_get_for_user(user=request.user, pk=pk)
    _require_manager(request.user)
    try:
        services.agenda_item_set_state(item=item, actor=request.user, state=request.POST.get("state", ""))
    except ValidationError as error:
        message_service_errors(request, error)
    return redirect("meetings:agenda-builder", pk=item.meeting_id)


def agenda_propose_view(request, pk):
    """A region leader proposes an item for their region's meeting before the cut-off."""
    meeting = selectors.meeting_get_for_user(user=request.user, pk=pk)
    if is_adviser(request.user):
        return redirect("meetings:agenda-builder", pk=meeting.pk)
    if not can_propose_agenda_item(request.user, meeting):
        messages.error(request, _("Items can only be proposed for your region's meetings before the agenda cut-off."))
        return redirect(meeting)
    form = AgendaItemForm(request.POST or None, submit_label=_("Propose item"))
    form.fields.pop("reason")
    if request.method == "POST" and form.is_valid():
        try:
            services.agenda_item_add(meeting=meeting, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Thank you. The coordination unit will consider your proposal."))
            return redirect(meeting)
    return render(
        request, "meetings/form.html", {"form": form, "heading": _("Propose an agenda item"), "meeting": meeting}
    )


def participant_add_view(request, pk):
    meeting = selectors.meeting_get_for_user(user=request.user, pk=pk)
    _require_manager(request.user)
    form = ParticipantForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.participant_add(meeting=meeting, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The person has been invited."))
            return redirect(meeting)
    return render(
        request, "meetings/form.html", {"form": form, "heading": _("Invite a participant"), "meeting": meeting}
    )


@require_POST
def participant_status_view(request, pk):
    participant = selectors.participant_get_for_user(user=request.user, pk=pk)
    _require_manager(request.user)
    try:
        services.participant_set_status(participant=participant, actor=request.user, status=request.POST.get("status"))
    except ValidationError as error:
        message_service_errors(request, error)
    return redirect("meetings:meeting-detail", pk=participant.meeting_id)


def minutes_edit_view(request, pk):
    """Write the minutes: one outcome and text per agenda item."""
    meeting = selectors.meeting_get_for_user(user=request.user, pk=pk)
    _require_manager(request.user)
    items = list(
        AgendaItem.objects.filter(meeting=meeting, state=AgendaItem.State.ACCEPTED)
        .select_related("minutes", "case")
        .order_by("lane", "order")
    )
    forms = []
    for item in items:
        entry = getattr(item, "minutes", None)
        initial = {"outcome": entry.outcome, "text": entry.text} if entry else {}
        forms.append((item, MinutesForm(request.POST or None, prefix=f"item-{item.pk}", initial=initial)))
    if request.method == "POST" and all(form.is_valid() for _item, form in forms):
        try:
            for item, form in forms:
                services.minutes_save(item=item, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            message_service_errors(request, error)
        else:
            messages.success(request, _("The minutes have been saved."))
            return redirect(meeting)
    screening = [
        (item, ScreeningForm(instance=item.minutes, prefix=f"minutes-{item.pk}"))
        for item in items
        if getattr(item, "minutes", None) is not None
    ]
    # A held meeting's decision on a case can move the case on (issue 16, item 4).
    moves = [
        (item, CaseMoveForm(prefix=f"move-{item.pk}"))
        for item in items
        if meeting.status == Meeting.Status.HELD
        and item.case is not None
        and getattr(item, "minutes", None) is not None
        and item.minutes.outcome == MinutesEntry.Outcome.DECISION
        and item.minutes.text.strip()
    ]
    reference_form = None
    if meeting.kind == "reference_group":
        reference_form = ReferenceInputForm(meeting=meeting)
    return render(
        request,
        "meetings/minutes_form.html",
        {
            "meeting": meeting,
            "forms": forms,
            "screening": screening,
            "moves": moves,
            "reference_form": reference_form,
            "outcomes": MinutesEntry.Outcome,
        },
    )


@require_POST
def minutes_case_move_view(request, pk):
    """Move an agenda item's case on with the held meeting's decision. A hidden meeting is 404, a
    leader who sees it 403; a step the case's status does not allow is a message, nothing changed."""
    item = selectors.agenda_item_get_for_user(user=request.user, pk=pk)
    _require_manager(request.user)
    form = CaseMoveForm(request.POST, prefix=f"move-{item.pk}")
    if not form.is_valid():
        messages.error(request, _("Choose what to do with the case."))
        return redirect("meetings:minutes-edit", pk=item.meeting_id)
    try:
        services.minutes_case_move(item=item, actor=request.user, move=form.cleaned_data["move"])
    except ValidationError as error:
        message_service_errors(request, error)
    else:
        messages.success(request, _("The case has been moved on with the decision."))
    return redirect("meetings:minutes-edit", pk=item.meeting_id)


@require_POST
def reference_input_view(request, pk):
    meeting = selectors.meeting_get_for_user(user=request.user, pk=pk)
    _require_manager(request.user)
    form = ReferenceInputForm(request.POST, meeting=meeting)
    if form.is_valid():
        item = form.cleaned_data["agenda_item"]
        try:
            services.reference_input_add(
                meeting=meeting, actor=request.user, case=item.case, text=form.cleaned_data["text"], agenda_item=item
            )
        except ValidationError as error:
            message_service_errors(request, error)
        else:
            messages.success(request, _("The input has been attached to the case."))
    else:
        messages.error(request, _("Choose an agenda item with a case and write the input."))
    return redirect("meetings:minutes-edit", pk=meeting.pk)


def meeting_pdf_view(request, pk, document):
    """The printable agenda or minutes as PDF."""
    meeting = selectors.meeting_get_for_user(user=request.user, pk=pk)
    if document not in ("sakliste", "referat"):
        raise Http404
    items, participants = selectors.meeting_get_detail(meeting=meeting)
    html = render_to_string(
        "meetings/meeting_print.html",
        {
            "meeting": meeting,
            "lanes": selectors.agenda_lanes(items, include_proposals=False),
            "participants": participants,
            "minutes": document == "referat",
        },
        request=request,
    )
    response = HttpResponse(render_pdf(html), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{document}-{meeting.pk}.pdf"'
    return response


def meeting_ics_view(request, pk):
    meeting = selectors.meeting_get_for_user(user=request.user, pk=pk)
    response = HttpResponse(calendar_bytes([meeting]), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="mote-{meeting.pk}.ics"'
    return response


def series_list_view(request):
    series = selectors.series_list_visible_to(user=request.user)
    return render(
        request, "meetings/series_list.html", {"series_list": series, "can_manage": can_manage_meetings(request.user)}
    )


def series_create_view(request):
    _require_manager(request.user)
    form = SeriesForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["exception_dates"] = data.pop("exceptions")
        try:
            series = services.series_create(actor=request.user, **data)
            created = services.series_generate(series=series, actor=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("The series has been created with %(count)s meetings.") % {"count": len(created)}
            )
            return redirect(series)
    return render(request, "meetings/form.html", {"form": form, "heading": _("New meeting series")})


def series_detail_view(request, pk):
    series = selectors.series_get_for_user(user=request.user, pk=pk)
    meetings = selectors.meeting_list_visible_to(user=request.user).filter(series=series).upcoming()
    return render(
        request,
        "meetings/series_detail.html",
        {"series": series, "meetings": meetings, "can_manage": can_manage_meetings(request.user)},
    )


@require_POST
def series_generate_view(request, pk):
    series = selectors.series_get_for_user(user=request.user, pk=pk)
    _require_manager(request.user)
    created = services.series_generate(series=series, actor=request.user)
    messages.success(request, _("%(count)s new meetings were generated.") % {"count": len(created)})
    return redirect(series)


def councillor_overview_view(request):
    """Each county councillor's meetings, with clashes marked, so the coordination unit can spot them."""
    _require_manager(request.user)
    return render(request, "meetings/councillor_overview.html", {"schedule": selectors.councillor_schedule()})


def my_meetings_view(request):
    """My meetings, my subscription links and how to subscribe in Outlook."""
    user = request.user
    feeds = list(selectors.feed_list_for(user=user))
    return render(
        request,
        "meetings/my_meetings.html",
        {
            "meetings": selectors.meeting_list_for_person_user(user=user, now=timezone.now())[:50],
            "personal_feed": next((f for f in feeds if f.region_id is None), None),
            "region_feeds": [f for f in feeds if f.region_id],
        },
    )


@require_POST
def feed_create_view(request):
    """Create (or show again) the user's subscription link, for their meetings or one region."""
    region = None
    slug = request.POST.get("region")
    if slug:
        region = region_get(slug=slug)  # the registry is public: 404 only for a missing region
        if not can_follow_region_meetings(request.user, region):
            raise PermissionDenied
    services.feed_get_or_create(actor=request.user, region=region)
    messages.success(request, _("Your subscription link is ready."))
    return redirect("meetings:mine")


@require_POST
def feed_revoke_view(request, pk):
    feed = selectors.feed_get_for_user(user=request.user, pk=pk)
    services.feed_revoke(feed=feed, actor=request.user)
    messages.success(request, _("The old link no longer works. Use the new link below."))
    return redirect("meetings:mine")


@login_not_required
@never_cache
@require_GET
def feed_view(request, token):
    """A subscribable iCalendar feed; the secret token in the URL is the only credential."""
    feed = selectors.feed_get_by_token(token=token)
    if feed.region_id:
        name = _("Meetings: %(region)s") % {"region": feed.region.name}
    else:
        name = _("My meetings in Regionportalen")
    # Calendar programs ask every few minutes: the feed is kept until the data changes or the day turns
    # (a revoked link, a changed meeting and an appointment that ends are all changes of the data).
    body = kept_value(
        "meetings-feed",
        [feed.pk, translation.get_language(), timezone.localdate()],
        lambda: calendar_bytes(selectors.feed_meetings(feed=feed), name=name),
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="regionportalen.ics"'
    response["X-Robots-Tag"] = "noindex"
    return response


@require_POST
def case_agenda_add_view(request, pk):
    """The case page's "put on a meeting agenda" (the form is the meetings panel on the case page)."""
    case = case_get_for_user(user=request.user, pk=pk)
    if not can_schedule_case(request.user, case):
        raise PermissionDenied
    _items, meetings = selectors.agenda_of_case(user=request.user, case=case, upcoming=True)
    form = CaseAgendaForm(request.POST, meetings=meetings)
    if not form.is_valid():
        messages.error(request, _("Choose an upcoming meeting of the region and a lane."))
        return redirect(case)
    try:
        services.case_agenda_add(
            case=case,
            actor=request.user,
            meeting=form.cleaned_data["meeting"],
            lane=form.cleaned_data["lane"],
            reason=form.cleaned_data["reason"],
        )
    except ValidationError as error:
        message_service_errors(request, error)
    else:
        messages.success(request, _("The case is put on the meeting's agenda."))
    return redirect(case)
