"""Pages of input rounds: fetch through the access functions (a round not addressed to the user's
region is a 404), authorise (an adviser's step shown to the region is a 403), bind the form, call the
service (docs/adr/0004-404-not-403.md)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from core.forms import call_service, call_service_messages
from core.pagination import CappedPaginator
from core.uploads import upload_response
from meetings.pdf import render_pdf
from regions.models import County
from regions.selectors import council_area_list, county_scope_for, region_list_in_scope

from . import services
from .docx import round_docx
from .forms import AnchoringForm, AttachmentForm, ContributionForm, RoundOpenForm, SentForm
from .models import Contribution, Round
from .permissions import can_manage_round, can_open_round, can_write_contribution
from .selectors import (
    attachment_get_for_user,
    contribution_get_for_user,
    contribution_list_for_round,
    member_municipalities,
    round_get_for_user,
    round_list_visible_to,
)

require_GET_or_POST = require_http_methods(["GET", "HEAD", "POST"])
PAGE_SIZE = 25


DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _require(allowed):
    if not allowed:
        raise PermissionDenied


def _counties_for(user):
    scope = county_scope_for(user=user)
    counties = County.objects.all() if scope is None else County.objects.filter(pk__in=sorted(scope))
    return list(counties.order_by("number"))


@require_safe
def round_index_view(request):
    """The rounds the user may see, latest deadline first."""
    page = CappedPaginator(round_list_visible_to(user=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "rounds/round_index.html", {"page_obj": page, "can_open": can_open_round(request.user)})


@require_GET_or_POST
def round_open_view(request):
    """Advisers open a round for chosen regions and council areas of their county."""
    _require(can_open_round(request.user))
    choices = {
        "counties": _counties_for(request.user),
        "regions": region_list_in_scope(user=request.user).order_by("name"),
        "council_areas": council_area_list(on=timezone.localdate()),
    }
    if request.method != "POST":
        return render(request, "rounds/round_form.html", {"form": RoundOpenForm(**choices)})
    form = RoundOpenForm(request.POST, **choices)
    result = {}

    def call():
        result["round"] = services.round_open(actor=request.user, **form.cleaned_data)

    if form.is_valid() and call_service(form, call):
        messages.success(request, _("The round is open and the regions will be reminded before the deadline."))
        return redirect(result["round"])
    return render(request, "rounds/round_form.html", {"form": form}, status=400)


@require_safe
def round_detail_view(request, pk):
    """The round's public text; an adviser sees every region's contribution, a region its own."""
    round_ = round_get_for_user(user=request.user, pk=pk)
    contributions = CappedPaginator(contribution_list_for_round(user=request.user, round_=round_), PAGE_SIZE)
    return render(
        request,
        "rounds/round_detail.html",
        {
            "round": round_,
            "page_obj": contributions.get_page(request.GET.get("page")),
            "regions": round_.regions.order_by("name"),
            "council_areas": round_.council_areas.order_by("name"),
            "can_manage": can_manage_round(request.user, round_),
            "sent_form": SentForm(initial={"sent_on": timezone.localdate()}),
        },
    )


@require_POST
def round_close_view(request, pk):
    round_ = round_get_for_user(user=request.user, pk=pk)
    _require(can_manage_round(request.user, round_))
    if call_service_messages(request, lambda: services.round_close(round_=round_, actor=request.user)):
        messages.success(request, _("The round is closed."))
    return redirect(round_)


@require_GET_or_POST
def round_sent_view(request, pk):
    """Record what was sent to the state and when."""
    round_ = round_get_for_user(user=request.user, pk=pk)
    _require(can_manage_round(request.user, round_))
    if request.method != "POST":
        return render(
            request, "rounds/form.html", {"round": round_, "form": SentForm(), "title": _("Sent to the state")}
        )
    form = SentForm(request.POST)
    if form.is_valid() and call_service(
        form, lambda: services.round_record_sent(round_=round_, actor=request.user, **form.cleaned_data)
    ):
        messages.success(request, _("What was sent to the state is recorded."))
        return redirect(round_)
    context = {"round": round_, "form": form, "title": _("Sent to the state")}
    return render(request, "rounds/form.html", context, status=400)


def _joint_document(request, pk):
    """The round (for its managers only) and what its joint document holds: the submitted contributions,
    with who submitted them, their anchoring and attachments, and the round's council areas."""
    round_ = round_get_for_user(user=request.user, pk=pk)
    _require(can_manage_round(request.user, round_))
    contributions = (
        contribution_list_for_round(user=request.user, round_=round_)
        .filter(status=Contribution.Status.SUBMITTED)
        .select_related("submitted_by")
    )
    return {"round": round_, "contributions": contributions, "council_areas": round_.council_areas.order_by("name")}


