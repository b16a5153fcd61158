"""Writes for partnership agreements. Every operation checks its rule and raises ValidationError
with a Norwegian message (translated English msgid) before anything is saved.

Every service that acts for a person takes it as `actor=` and checks it through permissions.py first:
PermissionDenied when the step is never theirs (the view answers 403 on an object the person can see,
docs/adr/0004-404-not-403.md), ValidationError when it is theirs but not possible now.

The rules: an adopted general or special part never changes (a new version is made instead, with
a changelog); adoption needs a date and a decision reference; one adopted agreement per county and
region at a time, without overlapping validity.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core.screening import screening_apply
from notifications.delivery import FALLBACK_LANGUAGE_KEY
from notifications.models import Message
from notifications.services import message_cancel, message_enqueue
from regions.models import Appointment
from regions.selectors import REGION_SIDE_ROLES, adviser_user_ids_by_county, region_message_language, role_acted_in

from . import permissions as perms
from .hooks import agreement_adopted_listeners
from .models import (
    PROPOSABLE_SECTIONS,
    Agreement,
    Challenge,
    Comment,
    GeneralPart,
    GeneralPartSection,
    InstrumentPriority,
    KnowledgeReference,
    Priority,
    Proposal,
    SpecialPart,
    Strength,
    WorkingGroupMember,
)
from .renderers import AGREEMENT_EXPIRES, AGREEMENT_REVISION_DUE, PROPOSAL_DECIDED, PROPOSAL_MADE, TERM_DATE_FIELDS

LIST_MODELS = {"strengths": Strength, "challenges": Challenge, "priorities": Priority}


def _authorise(allowed: bool) -> None:
    """Refuse a step that is never the actor's (PermissionDenied), before anything is read or saved."""
    if not allowed:
        raise PermissionDenied(_("You may not do this with the partnership agreement."))


def _refuse_locked(part):
    if part.is_locked:
        raise ValidationError(
            _("An adopted version never changes. Make a new version to change the text (version %(version)s).")
            % {"version": part.version}
        )


def _require_decision(adopted_on, decision_reference):
    errors = {}
    if not adopted_on:
        errors["adopted_on"] = _("Adoption requires a date.")
    if not (decision_reference or "").strip():
        errors["decision_reference"] = _("Adoption requires a decision reference.")
    if errors:
        raise ValidationError(errors)


def lines_of(text: str) -> list[str]:
    """The non-empty lines of a text area (one list item per line), without list markers."""
    items = []
    for line in (text or "").splitlines():
        line = line.strip()
        if line.startswith(("- ", "* ")):
            line = line[2:].strip()
        if line:
            items.append(line)
    return items


# --- General part -------------------------------------------------------------------------------


@transaction.atomic
def general_part_create(
    *, county, title: str, actor: User, sections: list[dict] | None = None, changelog: str = ""
) -> GeneralPart:
    """A new draft version of the county's general part, numbered after the newest one."""
    _authorise(perms.can_manage_agreements(actor))
    if GeneralPart.objects.filter(
        county=county, status__in=[GeneralPart.Status.DRAFT, GeneralPart.Status.IN_CONSULTATION]
    ).exists():
        raise ValidationError(_("The county already has a general part being worked on. Finish or adopt it first."))
    version = (GeneralPart.objects.filter(county=county).aggregate(v=Max("version"))["v"] or 0) + 1
    previous = GeneralPart.objects.filter(county=county).order_by("-version").first()
    part = GeneralPart(
        county=county, version=version, title=title, changelog=changelog, created_by=actor, previous=previous
    )
    part.full_clean()
    part.save()
    _general_part_sections_replace(part, sections or [])
    return part


def _general_part_sections_replace(part, sections):
    part.sections.all().delete()
    for order, data in enumerate(sections, start=1):
        section = GeneralPartSection(
            general_part=part, order=order, heading=data.get("heading", "").strip(), body=data.get("body", "")
        )
        section.full_clean()
        section.save()


@transaction.atomic
def general_part_update(
    *, general_part: GeneralPart, actor: User, title: str, changelog: str, sections: list[dict]
) -> GeneralPart:
    """Change a draft general part's title, changelog and sections; adopted versions are refused."""
    _authorise(perms.can_manage_agreements(actor))
    part = GeneralPart.objects.select_for_update().get(pk=general_part.pk)
    _refuse_locked(part)
    part.title = title
    part.changelog = changelog
    part.full_clean()
    part.save(update_fields=["title", "changelog"])
    _general_part_sections_replace(part, sections)
    return part


