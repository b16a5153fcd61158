"""Pages of theme groups: fetch through the access functions (a group the user may not see is a 404),
authorise (an adviser's step shown to a member region's leader is a 403), bind the form, call the
service (docs/adr/0004-404-not-403.md)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from cases.selectors import topic_list
from core.forms import call_service, call_service_messages
from regions.models import County
from regions.selectors import county_scope_for, region_list_in_scope

from . import services
from .forms import CaseAddForm, GroupFilterForm, MeetingAddForm, MemberAddForm, ThemeGroupCreateForm, ThemeGroupEditForm
from .permissions import can_change_group, can_manage_groups
from .selectors import (
    case_candidate_get,
    case_list_for,
    case_rows_for,
    entry_list_for,
    meeting_choices_for,
    meeting_lists_for,
    member_list_for,
    theme_case_get_for_user,
    theme_group_get_for_user,
    theme_group_list_visible_to,
    theme_meeting_get_for_user,
    theme_member_get_for_user,
)

require_GET_or_POST = require_http_methods(["GET", "HEAD", "POST"])
PAGE_SIZE = 25
CASES_PAGE_SIZE = 20


def _require(allowed):
    if not allowed:
        raise PermissionDenied


def _counties_for(user):
    scope = county_scope_for(user=user)
    counties = County.objects.all() if scope is None else County.objects.filter(pk__in=sorted(scope))
    return list(counties.order_by("number", "pk"))


@require_safe
def group_index_view(request):
    """The groups the user may see, by name, filtered by county and member region."""
    user = request.user
    form = GroupFilterForm(request.GET or None, counties=_counties_for(user), regions=region_list_in_scope(user=user))
    county = region = None
    if form.is_bound and form.is_valid():
        county, region = form.cleaned_data["county"], form.cleaned_data["region"]
    groups = theme_group_list_visible_to(user=user, county=county, region=region)
    page = Paginator(groups, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "themes/group_index.html",
        {
            "form": form,
            "page_obj": page,
            "query_string": query.urlencode(),
            "can_manage": can_manage_groups(user),
        },
        status=400 if form.is_bound and not form.is_valid() else 200,
    )


@require_GET_or_POST
def group_create_view(request):
    """Advisers create a group with its member regions and lead region."""
    _require(can_manage_groups(request.user))
    choices = {
        "counties": _counties_for(request.user),
        "regions": list(region_list_in_scope(user=request.user)),
        "topics": topic_list(),
    }
    if request.method != "POST":
        return render(request, "themes/group_form.html", {"form": ThemeGroupCreateForm(**choices), "group": None})
    form = ThemeGroupCreateForm(request.POST, **choices)
    result = {}

    def call():
        result["group"] = services.theme_group_create(actor=request.user, **form.cleaned_data)

    if form.is_valid() and call_service(form, call):
        messages.success(request, _("The theme group was created."))
        return redirect(result["group"])
    return render(request, "themes/group_form.html", {"form": form, "group": None}, status=400)


@require_safe
def group_detail_view(request, pk):
    """One group: members with the lead marked, cases with each member region's anchoring, meetings
    (upcoming first) and the history."""
    user = request.user
    group = theme_group_get_for_user(user=user, pk=pk)
    today = timezone.localdate()
    members = member_list_for(group=group, day=today)
    cases_page = Paginator(case_list_for(group=group, user=user), CASES_PAGE_SIZE).get_page(request.GET.get("cases"))
    upcoming, past = meeting_lists_for(group=group, user=user)
    history = Paginator(entry_list_for(group=group, user=user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "themes/group_detail.html",
        {
            "group": group,
            "members": members,
            "current_members": [member for member in members if member.active],
            "cases_page": cases_page,
            "case_rows": case_rows_for(group=group, user=user, members=members, theme_cases=cases_page, day=today),
            "upcoming": upcoming,
            "past": past,
            "page_obj": history,
            "can_change": can_change_group(user, group),
        },
    )


def _form_page(request, group, form, title, status=200):
    return render(request, "themes/form.html", {"group": group, "form": form, "title": title}, status=status)


def _step(request, *, group, form_class, title, service, done, form_kwargs=None, initial=None):
    """A form on a group that only the county's advisers fill in."""
    _require(can_change_group(request.user, group))
    form_kwargs = form_kwargs or {}
    if request.method != "POST":
        return _form_page(request, group, form_class(initial=initial, **form_kwargs), title)
    form = form_class(request.POST, **form_kwargs)
    if form.is_valid() and call_service(form, lambda: service(form.cleaned_data)):
        messages.success(request, done)
        return redirect(group)
    return _form_page(request, group, form, title, status=400)