@require_safe
def round_pdf_view(request, pk):
    """The joint document: every region's submitted contribution with who submitted it, when, and its anchoring."""
    context = _joint_document(request, pk)
    html = render_to_string("rounds/round_print.html", context, request=request)
    response = HttpResponse(render_pdf(html), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="innspill-{context["round"].pk}.pdf"'
    return response


@require_safe
def round_docx_view(request, pk):
    """The joint document as Word, with the PDF's content, for the adviser to edit before sending it."""
    context = _joint_document(request, pk)
    content = round_docx(
        round_=context["round"],
        contributions=list(context["contributions"]),
        council_areas=list(context["council_areas"]),
    )
    response = HttpResponse(content, content_type=DOCX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="innspill-{context["round"].pk}.docx"'
    return response


def _contribution_page(request, contribution, *, form=None, attachment_form=None, anchoring_form=None, status=200):
    writable = (
        can_write_contribution(request.user, contribution)
        and contribution.status == Contribution.Status.DRAFT
        and contribution.round.status == Round.Status.OPEN
    )
    municipalities = list(member_municipalities(region=contribution.region, on=timezone.localdate()))
    attachment_form = attachment_form or AttachmentForm()
    attachment_form.helper.form_action = reverse("rounds:attachment-add", kwargs={"pk": contribution.pk})
    anchoring_form = anchoring_form or AnchoringForm(municipalities=municipalities)
    anchoring_form.helper.form_action = reverse("rounds:anchoring-add", kwargs={"pk": contribution.pk})
    context = {
        "contribution": contribution,
        "round": contribution.round,
        "attachments": contribution.attachments.all(),
        "anchorings": contribution.anchorings.select_related("municipality"),
        "writable": writable,
        "form": form or ContributionForm(initial={"text": contribution.text}),
        "attachment_form": attachment_form,
        "anchoring_form": anchoring_form,
    }
    return render(request, "rounds/contribution_detail.html", context, status=status)


@require_GET_or_POST
def contribution_detail_view(request, pk):
    """The region's contribution: its leader or secretariat writes it here; the county's advisers read it."""
    contribution = contribution_get_for_user(user=request.user, pk=pk)
    if request.method != "POST":
        return _contribution_page(request, contribution)
    _require(can_write_contribution(request.user, contribution))
    form = ContributionForm(request.POST)
    if form.is_valid() and call_service(
        form,
        lambda: services.contribution_save(
            contribution=contribution, actor=request.user, text=form.cleaned_data["text"]
        ),
    ):
        messages.success(request, _("The draft is saved."))
        return redirect(contribution)
    return _contribution_page(request, contribution, form=form, status=400)


@require_POST
def contribution_submit_view(request, pk):
    contribution = contribution_get_for_user(user=request.user, pk=pk)
    _require(can_write_contribution(request.user, contribution))
    if call_service_messages(
        request, lambda: services.contribution_submit(contribution=contribution, actor=request.user)
    ):
        messages.success(request, _("The contribution is submitted to the county."))
    return redirect(contribution)


@require_POST
def attachment_add_view(request, pk):
    contribution = contribution_get_for_user(user=request.user, pk=pk)
    _require(can_write_contribution(request.user, contribution))
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid() and call_service(
        form,
        lambda: services.attachment_add(
            contribution=contribution, actor=request.user, uploaded_file=form.cleaned_data["file"]
        ),
    ):
        messages.success(request, _("The file is attached."))
        return redirect(contribution)
    return _contribution_page(request, contribution, attachment_form=form, status=400)


@require_POST
def anchoring_add_view(request, pk):
    contribution = contribution_get_for_user(user=request.user, pk=pk)
    _require(can_write_contribution(request.user, contribution))
    municipalities = list(member_municipalities(region=contribution.region, on=timezone.localdate()))
    form = AnchoringForm(request.POST, municipalities=municipalities)
    if form.is_valid() and call_service(
        form, lambda: services.anchoring_record(contribution=contribution, actor=request.user, **form.cleaned_data)
    ):
        messages.success(request, _("The anchoring is recorded."))
        return redirect(contribution)
    return _contribution_page(request, contribution, anchoring_form=form, status=400)


@require_safe
def attachment_download_view(request, pk):
    """Only through this view, for users who may see the contribution; always as a download."""
    attachment = attachment_get_for_user(user=request.user, pk=pk)
    return upload_response(attachment.file, filename=attachment.original_name, content_type=attachment.content_type)