@transaction.atomic
def general_part_revise(*, general_part: GeneralPart, actor: User, changelog: str = "") -> GeneralPart:
    """A new draft version copying the given one (sections and working group)."""
    _authorise(perms.can_manage_agreements(actor))
    source = general_part
    new = general_part_create(
        county=source.county,
        title=source.title,
        actor=actor,
        changelog=changelog,
        sections=[{"heading": s.heading, "body": s.body} for s in source.sections.all()],
    )
    for member in source.working_group.all():
        WorkingGroupMember.objects.create(
            general_part=new, person=member.person, represents_region=member.represents_region, role=member.role
        )
    new.previous = source
    new.save(update_fields=["previous"])
    return new


@transaction.atomic
def general_part_send_to_consultation(*, general_part: GeneralPart, actor: User) -> GeneralPart:
    """A draft general part goes out to the regions for consultation."""
    _authorise(perms.can_manage_agreements(actor))
    part = GeneralPart.objects.select_for_update().get(pk=general_part.pk)
    if part.status != GeneralPart.Status.DRAFT:
        raise ValidationError(_("Only a draft can be sent to consultation."))
    part.status = GeneralPart.Status.IN_CONSULTATION
    part.save(update_fields=["status"])
    return part


@transaction.atomic
def general_part_adopt(
    *,
    general_part: GeneralPart,
    actor: User,
    adopted_on: datetime.date | None,
    decision_reference: str,
    adopting_body: str = "",
) -> GeneralPart:
    """Adopt a general-part version; the previously adopted version becomes superseded, and so
    every agreement adopted on it is "re-adoption due" until it refers to the new one."""
    _authorise(perms.can_manage_agreements(actor))
    _require_decision(adopted_on, decision_reference)
    part = GeneralPart.objects.select_for_update().get(pk=general_part.pk)
    _refuse_locked(part)
    current = (
        GeneralPart.objects.select_for_update().filter(county=part.county, status=GeneralPart.Status.ADOPTED).first()
    )
    if current and current.version > part.version:
        raise ValidationError(_("A newer version (%(version)s) is already adopted.") % {"version": current.version})
    if current and current.adopted_on and adopted_on < current.adopted_on:
        raise ValidationError(
            {"adopted_on": _("The adoption date cannot be before the current version's adoption date.")}
        )
    if current:
        current.status = GeneralPart.Status.SUPERSEDED
        current.save(update_fields=["status"])
    part.status = GeneralPart.Status.ADOPTED
    part.adopted_on = adopted_on
    part.decision_reference = decision_reference.strip()
    part.adopting_body = adopting_body.strip()
    part.full_clean()
    part.save(update_fields=["status", "adopted_on", "decision_reference", "adopting_body"])
    return part


# --- Special part -------------------------------------------------------------------------------


def check_partnership_pair(county, region):
    """The county hosts or partners with the region at some time (its dated county links), or, for a
    region without dated links, is its host or a partner county."""
    links = region.county_links.all()
    if links.exists():
        linked = links.filter(county=county).exists()
    else:
        linked = region.host_county_id == county.pk or region.partner_counties.filter(pk=county.pk).exists()
    if not linked:
        raise ValidationError(
            _("%(region)s has no partnership with %(county)s.") % {"region": region.name, "county": county.name}
        )


def _replace_items(part, field, texts):
    """Set an ordered list to the given texts, keeping the rows (and their tags) by position."""
    model = LIST_MODELS[field]
    existing = list(model.objects.filter(special_part=part).order_by("order", "pk"))
    for order, text in enumerate(texts, start=1):
        if order <= len(existing):
            item = existing[order - 1]
            if item.text != text or item.order != order:
                item.text, item.order = text, order
                item.full_clean()
                item.save(update_fields=["text", "order"])
        else:
            item = model(special_part=part, order=order, text=text)
            item.full_clean()
            item.save()
    for item in existing[len(texts) :]:
        item.delete()


@transaction.atomic
def special_part_create(*, county, region, title: str, actor: User, introduction: str = "") -> SpecialPart:
    """Version 1 of a region's special part with a county, as a draft."""
    _authorise(perms.can_manage_agreements(actor))
    check_partnership_pair(county, region)
    if SpecialPart.objects.filter(county=county, region=region).exists():
        raise ValidationError(_("The region already has a special part with this county. Make a new version instead."))
    part = SpecialPart(
        county=county, region=region, version=1, title=title, introduction=introduction, created_by=actor
    )
    part.full_clean()
    part.save()
    return part