@require_GET_or_POST
def group_edit_view(request, pk):
    group = theme_group_get_for_user(user=request.user, pk=pk)
    members = [member.region for member in member_list_for(group=group) if member.active]
    return _step(
        request,
        group=group,
        form_class=ThemeGroupEditForm,
        title=_("Change the theme group"),
        service=lambda data: services.theme_group_update(group=group, actor=request.user, **data),
        done=_("The theme group was changed."),
        form_kwargs={"members": members, "topics": topic_list()},
        initial=ThemeGroupEditForm.initial_for(group),
    )


@require_GET_or_POST
def member_add_view(request, pk):
    group = theme_group_get_for_user(user=request.user, pk=pk)
    current = {member.region_id for member in member_list_for(group=group) if member.active}
    regions = [region for region in region_list_in_scope(user=request.user) if region.pk not in current]
    return _step(
        request,
        group=group,
        form_class=MemberAddForm,
        title=_("Add a member region"),
        service=lambda data: services.theme_member_add(group=group, actor=request.user, **data),
        done=_("The region was added to the theme group."),
        form_kwargs={"regions": regions},
    )


@require_GET_or_POST
def case_add_view(request, pk):
    group = theme_group_get_for_user(user=request.user, pk=pk)

    def add(data):
        try:
            case = case_candidate_get(user=request.user, reference=data["reference"])
        except Http404:
            raise ValidationError({"reference": _("No case you can see has this reference.")}) from None
        services.theme_case_add(group=group, case=case, actor=request.user)

    return _step(
        request,
        group=group,
        form_class=CaseAddForm,
        title=_("Add a case to the theme group"),
        service=add,
        done=_("The case was added to the theme group."),
    )


@require_GET_or_POST
def meeting_add_view(request, pk):
    group = theme_group_get_for_user(user=request.user, pk=pk)
    return _step(
        request,
        group=group,
        form_class=MeetingAddForm,
        title=_("Link a meeting to the theme group"),
        service=lambda data: services.theme_meeting_add(group=group, actor=request.user, **data),
        done=_("The meeting was linked to the theme group."),
        form_kwargs={"meetings": meeting_choices_for(group=group, user=request.user)},
    )


def _remove(request, obj, group, call, done):
    _require(can_change_group(request.user, group))
    if call_service_messages(request, call):
        messages.success(request, done)
    return redirect(group)


@require_POST
def member_remove_view(request, pk):
    member = theme_member_get_for_user(user=request.user, pk=pk)
    return _remove(
        request,
        member,
        member.group,
        lambda: services.theme_member_remove(member=member, actor=request.user),
        _("The region has left the theme group."),
    )


@require_POST
def case_remove_view(request, pk):
    link = theme_case_get_for_user(user=request.user, pk=pk)
    return _remove(
        request,
        link,
        link.group,
        lambda: services.theme_case_remove(theme_case=link, actor=request.user),
        _("The case no longer belongs to the theme group."),
    )


@require_POST
def meeting_remove_view(request, pk):
    link = theme_meeting_get_for_user(user=request.user, pk=pk)
    return _remove(
        request,
        link,
        link.group,
        lambda: services.theme_meeting_remove(theme_meeting=link, actor=request.user),
        _("The meeting was unlinked from the theme group."),
    )
