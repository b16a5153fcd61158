"""The people pages of the coordination unit (list, new person, a person with their invitations and the
buttons to invite, deactivate and reactivate) and the invitee's page to choose a password."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.forms import call_service, call_service_messages

from . import permissions, selectors, services
from .forms import InvitationAcceptForm, PersonCreateForm, PersonFilter


def _require_manager(request):
    """The people pages exist only for those who manage people (404 for everyone else)."""
    if not permissions.can_manage_people(request.user):
        raise Http404


def person_list_view(request):
    _require_manager(request)
    person_filter = PersonFilter(request.GET or None, queryset=selectors.person_list())
    people = person_filter.qs if person_filter.is_bound and person_filter.is_valid() else person_filter.queryset
    page = Paginator(people, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "people/person_list.html",
        {"filter": person_filter, "page_obj": page, "query_string": query.urlencode()},
    )


@require_http_methods(["GET", "POST"])
def person_create_view(request):
    _require_manager(request)
    initial = {"valid_from": timezone.localdate()}
    registry_person = selectors.registry_person_without_login(pk=request.GET.get("person"))
    if registry_person is not None:  # from the registry's person page: their name and address to start with
        first, _space, last = registry_person.name.rpartition(" ")
        initial.update(
            registry_person=registry_person.pk,
            first_name=first or last,
            last_name=last if first else "",
            email=registry_person.email,
        )
    form = PersonCreateForm(request.POST or None, actor=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        result = {}

        def call():
            result["person"] = services.person_create(actor=request.user, **form.cleaned_data)

        if call_service(form, call):
            person = result["person"]
            if form.cleaned_data["invite"]:
                messages.success(request, _("%(name)s is created and invited by e-mail.") % {"name": person})
            else:
                messages.success(
                    request, _("%(name)s is created. Send the invitation when you are ready.") % {"name": person}
                )
            return redirect("people:person-detail", pk=person.pk)
    return render(request, "people/person_form.html", {"form": form, "registry_person": registry_person})


def person_detail_view(request, pk):
    person = permissions.person_get_for_user(user=request.user, pk=pk)
    context = {
        "person": person,
        "state": selectors.person_state(person=person),
        "states": dict(selectors.PersonState.choices),
        "invitations": selectors.invitation_list_for_person(person=person)[:20],
        "can_change": permissions.can_change_person(request.user, person),
        "now": timezone.now(),
    }
    return render(request, "people/person_detail.html", context)


@require_POST
def person_invite_view(request, pk):
    person = permissions.person_get_for_user(user=request.user, pk=pk)
    if call_service_messages(request, lambda: services.invitation_send(actor=request.user, person=person)):
        messages.success(request, _("The invitation is sent to %(email)s.") % {"email": person.email})
    return redirect("people:person-detail", pk=person.pk)


@require_POST
def person_deactivate_view(request, pk):
    person = permissions.person_get_for_user(user=request.user, pk=pk)
    if call_service_messages(request, lambda: services.person_deactivate(actor=request.user, person=person)):
        messages.success(request, _("%(name)s is deactivated and logged out everywhere.") % {"name": person})
    return redirect("people:person-detail", pk=person.pk)


@require_POST
def person_reactivate_view(request, pk):
    person = permissions.person_get_for_user(user=request.user, pk=pk)
    if call_service_messages(request, lambda: services.person_reactivate(actor=request.user, person=person)):
        messages.success(request, _("%(name)s is active again.") % {"name": person})
    return redirect("people:person-detail", pk=person.pk)


@login_not_required  # the invitee has no password yet: the token in the link is their key
@require_http_methods(["GET", "POST"])
def invitation_accept_view(request, token):
    invitation = selectors.invitation_get_by_token(token=token)
    if invitation is None:
        return render(
            request,
            "people/invitation_accept.html",
            {"refusal": _("This invitation link is not valid. Check that you copied the whole link from the e-mail.")},
            status=404,
        )
    refusal = selectors.invitation_refusal(invitation, now=timezone.now())
    if refusal:
        return render(request, "people/invitation_accept.html", {"refusal": refusal})
    person = invitation.user
    form = InvitationAcceptForm(person, request.POST or None)
    if request.method == "POST" and form.is_valid():
        result = {}

        def call():
            result["person"] = services.invitation_accept(
                invitation=invitation, actor=person, password=form.cleaned_data["new_password1"]
            )

        if call_service(form, call):
            # The account as saved with its new password, so the session's hash matches it.
            login(request, result["person"], backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Welcome to Regionportalen. Your password is saved."))
            return redirect("portal:home")
    return render(request, "people/invitation_accept.html", {"form": form, "person": person})