@transaction.atomic
def special_part_update(
    *,
    special_part: SpecialPart,
    actor: User,
    title: str,
    introduction: str,
    changelog: str,
    strengths: list[str],
    challenges: list[str],
    priorities: list[str],
    strategic_plans=None,
) -> SpecialPart:
    """Change a draft special part; adopted versions are refused."""
    _authorise(perms.can_manage_agreements(actor))
    part = SpecialPart.objects.select_for_update().get(pk=special_part.pk)
    _refuse_locked(part)
    part.title, part.introduction, part.changelog = title, introduction, changelog
    part.full_clean()
    part.save(update_fields=["title", "introduction", "changelog"])
    _replace_items(part, "strengths", strengths)
    _replace_items(part, "challenges", challenges)
    _replace_items(part, "priorities", priorities)
    if strategic_plans is not None:
        wrong = [plan for plan in strategic_plans if plan.county_id != part.county_id]
        if wrong:
            raise ValidationError(_("A strategic plan must belong to the agreement's county."))
        part.strategic_plans.set(strategic_plans)
    return part


@transaction.atomic
def special_part_instruments_set(*, special_part: SpecialPart, actor: User, rows: list[dict]) -> SpecialPart:
    """Set the prioritised instruments in order: rows of {"instrument": Instrument, "justification": str}."""
    _authorise(perms.can_manage_agreements(actor))
    part = SpecialPart.objects.select_for_update().get(pk=special_part.pk)
    _refuse_locked(part)
    seen = set()
    for row in rows:
        if row["instrument"].pk in seen:
            raise ValidationError(_("An instrument can only be listed once."))
        seen.add(row["instrument"].pk)
    part.instrument_priorities.all().delete()
    for order, row in enumerate(rows, start=1):
        item = InstrumentPriority(
            special_part=part, instrument=row["instrument"], order=order, justification=row.get("justification", "")
        )
        item.full_clean()
        item.save()
    return part


@transaction.atomic
def knowledge_reference_add(
    *,
    special_part: SpecialPart,
    actor: User,
    title: str,
    url: str = "",
    attachment=None,
    owner_county=None,
    owner_region=None,
) -> KnowledgeReference:
    """Add a knowledge-base document (a link or an attachment) to a draft special part; an attachment
    passes the upload check (core.uploads) and a refused one leaves neither a row nor a file."""
    _authorise(perms.can_manage_agreements(actor))
    part = SpecialPart.objects.select_for_update().get(pk=special_part.pk)
    _refuse_locked(part)
    if not url and not attachment:
        raise ValidationError(_("Give a link or an attachment."))
    order = (part.knowledge_references.aggregate(o=Max("order"))["o"] or 0) + 1
    ref = KnowledgeReference(
        special_part=part,
        order=order,
        title=title,
        url=url,
        owner_county=owner_county,
        owner_region=owner_region,
    )
    if attachment:
        ref.attachment = attachment
    ref.full_clean()  # the attachment field's validator is the upload check (core.uploads)
    try:
        ref.save()  # stores the file under a random name, then inserts the row
    except BaseException:
        if ref.attachment.name and ref.attachment._committed:
            ref.attachment.delete(save=False)
        raise
    return ref


@transaction.atomic
def knowledge_reference_remove(*, reference: KnowledgeReference, actor: User) -> None:
    """Remove a knowledge-base document from a draft special part."""
    _authorise(perms.can_manage_agreements(actor))
    _refuse_locked(SpecialPart.objects.select_for_update().get(pk=reference.special_part_id))
    reference.delete()


@transaction.atomic
def special_part_revise(*, special_part: SpecialPart, actor: User, changelog: str = "") -> SpecialPart:
    """A new draft version copying every list of the given version; items keep their lineage so
    cases tagged with a priority can be followed to the new version."""
    _authorise(perms.can_manage_agreements(actor))
    source = special_part
    if SpecialPart.objects.filter(
        county=source.county,
        region=source.region,
        status__in=[SpecialPart.Status.DRAFT, SpecialPart.Status.IN_NEGOTIATION],
    ).exists():
        raise ValidationError(_("A new version is already being worked on."))
    version = (
        SpecialPart.objects.filter(county=source.county, region=source.region).aggregate(v=Max("version"))["v"] + 1
    )
    new = _special_part_copy(source, county=source.county, version=version, actor=actor, changelog=changelog)
    new.strategic_plans.set(source.strategic_plans.all())
    for row in source.instrument_priorities.all():
        InstrumentPriority.objects.create(
            special_part=new, instrument=row.instrument, order=row.order, justification=row.justification
        )
    return new


