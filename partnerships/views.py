"""Pages for partnership agreements: fetch through the access functions (an object the user may not
see is a 404), bind the form, call the service. A step the user may never take on an object they can
see is a 403 (docs/adr/0004-404-not-403.md): the service refuses it with PermissionDenied, and the
page of a form only advisers fill in checks the same rule before showing it."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from core.forms import call_service, call_service_messages, message_service_errors, posted_id
from core.fragments import cached_fragment
from core.screening import ScreeningForm, screening_form_refusal
from core.uploads import upload_extension, upload_response
from regions.selectors import county_scope_for, region_list_in_scope

from . import services
from .forms import (
    AgreementAdoptForm,
    AgreementCreateForm,
    AgreementTermForm,
    CommentForm,
    DecisionForm,
    DiffForm,
    GeneralPartAdoptForm,
    GeneralPartCreateForm,
    GeneralPartForm,
    InstrumentPriorityFormSet,
    KnowledgeReferenceForm,
    OverviewFilter,
    ProposalForm,
    RevisionForm,
    SectionFormSet,
    SpecialPartForm,
)
from .hooks import priority_cases
from .models import Agreement, SpecialPartSection
from .pdf import agreement_pdf
from .permissions import (
    can_adopt_agreement,
    can_comment_special_part,
    can_decide_proposal,
    can_edit_general_part,
    can_edit_special_part,
    can_manage_agreements,
    can_propose_special_part,
    can_screen_agreement,
    can_set_agreement_term,
    can_take_part_in_negotiation,
    leads_region,
)
from .rendering import diff_rows, general_part_lines, special_part_lines
from .selectors import (
    SPECIAL_PART_PREFETCH,
    agreement_get_for_user,
    agreement_get_with_history_for_user,
    agreement_list_visible_to,
    agreement_parts_for_user,
    agreement_parts_prefetch,
    agreement_parts_readable,
    agreement_successor_counties,
    general_part_get_for_user,
    general_part_list_visible_to,
    general_part_versions,
    knowledge_reference_get_for_user,
    negotiation_record,
    overview_rows,
    proposal_get_for_user,
    special_part_get_for_user,
    special_part_versions,
)

require_GET_or_POST = require_http_methods(["GET", "HEAD", "POST"])


def _require(allowed):
    """A step the user may never take on an object they can see: 403 (there is nothing to hide)."""
    if not allowed:
        raise PermissionDenied


def _perform(request, target, call, success_message):
    """Run a service step that takes no input (a button): success gives a message, a refusal an
    error message (never a 500), and both go back to the object."""
    if call_service_messages(request, call):
        messages.success(request, success_message)
    return redirect(target)


def _say_if_locked(request, part):
    """An adopted version is the adviser's to revise, not to change: say so on its forms (not a 403:
    the step is theirs, only not on this version; the service refuses a change with a message)."""
    if part.is_locked:
        messages.info(request, _("An adopted version never changes. Make a new version to change the text."))


def _form_errors_as_messages(request, form):
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)


@require_safe
def agreement_index_view(request):
    """The overview: every region with its agreement status, filterable by county."""
    regions = region_list_in_scope(user=request.user)
    overview = OverviewFilter(request.GET or None, queryset=regions)
    county = None
    if overview.is_bound and overview.is_valid():
        county = overview.form.cleaned_data.get("county")
    rows = overview_rows(
        user=request.user, regions=overview.qs, county=county, scope=county_scope_for(user=request.user)
    )
    return render(
        request,
        "partnerships/agreement_index.html",
        {
            "filter": overview,
            "rows": rows,
            "general_parts": general_part_list_visible_to(user=request.user)[:20],
            "can_manage": can_manage_agreements(request.user),
        },
    )


def agreement_document_context(request, agreement):
    general, special = agreement_parts_for_user(user=request.user, agreement=agreement)
    priorities = list(special.priorities.all())
    return {
        "agreement": agreement,
        "general_part": general,
        "special_part": special,
        "priorities": priorities,
        "priority_cases": priority_cases.for_priorities(user=request.user, priorities=priorities),
        "generated_at": timezone.localtime(),
    }


def _open_of(history):
    """agreement_open_for the pair, from its agreements newest first (all of them: an adviser's history)."""
    open_statuses = (Agreement.Status.DRAFT, Agreement.Status.IN_NEGOTIATION)
    return next((agreement for agreement in history if agreement.status in open_statuses), None)


@require_safe
def agreement_detail_view(request, pk):
    """The whole agreement as one readable document: general part, then special part."""
    agreement, history = agreement_get_with_history_for_user(user=request.user, pk=pk)
    general, special = agreement_parts_readable(user=request.user, agreement=agreement)
    parts = {"general_part": general, "special_part": special}

    def draw_parts():
        agreement_parts_prefetch(general=general, special=special)
        return render_to_string("partnerships/_agreement_parts.html", parts, request)

    # The two parts' text is the same for everyone who may read them: drawn once, kept until the data
    # changes (core.fragments). The priorities are read after it: from the drawing when it was drawn.
    document_parts = cached_fragment("agreement-parts", [general.pk, special.pk], draw_parts)
    priorities = list(special.priorities.all())
    context = {
        **parts,
        "agreement": agreement,
        "document_parts": document_parts,
        "priorities": priorities,
        "priority_cases": priority_cases.for_priorities(user=request.user, priorities=priorities),
    }
    context.update(
        {
            "can_manage": can_manage_agreements(request.user),
            "can_adopt": can_adopt_agreement(request.user, agreement),
            "can_set_term": can_set_agreement_term(request.user, agreement),
            "can_edit_special": can_edit_special_part(request.user, context["special_part"]),
            "can_comment": can_comment_special_part(request.user, context["special_part"]),
            "screening_form": ScreeningForm(instance=agreement, prefix="screening")
            if can_screen_agreement(request.user, agreement)
            else None,
            "open_agreement": _open_of(history) if can_manage_agreements(request.user) else None,
            "history": history,
            "successors": agreement_successor_counties(agreement=agreement, history=history)
            if can_manage_agreements(request.user)
            else [],
        }
    )
    return render(request, "partnerships/agreement_detail.html", context)


@require_POST
def agreement_screening_view(request, pk):
    """An adviser sets what the public may see of the agreement (offentleglova)."""
    agreement, _history = agreement_get_with_history_for_user(user=request.user, pk=pk)
    _require(can_screen_agreement(request.user, agreement))
    form = ScreeningForm(request.POST, prefix="screening")
    try:
        if not form.is_valid():
            raise screening_form_refusal(form)
        services.agreement_screening_set(agreement=agreement, actor=request.user, **form.cleaned_data)
    except ValidationError as error:
        message_service_errors(request, error)
    else:
        messages.success(request, _("The screening is saved."))
    return redirect(agreement)


@require_POST
def agreement_continue_view(request, pk):
    """Advisers start a successor county's agreement from this one's text (Viken -> Østfold)."""
    agreement, history = agreement_get_with_history_for_user(user=request.user, pk=pk)
    _require(can_manage_agreements(request.user))
    county_id = posted_id(request.POST.get("county", ""))
    successors = agreement_successor_counties(agreement=agreement, history=history)
    county = next((c for c in successors if c.pk == county_id), None)
    if county is None:
        messages.error(request, _("Choose the county that continues the agreement."))
        return redirect(agreement)
    result = {}

    def call():
        result["agreement"] = services.agreement_continue(agreement=agreement, county=county, actor=request.user)

    if not call_service_messages(request, call):
        return redirect(agreement)
    messages.success(
        request, _("A draft agreement with %(county)s was started from this text.") % {"county": county.name}
    )
    return redirect(result["agreement"])


@require_safe
def agreement_pdf_view(request, pk):
    """The agreement as a PDF with the adoption record and page numbers."""
    agreement = agreement_get_for_user(user=request.user, pk=pk)
    pdf = agreement_pdf(context=agreement_document_context(request, agreement))
    filename = f"partnerskapsavtale-{slugify(agreement.region.slug)}-{agreement.county.number}.pdf"
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET_or_POST
def agreement_create_view(request):
    """Advisers start a draft agreement (or a new version of an adopted one) for a pair."""
    _require(can_manage_agreements(request.user))
    if request.method != "POST":
        initial = {k: request.GET.get(k) for k in ("county", "region") if request.GET.get(k)}
        return render(request, "partnerships/agreement_form.html", {"form": AgreementCreateForm(initial=initial)})
    form = AgreementCreateForm(request.POST)
    result = {}

    def call():
        result["agreement"] = services.agreement_create(actor=request.user, **form.cleaned_data)

    if form.is_valid() and call_service(form, call):
        messages.success(request, _("The draft agreement was created."))
        return redirect(result["agreement"])
    return render(request, "partnerships/agreement_form.html", {"form": form}, status=400)


@require_POST
def agreement_negotiate_view(request, pk):
    agreement = agreement_get_for_user(user=request.user, pk=pk)
    return _perform(
        request,
        agreement,
        lambda: services.agreement_start_negotiation(agreement=agreement, actor=request.user),
        _("The agreement is now in negotiation with the region."),
    )


@require_POST
def agreement_use_current_general_part_view(request, pk):
    agreement = agreement_get_for_user(user=request.user, pk=pk)
    return _perform(
        request,
        agreement,
        lambda: services.agreement_use_current_general_part(agreement=agreement, actor=request.user),
        _("The agreement now refers to the adopted general part."),
    )


def _adopt(request, obj, form_class, template, name, adopt, done):
    """The adoption form of an agreement or a general part: advisers record the decision."""
    _require(can_manage_agreements(request.user))
    form = form_class(request.POST if request.method == "POST" else None)
    context = {name: obj, "form": form}
    if not form.is_bound:
        return render(request, template, context)
    if form.is_valid() and call_service(form, lambda: adopt(**form.cleaned_data)):
        messages.success(request, done)
        return redirect(obj)
    return render(request, template, context, status=400)


@require_GET_or_POST
def agreement_adopt_view(request, pk):
    """Advisers record the county's (and the region's) decision."""
    agreement = agreement_get_for_user(user=request.user, pk=pk)
    return _adopt(
        request,
        agreement,
        AgreementAdoptForm,
        "partnerships/agreement_adopt.html",
        "agreement",
        lambda **decision: services.agreement_adopt(agreement=agreement, actor=request.user, **decision),
        _("The adoption was recorded."),
    )


@require_GET_or_POST
def agreement_term_view(request, pk):
    """Advisers set the agreement's term and revision date (the reminders follow the dates)."""
    agreement = agreement_get_for_user(user=request.user, pk=pk)
    _require(can_manage_agreements(request.user))
    initial = {f: getattr(agreement, f) for f in ("term_starts_on", "term_ends_on", "revision_on")}
    form = AgreementTermForm(request.POST if request.method == "POST" else None, initial=initial)
    context = {"agreement": agreement, "form": form}
    if not form.is_bound:
        return render(request, "partnerships/agreement_term.html", context)
    if form.is_valid() and call_service(
        form, lambda: services.agreement_set_term(agreement=agreement, actor=request.user, **form.cleaned_data)
    ):
        messages.success(request, _("The term and revision date were saved; the reminders follow them."))
        return redirect(agreement)
    return render(request, "partnerships/agreement_term.html", context, status=400)


# --- General part ---------------------------------------------------------------------------------


@require_safe
def general_part_detail_view(request, pk):
    part = general_part_get_for_user(user=request.user, pk=pk)
    return render(
        request,
        "partnerships/generalpart_detail.html",
        {
            "part": part,
            "can_edit": can_edit_general_part(request.user, part),
            "can_manage": can_manage_agreements(request.user),
            "revise_form": RevisionForm(),
        },
    )


@require_GET_or_POST
def general_part_create_view(request):
    _require(can_manage_agreements(request.user))
    form = GeneralPartCreateForm(request.POST if request.method == "POST" else None)
    if not form.is_bound:
        return render(request, "partnerships/generalpart_create.html", {"form": form})
    result = {}

    def call():
        result["part"] = services.general_part_create(actor=request.user, **form.cleaned_data)

    if form.is_valid() and call_service(form, call):
        return redirect("partnerships:general-part-edit", pk=result["part"].pk)
    return render(request, "partnerships/generalpart_create.html", {"form": form}, status=400)


def _general_part_form_page(request, part, form, formset, status=200):
    return render(
        request,
        "partnerships/generalpart_form.html",
        {"part": part, "form": form, "formset": formset, "revise_form": RevisionForm()},
        status=status,
    )


def _sections_of(formset):
    return [
        f.cleaned_data
        for f in formset.forms
        if f.cleaned_data and not f.cleaned_data.get("DELETE") and f.cleaned_data.get("heading")
    ]


@require_GET_or_POST
def general_part_edit_view(request, pk):
    """Advisers edit a draft general part; an adopted one offers a new version instead."""
    part = general_part_get_for_user(user=request.user, pk=pk)
    _require(can_manage_agreements(request.user))
    if request.method != "POST":
        _say_if_locked(request, part)
        form = GeneralPartForm(initial={"title": part.title, "changelog": part.changelog})
        formset = SectionFormSet(
            initial=[{"heading": s.heading, "body": s.body} for s in part.sections.all()], prefix="sections"
        )
        return _general_part_form_page(request, part, form, formset)
    form = GeneralPartForm(request.POST)
    formset = SectionFormSet(request.POST, prefix="sections")
    if (
        form.is_valid()
        and formset.is_valid()
        and call_service(
            form,
            lambda: services.general_part_update(
                general_part=part, actor=request.user, sections=_sections_of(formset), **form.cleaned_data
            ),
        )
    ):
        messages.success(request, _("The draft was saved."))
        return redirect(part)
    return _general_part_form_page(request, part, form, formset, status=400)


@require_POST
def general_part_revise_view(request, pk):
    part = general_part_get_for_user(user=request.user, pk=pk)
    _require(can_manage_agreements(request.user))
    form = RevisionForm(request.POST)
    if not form.is_valid():
        _form_errors_as_messages(request, form)
        return redirect(part)
    result = {}

    def call():
        result["new"] = services.general_part_revise(general_part=part, actor=request.user, **form.cleaned_data)

    if not call_service_messages(request, call):
        return redirect(part)
    messages.success(request, _("Version %(version)s was created as a draft.") % {"version": result["new"].version})
    return redirect("partnerships:general-part-edit", pk=result["new"].pk)


@require_POST
def general_part_consult_view(request, pk):
    part = general_part_get_for_user(user=request.user, pk=pk)
    return _perform(
        request,
        part,
        lambda: services.general_part_send_to_consultation(general_part=part, actor=request.user),
        _("The general part was sent to consultation."),
    )


@require_GET_or_POST
def general_part_adopt_view(request, pk):
    part = general_part_get_for_user(user=request.user, pk=pk)
    return _adopt(
        request,
        part,
        GeneralPartAdoptForm,
        "partnerships/generalpart_adopt.html",
        "part",
        lambda **decision: services.general_part_adopt(general_part=part, actor=request.user, **decision),
        _("The general part was adopted."),
    )


def _history(request, part, versions, lines_of, title):
    versions = list(versions)
    form = DiffForm(request.GET or None, versions=versions)
    rows = None
    chosen = None
    if form.is_bound and form.is_valid():
        by_pk = {v.pk: v for v in versions}
        old, new = by_pk[form.cleaned_data["old"]], by_pk[form.cleaned_data["new"]]
        rows = diff_rows(lines_of(old), lines_of(new))
        chosen = (old, new)
    elif not form.is_bound and len(versions) >= 2:
        form = DiffForm(initial={"old": versions[-2].pk, "new": versions[-1].pk}, versions=versions)
    return render(
        request,
        "partnerships/version_history.html",
        {"part": part, "versions": versions, "form": form, "rows": rows, "chosen": chosen, "title": title},
        status=400 if form.is_bound and not form.is_valid() else 200,
    )


@require_safe
def general_part_history_view(request, pk):
    part = general_part_get_for_user(user=request.user, pk=pk)
    versions = general_part_versions(user=request.user, general_part=part).prefetch_related("sections")
    title = _("Version history: general part, %(county)s") % {"county": part.county.name}
    return _history(request, part, versions, general_part_lines, title)


# --- Special part ---------------------------------------------------------------------------------


@require_safe
def special_part_detail_view(request, pk):
    part = special_part_get_for_user(user=request.user, pk=pk)
    return render(
        request,
        "partnerships/specialpart_detail.html",
        {
            "special_part": part,
            "can_edit": can_edit_special_part(request.user, part),
            "can_manage": can_manage_agreements(request.user),
            "can_comment": can_comment_special_part(request.user, part),
            "agreements": agreement_list_visible_to(user=request.user).filter(special_part=part),
            "revise_form": RevisionForm(),
        },
    )


def _special_part_form_page(request, part, form, status=200):
    return render(
        request,
        "partnerships/specialpart_form.html",
        {"special_part": part, "form": form, "revise_form": RevisionForm()},
        status=status,
    )


def _special_part_initial(part):
    return {
        "title": part.title,
        "introduction": part.introduction,
        "changelog": part.changelog,
        "strengths": "\n".join(i.text for i in part.strengths.all()),
        "challenges": "\n".join(i.text for i in part.challenges.all()),
        "priorities": "\n".join(i.text for i in part.priorities.all()),
        "strategic_plans": list(part.strategic_plans.all()),
    }


@require_GET_or_POST
def special_part_edit_view(request, pk):
    """Advisers edit a draft special part: text, lists and plans."""
    part = special_part_get_for_user(user=request.user, pk=pk)
    _require(can_manage_agreements(request.user))
    if request.method != "POST":
        _say_if_locked(request, part)
        return _special_part_form_page(
            request, part, SpecialPartForm(county=part.county, initial=_special_part_initial(part))
        )
    form = SpecialPartForm(request.POST, county=part.county)

    def call():
        data = form.cleaned_data
        services.special_part_update(
            special_part=part,
            actor=request.user,
            title=data["title"],
            introduction=data["introduction"],
            changelog=data["changelog"],
            strengths=services.lines_of(data["strengths"]),
            challenges=services.lines_of(data["challenges"]),
            priorities=services.lines_of(data["priorities"]),
            strategic_plans=list(data["strategic_plans"]),
        )

    if form.is_valid() and call_service(form, call):
        messages.success(request, _("The draft was saved."))
        return redirect(part)
    return _special_part_form_page(request, part, form, status=400)


@require_GET_or_POST
def special_part_instruments_view(request, pk):
    """Advisers set the prioritised list of policy instruments, in order, with justifications."""
    part = special_part_get_for_user(user=request.user, pk=pk)
    _require(can_manage_agreements(request.user))
    if request.method != "POST":
        _say_if_locked(request, part)
        formset = InstrumentPriorityFormSet(
            initial=[
                {"instrument": row.instrument, "justification": row.justification}
                for row in part.instrument_priorities.all()
            ],
            prefix="instruments",
        )
        return render(request, "partnerships/specialpart_instruments.html", {"special_part": part, "formset": formset})
    formset = InstrumentPriorityFormSet(request.POST, prefix="instruments")
    if formset.is_valid():
        rows = [
            f.cleaned_data
            for f in formset.forms
            if f.cleaned_data.get("instrument") and not f.cleaned_data.get("DELETE")
        ]
        try:
            services.special_part_instruments_set(special_part=part, actor=request.user, rows=rows)
        except ValidationError as error:
            formset._non_form_errors = formset.error_class(error.messages)
        else:
            messages.success(request, _("The prioritised instruments were saved."))
            return redirect(part)
    return render(
        request,
        "partnerships/specialpart_instruments.html",
        {"special_part": part, "formset": formset},
        status=400,
    )


@require_GET_or_POST
def special_part_knowledge_view(request, pk):
    """Advisers add a knowledge-base document (a link or an attachment) to a draft."""
    part = special_part_get_for_user(user=request.user, pk=pk)
    _require(can_manage_agreements(request.user))
    if request.method != "POST":
        _say_if_locked(request, part)
        return render(
            request, "partnerships/specialpart_knowledge.html", {"special_part": part, "form": KnowledgeReferenceForm()}
        )
    form = KnowledgeReferenceForm(request.POST, request.FILES)

    def call():
        data = form.cleaned_data
        owner = {"owner_county": part.county} if data["owner"] == "county" else {"owner_region": part.region}
        services.knowledge_reference_add(
            special_part=part,
            actor=request.user,
            title=data["title"],
            url=data["url"],
            attachment=data["attachment"],
            **owner,
        )

    if form.is_valid() and call_service(form, call):
        messages.success(request, _("The document was added to the knowledge base."))
        return redirect(part)
    return render(request, "partnerships/specialpart_knowledge.html", {"special_part": part, "form": form}, status=400)


@require_safe
def knowledge_reference_download_view(request, pk):
    """An attachment, served only to users who may read the special part, always as a download."""
    ref = knowledge_reference_get_for_user(user=request.user, pk=pk)
    # Stored under a random name: the download is named after the reference's title.
    return upload_response(ref.attachment, filename=ref.title + upload_extension(ref.attachment.name))


@require_POST
def special_part_revise_view(request, pk):
    """Editing an adopted special part: start a new agreement version with a changelog."""
    part = special_part_get_for_user(user=request.user, pk=pk)
    _require(can_manage_agreements(request.user))
    form = RevisionForm(request.POST)
    if not form.is_valid():
        _form_errors_as_messages(request, form)
        return redirect(part)
    result = {}

    def call():
        result["agreement"] = services.agreement_create(
            county=part.county, region=part.region, actor=request.user, changelog=form.cleaned_data["changelog"]
        )

    if not call_service_messages(request, call):
        return redirect(part)
    agreement = result["agreement"]
    messages.success(
        request,
        _("Version %(version)s of the special part was created as a draft, with a new draft agreement.")
        % {"version": agreement.special_part.version},
    )
    return redirect("partnerships:special-part-edit", pk=agreement.special_part_id)


@require_safe
def special_part_history_view(request, pk):
    part = special_part_get_for_user(user=request.user, pk=pk)
    versions = special_part_versions(user=request.user, special_part=part).prefetch_related(*SPECIAL_PART_PREFETCH)
    title = _("Version history: special part, %(region)s – %(county)s") % {
        "region": part.region.name,
        "county": part.county.name,
    }
    return _history(request, part, versions, special_part_lines, title)


def _negotiation_context(request, part, comment_form=None, proposal_form=None):
    record = negotiation_record(special_part=part)
    sections = []
    for key, label in SpecialPartSection.choices:
        sections.append(
            {
                "key": key,
                "label": label,
                "comments": [c for c in record["comments"] if c.section == key],
                "proposals": [p for p in record["proposals"] if p.section == key],
            }
        )
    return {
        "special_part": part,
        "sections": sections,
        "can_comment": can_comment_special_part(request.user, part),
        "can_propose": can_propose_special_part(request.user, part),
        "can_decide": can_manage_agreements(request.user) and part.is_open_for_proposals,
        "comment_form": comment_form or CommentForm(),
        "proposal_form": proposal_form or ProposalForm(),
        "decision_form": DecisionForm(),
    }


@require_GET_or_POST
def special_part_negotiation_view(request, pk):
    """Comments and proposals by section, with the proposed text beside the current one."""
    part = special_part_get_for_user(user=request.user, pk=pk)
    if request.method != "POST":
        return render(request, "partnerships/specialpart_negotiation.html", _negotiation_context(request, part))
    action = request.POST.get("action")
    comment_form = proposal_form = None
    # Whose step it is decides 403; a part no longer open is a message from the service (not now).
    if action == "comment":
        _require(can_take_part_in_negotiation(request.user, part))
        comment_form = CommentForm(request.POST)
        form, service = comment_form, services.comment_add
    elif action == "propose":
        _require(leads_region(request.user, part.region))
        proposal_form = ProposalForm(request.POST)
        form, service = proposal_form, services.proposal_create
    else:
        messages.error(request, _("Unknown action."))
        return redirect("partnerships:special-part-negotiation", pk=part.pk)
    if not part.is_open_for_proposals:  # theirs, but not now: the page shows no form to put it on
        messages.error(request, _("Comments and proposals are only possible while the special part is a draft."))
        return redirect("partnerships:special-part-negotiation", pk=part.pk)
    if form.is_valid() and call_service(
        form, lambda: service(special_part=part, actor=request.user, **form.cleaned_data)
    ):
        messages.success(request, _("The comment was saved.") if action == "comment" else _("The proposal was sent."))
        return redirect("partnerships:special-part-negotiation", pk=part.pk)
    context = _negotiation_context(request, part, comment_form=comment_form, proposal_form=proposal_form)
    return render(request, "partnerships/specialpart_negotiation.html", context, status=400)


def _proposal_decide(request, pk, *, accept):
    """Advisers accept or reject a proposal."""
    proposal = proposal_get_for_user(user=request.user, pk=pk)
    _require(can_manage_agreements(request.user))
    if not can_decide_proposal(request.user, proposal):
        messages.error(request, _("The proposal has already been decided."))
        return redirect("partnerships:special-part-negotiation", pk=proposal.special_part_id)
    form = DecisionForm(request.POST)
    form.is_valid()
    note = form.cleaned_data.get("decision_note", "")
    service = services.proposal_accept if accept else services.proposal_reject
    if call_service_messages(request, lambda: service(proposal=proposal, actor=request.user, note=note)):
        messages.success(request, _("The proposal was accepted.") if accept else _("The proposal was rejected."))
    return redirect("partnerships:special-part-negotiation", pk=proposal.special_part_id)


@require_POST
def proposal_accept_view(request, pk):
    return _proposal_decide(request, pk, accept=True)


@require_POST
def proposal_reject_view(request, pk):
    return _proposal_decide(request, pk, accept=False)