def _special_part_copy(source, *, county, version, actor, changelog):
    """A new draft of the source's text for the county: title, introduction, the three lists (items keep
    their lineage) and the knowledge references; linked to the source as its previous version."""
    new = SpecialPart(
        county=county,
        region=source.region,
        version=version,
        title=source.title,
        introduction=source.introduction,
        changelog=changelog,
        previous=source,
        created_by=actor,
    )
    new.full_clean()
    new.save()
    for field, model in LIST_MODELS.items():
        for item in getattr(source, field).all():
            model.objects.create(special_part=new, order=item.order, text=item.text, lineage=item.lineage)
    for ref in source.knowledge_references.all():
        KnowledgeReference.objects.create(
            special_part=new,
            order=ref.order,
            title=ref.title,
            url=ref.url,
            attachment=ref.attachment.name if ref.attachment else "",
            owner_county=ref.owner_county,
            owner_region=ref.owner_region,
        )
    return new


# --- Agreements -------------------------------------------------------------------------------


@transaction.atomic
def agreement_create(*, county, region, actor: User, changelog: str = "") -> Agreement:
    """A draft agreement for the pair: the county's current general part and a draft special part
    (a new version of the newest one, or version 1). It replaces the adopted agreement, if any."""
    _authorise(perms.can_manage_agreements(actor))
    check_partnership_pair(county, region)
    if Agreement.objects.filter(
        county=county, region=region, status__in=[Agreement.Status.DRAFT, Agreement.Status.IN_NEGOTIATION]
    ).exists():
        raise ValidationError(_("An agreement for this county and region is already being worked on."))
    general = (
        GeneralPart.objects.filter(county=county, status=GeneralPart.Status.ADOPTED).first()
        or GeneralPart.objects.filter(county=county).order_by("-version").first()
    )
    if general is None:
        raise ValidationError(_("The county has no general part yet. Write the general part first."))
    latest = SpecialPart.objects.filter(county=county, region=region).order_by("-version").first()
    if latest is None:
        special = special_part_create(
            county=county,
            region=region,
            actor=actor,
            title=_("Special part for %(region)s") % {"region": region.name},
        )
    elif latest.is_locked:
        special = special_part_revise(special_part=latest, actor=actor, changelog=changelog)
    else:
        special = latest
    replaces = Agreement.objects.filter(county=county, region=region, status=Agreement.Status.ADOPTED).first()
    agreement = Agreement(county=county, region=region, general_part=general, special_part=special, replaces=replaces)
    agreement.full_clean()
    agreement.save()
    return agreement


@transaction.atomic
def agreement_continue(*, agreement: Agreement, county, actor: User, changelog: str = "") -> Agreement:
    """A successor county's new agreement with the region, starting from the text of an agreement of the
    county it succeeds (Viken's agreement with Indre Østfold continued by Østfold): a draft with the
    successor's current general part and a copy of the special part, linked to the old agreement
    (`replaces`) and the old special part (`previous`). The old agreement stays as it is, as history."""
    _authorise(perms.can_manage_agreements(actor))
    old = Agreement.objects.select_related("county", "region", "special_part").get(pk=agreement.pk)
    if not old.county.successors.filter(pk=county.pk).exists():
        raise ValidationError(
            _("%(county)s does not succeed %(old)s, so it cannot continue its agreement.")
            % {"county": county.name, "old": old.county.name}
        )
    if old.status not in (Agreement.Status.ADOPTED, Agreement.Status.SUPERSEDED, Agreement.Status.TERMINATED):
        raise ValidationError(_("Only an adopted agreement can be continued."))
    region = old.region
    check_partnership_pair(county, region)
    if Agreement.objects.filter(
        county=county, region=region, status__in=[Agreement.Status.DRAFT, Agreement.Status.IN_NEGOTIATION]
    ).exists():
        raise ValidationError(_("An agreement for this county and region is already being worked on."))
    if Agreement.objects.filter(county=county, region=region, replaces=old).exists():
        raise ValidationError(_("This agreement has already been continued by %(county)s.") % {"county": county.name})
    general = (
        GeneralPart.objects.filter(county=county, status=GeneralPart.Status.ADOPTED).first()
        or GeneralPart.objects.filter(county=county).order_by("-version").first()
    )
    if general is None:
        raise ValidationError(_("The county has no general part yet. Write the general part first."))
    version = (SpecialPart.objects.filter(county=county, region=region).aggregate(v=Max("version"))["v"] or 0) + 1
    changelog = changelog or _("Continued from the agreement with %(county)s.") % {"county": old.county.name}
    special = _special_part_copy(old.special_part, county=county, version=version, actor=actor, changelog=changelog)
    new = Agreement(county=county, region=region, general_part=general, special_part=special, replaces=old)
    new.full_clean()
    new.save()
    return new


@transaction.atomic
def agreements_end_with_county(*, county, today: datetime.date | None = None) -> int:
    """A county's adopted agreements end when the county ends (Viken's on 2024-01-01): each gets the
    county's end as its end and, once that day has come, the status terminated, so it is shown as
    history. Idempotent; returns how many agreements changed."""
    if county.valid_to is None:
        return 0
    today = today or timezone.localdate()
    changed = 0
    rows = Agreement.objects.select_for_update().filter(
        Q(valid_from__isnull=True) | Q(valid_from__lt=county.valid_to), county=county, status=Agreement.Status.ADOPTED
    )
    for agreement in rows.filter(Q(valid_to__isnull=True) | Q(valid_to__gt=county.valid_to)):
        agreement.valid_to = county.valid_to
        agreement.save(update_fields=["valid_to"])
        changed += 1
    if county.valid_to <= today:
        changed += rows.filter(valid_to__lte=county.valid_to).update(status=Agreement.Status.TERMINATED)
    return changed


@transaction.atomic
def agreement_use_current_general_part(*, agreement: Agreement, actor: User) -> Agreement:
    """Point a draft agreement at the county's adopted general part (after a new one was adopted)."""
    _authorise(perms.can_manage_agreements(actor))
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    if agreement.status not in (Agreement.Status.DRAFT, Agreement.Status.IN_NEGOTIATION):
        raise ValidationError(_("Only a draft agreement can be changed."))
    current = GeneralPart.objects.filter(county=agreement.county, status=GeneralPart.Status.ADOPTED).first()
    if current is None:
        raise ValidationError(_("The county has no adopted general part yet."))
    agreement.general_part = current
    agreement.save(update_fields=["general_part"])
    return agreement


@transaction.atomic
def agreement_start_negotiation(*, agreement: Agreement, actor: User) -> Agreement:
    """A draft agreement goes to negotiation with the region."""
    _authorise(perms.can_manage_agreements(actor))
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    if agreement.status != Agreement.Status.DRAFT:
        raise ValidationError(_("Only a draft agreement can go to negotiation."))
    agreement.status = Agreement.Status.IN_NEGOTIATION
    agreement.save(update_fields=["status"])
    special = agreement.special_part
    if special.status == SpecialPart.Status.DRAFT:
        special.status = SpecialPart.Status.IN_NEGOTIATION
        special.save(update_fields=["status"])
    return agreement


def _overlaps(qs, valid_from, valid_to):
    qs = qs.filter(Q(valid_to__isnull=True) | Q(valid_to__gt=valid_from))
    if valid_to:
        qs = qs.filter(Q(valid_from__isnull=True) | Q(valid_from__lt=valid_to))
    return qs


def _check_adoption_decision(
    county_adopted_on, county_decision_reference, region_adopted_on, region_decision_reference
):
    """An adoption names the county's decision (date and reference), and the region's date if it
    names the region's decision."""
    errors = {}
    if not county_adopted_on:
        errors["county_adopted_on"] = _("Adoption requires a date.")
    if not (county_decision_reference or "").strip():
        errors["county_decision_reference"] = _("Adoption requires a decision reference.")
    if (region_decision_reference or "").strip() and not region_adopted_on:
        errors["region_adopted_on"] = _("Give the date of the region's decision.")
    if errors:
        raise ValidationError(errors)


def _check_adoptable(agreement):
    if agreement.status not in (Agreement.Status.DRAFT, Agreement.Status.IN_NEGOTIATION):
        raise ValidationError(_("Only a draft or negotiated agreement can be adopted."))
    if agreement.general_part.status != GeneralPart.Status.ADOPTED:
        raise ValidationError(
            _(
                "The agreement refers to a general part that is not the adopted one. "
                "Adopt the general part first, or use the current adopted general part."
            )
        )


def _replaced_in_period(agreement, valid_from, valid_to):
    """The adopted agreement this one replaces (or None), after checking that no other adopted
    agreement of the same county and region overlaps the period (the pair's rows are locked)."""
    pair = Agreement.objects.select_for_update().filter(county=agreement.county, region=agreement.region)
    replaced = pair.filter(pk=agreement.replaces_id, status=Agreement.Status.ADOPTED).first()
    if replaced is not None and replaced.valid_from and replaced.valid_from >= valid_from:
        raise ValidationError(
            {
                "valid_from": _("The agreement must start after the agreement it replaces (valid from %(day)s).")
                % {"day": replaced.valid_from.strftime("%d.%m.%Y")}
            }
        )
    others = pair.filter(status__in=[Agreement.Status.ADOPTED, Agreement.Status.SUPERSEDED]).exclude(pk=agreement.pk)
    if replaced is not None:
        others = others.exclude(pk=replaced.pk)
    if _overlaps(others, valid_from, valid_to).exists() or (
        replaced is None and others.filter(status=Agreement.Status.ADOPTED).exists()
    ):
        raise ValidationError(
            _(
                "The region already has an adopted agreement with this county for this period. "
                "One adopted agreement at a time."
            )
        )

    return replaced


def _supersede(replaced, agreement, valid_from):
    """The replaced agreement ends the day the new one starts; its special part, if not the new
    agreement's, is superseded with it."""
    if replaced.valid_to is None or replaced.valid_to > valid_from:
        replaced.valid_to = valid_from
    replaced.status = Agreement.Status.SUPERSEDED
    replaced.full_clean()
    replaced.save(update_fields=["status", "valid_to"])
    old_special = replaced.special_part
    if old_special.pk != agreement.special_part_id and old_special.status == SpecialPart.Status.ADOPTED:
        old_special.status = SpecialPart.Status.SUPERSEDED
        old_special.save(update_fields=["status"])


@transaction.atomic
def agreement_adopt(
    *,
    agreement: Agreement,
    actor: User,
    county_adopted_on: datetime.date | None,
    county_decision_reference: str,
    region_adopted_on: datetime.date | None = None,
    region_decision_reference: str = "",
    valid_from: datetime.date | None = None,
    valid_to: datetime.date | None = None,
    signatories: str = "",
) -> Agreement:
    """Record the political adoption: the special part is adopted with the agreement, and the
    agreement it replaces ends the day the new one starts. Overlapping adopted agreements for the
    same county and region are refused."""
    _authorise(perms.can_manage_agreements(actor))
    _check_adoption_decision(county_adopted_on, county_decision_reference, region_adopted_on, region_decision_reference)
    agreement = (
        Agreement.objects.select_for_update().select_related("general_part", "special_part").get(pk=agreement.pk)
    )
    _check_adoptable(agreement)
    valid_from = valid_from or county_adopted_on
    if valid_to and valid_to <= valid_from:
        raise ValidationError({"valid_to": _("The end date must be after the start date.")})
    replaced = _replaced_in_period(agreement, valid_from, valid_to)
    if replaced is not None:
        _supersede(replaced, agreement, valid_from)

    special = agreement.special_part
    if not special.is_locked:
        special.status = SpecialPart.Status.ADOPTED
        special.adopted_on = county_adopted_on
        special.decision_reference = county_decision_reference.strip()
        special.full_clean()
        special.save(update_fields=["status", "adopted_on", "decision_reference"])

    agreement.status = Agreement.Status.ADOPTED
    agreement.county_adopted_on = county_adopted_on
    agreement.county_decision_reference = county_decision_reference.strip()
    agreement.region_adopted_on = region_adopted_on
    agreement.region_decision_reference = (region_decision_reference or "").strip()
    agreement.valid_from = valid_from
    agreement.valid_to = valid_to
    agreement.signatories = signatories
    agreement.full_clean()
    try:
        # The database has the last word (partial unique index; exclusion constraint on PostgreSQL).
        with transaction.atomic():
            agreement.save()
    except IntegrityError:
        raise ValidationError(
            _(
                "The region already has an adopted agreement with this county for this period. "
                "One adopted agreement at a time."
            )
        ) from None
    agreement_adopted_listeners.notify(agreement=agreement)  # the archive hand-off, in this transaction
    return agreement


# --- Negotiation ---------------------------------------------------------------------------------


def _section_text(part: SpecialPart, section: str) -> str:
    if section == "introduction":
        return part.introduction
    return "\n".join(item.text for item in getattr(part, section).all())


def _open_part(special_part):
    part = SpecialPart.objects.select_for_update().select_related("region").get(pk=special_part.pk)
    if not part.is_open_for_proposals:
        raise ValidationError(_("Comments and proposals are only possible while the special part is a draft."))
    return part


@transaction.atomic
def comment_add(*, special_part: SpecialPart, section: str, text: str, actor: User, now=None) -> Comment:
    """Keep a comment on a section of a draft special part, with author and time."""
    _authorise(perms.can_take_part_in_negotiation(actor, special_part))
    part = _open_part(special_part)
    comment = Comment(
        special_part=part,
        section=section,
        text=text.strip(),
        author=actor,
        author_role=role_acted_in(user=actor, region_ids=[part.region_id]),
        created_at=now or timezone.now(),
    )
    comment.full_clean()
    comment.save()
    return comment


def _advisers(county_id):
    """The advisers and admins who work with the county's agreements: those of the county and those who
    work nationally (no county appointment, or given the national view), as for a new case."""
    by_county = adviser_user_ids_by_county()
    users = User.objects.filter(is_active=True).filter(Q(role=User.Role.ADVISER) | Q(role=User.Role.ADMIN))
    return [
        user
        for user in users.order_by("pk")
        if user.role == User.Role.ADMIN
        or user.national_view
        or user.pk not in by_county
        or county_id in by_county[user.pk]
    ]


@transaction.atomic
def proposal_create(
    *, special_part: SpecialPart, section: str, proposed_text: str, actor: User, justification: str = "", now=None
) -> Proposal:
    """A proposed new text for a section, kept beside the current text; the advisers are notified."""
    _authorise(perms.leads_region(actor, special_part.region))
    part = _open_part(special_part)
    if section not in PROPOSABLE_SECTIONS:
        raise ValidationError({"section": _("Choose a section that can be changed by a proposal.")})
    if not proposed_text.strip():
        raise ValidationError({"proposed_text": _("Write the proposed text.")})
    current = _section_text(part, section)
    if proposed_text.strip() == current.strip():
        raise ValidationError({"proposed_text": _("The proposed text is the same as the current text.")})
    proposal = Proposal(
        special_part=part,
        section=section,
        current_text=current,
        proposed_text=proposed_text.strip(),
        justification=justification.strip(),
        author=actor,
        author_role=role_acted_in(user=actor, region_ids=[part.region_id]),
        created_at=now or timezone.now(),
    )
    proposal.full_clean()
    proposal.save()
    for adviser in _advisers(part.county_id):
        message_enqueue(
            key=f"partnerships.proposal.{proposal.pk}.made.{adviser.pk}",
            kind=PROPOSAL_MADE,
            recipient=adviser,
            payload={"proposal_id": proposal.pk},
        )
    return proposal


def _decide(proposal, actor, now, note, status):
    _authorise(perms.can_manage_agreements(actor))
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    part = _open_part(proposal.special_part)
    if proposal.status != Proposal.Status.PENDING:
        raise ValidationError(_("The proposal has already been decided."))
    proposal.status = status
    proposal.decided_by = actor
    proposal.decided_at = now or timezone.now()
    proposal.decision_note = (note or "").strip()
    proposal.full_clean()
    proposal.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    payload = {"proposal_id": proposal.pk}
    # What the county answers a region follows the region's language form for a person without a choice.
    if region_message_language(region=part.region):
        payload[FALLBACK_LANGUAGE_KEY] = region_message_language(region=part.region)
    message_enqueue(
        key=f"partnerships.proposal.{proposal.pk}.{status}",
        kind=PROPOSAL_DECIDED,
        recipient=proposal.author,
        payload=payload,
    )
    return proposal, part


@transaction.atomic
def proposal_accept(*, proposal: Proposal, actor: User, note: str = "", now=None) -> Proposal:
    """Accept a proposal: its text replaces the section's text; the proposer is notified."""
    proposal, part = _decide(proposal, actor, now, note, Proposal.Status.ACCEPTED)
    if proposal.section == "introduction":
        part.introduction = proposal.proposed_text
        part.full_clean()
        part.save(update_fields=["introduction"])
    else:
        _replace_items(part, proposal.section, lines_of(proposal.proposed_text))
    return proposal


@transaction.atomic
def proposal_reject(*, proposal: Proposal, actor: User, note: str = "", now=None) -> Proposal:
    """Reject a proposal (the text stays as it is); the proposer is notified."""
    if not (note or "").strip():
        raise ValidationError({"decision_note": _("Give a reason when rejecting a proposal.")})
    proposal, _part = _decide(proposal, actor, now, note, Proposal.Status.REJECTED)
    return proposal


@transaction.atomic
def agreement_screening_set(
    *,
    agreement: Agreement,
    actor: User,
    access: str,
    legal_basis: str = "",
    legal_basis_text: str = "",
    title_screened: bool = False,
    screened_title: str = "",
    now: datetime.datetime | None = None,
) -> Agreement:
    """Set what the public may see of an agreement (partnerships.selectors.public_agreements): advisers
    only; an exemption names its legal basis."""
    if not perms.can_screen_agreement(actor, agreement):
        raise PermissionDenied
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    screening_apply(
        agreement,
        now=now or timezone.now(),
        access=access,
        legal_basis=legal_basis,
        legal_basis_text=legal_basis_text,
        title_screened=title_screened,
        screened_title=screened_title,
    )
    return agreement


# --- the agreement's term and revision date ---------------------------------------------------------

# Days before the end of the term and before the revision date when the advisers and the region's
# leaders are reminded.
TERM_REMINDER_LEAD_DAYS = (90, 30)
TERM_REMINDER_HOUR = 8


def _term_message_prefix(agreement):
    return f"partnerships.agreement.{agreement.pk}.term."


def _region_leader_users(region_id, day):
    leaders = Appointment.objects.valid_on(day).filter(
        role__in=REGION_SIDE_ROLES, region_id=region_id, person__user__is_active=True
    )
    return list(User.objects.filter(pk__in=leaders.values("person__user_id")).order_by("pk"))


def agreement_plan_term_reminders(*, agreement: Agreement, now=None) -> int:
    """Plan the reminders before the end of the term and before the revision date, to the county's
    advisers and the region's leaders; those already passed are left out. Idempotent (unique keys;
    a cancelled one with the same key is planned again)."""
    now = now or timezone.now()
    if agreement.status in (Agreement.Status.SUPERSEDED, Agreement.Status.TERMINATED):
        return 0
    recipients = {user.pk: user for user in _advisers(agreement.county_id)}
    recipients.update({user.pk: user for user in _region_leader_users(agreement.region_id, timezone.localdate(now))})
    language = region_message_language(region=agreement.region)
    planned = 0
    for kind in (AGREEMENT_EXPIRES, AGREEMENT_REVISION_DUE):
        field = TERM_DATE_FIELDS[kind]
        day = getattr(agreement, field)
        if day is None:
            continue
        for lead in TERM_REMINDER_LEAD_DAYS:
            due = timezone.make_aware(
                datetime.datetime.combine(day - datetime.timedelta(days=lead), datetime.time(TERM_REMINDER_HOUR))
            )
            if due <= now:
                continue
            for user in recipients.values():
                payload = {"agreement_id": agreement.pk, "date": day.isoformat(), "lead_days": lead}
                if language and user.role == User.Role.REGION_LEADER:
                    payload[FALLBACK_LANGUAGE_KEY] = language
                message_enqueue(
                    key=f"{_term_message_prefix(agreement)}{field}.{day.isoformat()}.{lead}.u{user.pk}",
                    kind=kind,
                    recipient=user,
                    payload=payload,
                    due_at=due,
                )
                planned += 1
    return planned


@transaction.atomic
def agreement_set_term(
    *,
    agreement: Agreement,
    actor: User,
    term_starts_on: datetime.date | None,
    term_ends_on: datetime.date | None,
    revision_on: datetime.date | None,
    now=None,
) -> Agreement:
    """Set the agreement's term and revision date; the reminders planned for the old dates are
    cancelled and those for the new dates planned, in the same transaction."""
    _authorise(perms.can_manage_agreements(actor))
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    if not perms.can_set_agreement_term(actor, agreement):
        raise ValidationError(_("The agreement is no longer in force; its term cannot be changed."))
    errors = {}
    if term_starts_on and term_ends_on and term_ends_on <= term_starts_on:
        errors["term_ends_on"] = _("The term must end after it starts.")
    if revision_on and term_starts_on and revision_on < term_starts_on:
        errors["revision_on"] = _("The revision date cannot be before the term starts.")
    if revision_on and term_ends_on and revision_on > term_ends_on:
        errors["revision_on"] = _("The revision date cannot be after the term ends.")
    if errors:
        raise ValidationError(errors)
    agreement.term_starts_on, agreement.term_ends_on, agreement.revision_on = term_starts_on, term_ends_on, revision_on
    agreement.full_clean()
    agreement.save(update_fields=["term_starts_on", "term_ends_on", "revision_on"])
    message_cancel(
        queryset=Message.objects.filter(key__startswith=_term_message_prefix(agreement), state=Message.State.PENDING)
    )
    agreement_plan_term_reminders(agreement=agreement, now=now)
    return agreement
