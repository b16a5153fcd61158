"""Writes of input rounds. Every service takes the acting person as `actor=`, checks the rule in
permissions.py (PermissionDenied), refuses bad input with a Norwegian message (ValidationError) before
anything is saved, and plans or cancels the deadline reminders in the outbox in the same transaction."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from cases.models import Anchoring
from core.uploads import upload_content_type, upload_display_name
from notifications.delivery import FALLBACK_LANGUAGE_KEY
from notifications.models import Message
from notifications.services import message_cancel, message_enqueue
from partnerships.services import check_partnership_pair
from regions.models import Appointment, County, Municipality
from regions.selectors import REGION_SIDE_ROLES, region_message_language

from . import permissions as perms
from .models import Contribution, ContributionAnchoring, ContributionAttachment, Round
from .renderers import DEADLINE_KIND
from .selectors import member_municipalities

# Days before the deadline when a region that has not submitted is reminded, and the hour.
REMINDER_LEAD_DAYS = (14, 3)
REMINDER_HOUR = 8


def _authorise(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(_("You may not do this in the input round."))


def _lock_round(round_) -> Round:
    """The round's row, locked so a submission and the closing cannot cross."""
    return Round.objects.select_for_update().get(pk=round_.pk)


def _save(obj, **kwargs):
    obj.full_clean()
    obj.save(**kwargs)
    return obj


def _require_open(round_) -> None:
    if round_.status != Round.Status.OPEN:
        raise ValidationError(_("The round is closed."))


def _reminder_prefix(round_, region_id=None) -> str:
    prefix = f"rounds.round.{round_.pk}.deadline."
    return prefix if region_id is None else f"{prefix}r{region_id}."


def _region_side_users(region_id, day):
    posts = Appointment.objects.valid_on(day).filter(
        role__in=REGION_SIDE_ROLES, region_id=region_id, person__user__is_active=True
    )
    return list(User.objects.filter(pk__in=posts.values("person__user_id")).order_by("pk"))


def round_plan_reminders(*, round_: Round, now=None) -> int:
    """Plan the reminders before the deadline to the leaders and secretariats of each region that has
    not submitted; those already passed are left out. Idempotent (unique keys)."""
    now = now or timezone.now()
    if round_.status != Round.Status.OPEN:
        return 0
    submitted = set(
        round_.contributions.filter(status=Contribution.Status.SUBMITTED).values_list("region_id", flat=True)
    )
    planned = 0
    for region in round_.regions.order_by("pk"):
        if region.pk in submitted:
            continue
        language = region_message_language(region=region)
        for user in _region_side_users(region.pk, timezone.localdate(now)):
            for lead in REMINDER_LEAD_DAYS:
                due = timezone.make_aware(
                    datetime.datetime.combine(
                        round_.deadline - datetime.timedelta(days=lead), datetime.time(REMINDER_HOUR)
                    )
                )
                if due <= now:
                    continue
                payload = {"round_id": round_.pk, "region_id": region.pk, "lead_days": lead}
                if language:
                    payload[FALLBACK_LANGUAGE_KEY] = language
                message_enqueue(
                    key=f"{_reminder_prefix(round_, region.pk)}{lead}.u{user.pk}",
                    kind=DEADLINE_KIND,
                    recipient=user,
                    payload=payload,
                    due_at=due,
                )
                planned += 1
    return planned


def _cancel_reminders(round_, region_id=None) -> int:
    return message_cancel(
        queryset=Message.objects.filter(
            key__startswith=_reminder_prefix(round_, region_id), state=Message.State.PENDING
        )
    )


@transaction.atomic
def round_open(
    *,
    actor: User,
    county: County,
    title: str,
    public_text: str,
    deadline: datetime.date,
    regions,
    council_areas=(),
    now=None,
) -> Round:
    """Open a round for the chosen regions of the county, with an empty contribution per region and
    the reminders before the deadline planned in the same transaction."""
    now = now or timezone.now()
    _authorise(perms.can_open_round(actor, county))
    regions = list(regions)
    council_areas = list(council_areas)
    if not regions:
        raise ValidationError({"regions": _("Choose at least one region.")})
    if deadline is None or deadline <= timezone.localdate(now):
        raise ValidationError({"deadline": _("The deadline must be after today.")})
    for region in regions:
        check_partnership_pair(county, region)
    for area in council_areas:
        if area.county_id != county.pk:
            raise ValidationError(
                {"council_areas": _("%(area)s is not a council area of %(county)s.") % {"area": area, "county": county}}
            )
    round_ = _save(
        Round(
            county=county,
            title=title,
            public_text=public_text,
            deadline=deadline,
            opened_by=actor,
            opened_at=now,
        )
    )
    round_.regions.set(regions)
    round_.council_areas.set(council_areas)
    for region in regions:
        _save(Contribution(round=round_, region=region, updated_by=actor, updated_at=now))
    round_plan_reminders(round_=round_, now=now)
    return round_


def _writable(contribution, actor) -> Contribution:
    _authorise(perms.can_write_contribution(actor, contribution))
    round_ = _lock_round(contribution.round)
    _require_open(round_)
    contribution = Contribution.objects.select_related("round", "region").get(pk=contribution.pk)
    if contribution.status == Contribution.Status.SUBMITTED:
        raise ValidationError(_("The contribution is already submitted."))
    return contribution


@transaction.atomic
def contribution_save(*, contribution: Contribution, actor: User, text: str, now=None) -> Contribution:
    """Save the region's draft text."""
    contribution = _writable(contribution, actor)
    contribution.text = text
    contribution.updated_by = actor
    contribution.updated_at = now or timezone.now()
    return _save(contribution, update_fields=["text", "updated_by", "updated_at"])


@transaction.atomic
def contribution_submit(*, contribution: Contribution, actor: User, now=None) -> Contribution:
    """Submit the region's contribution (not empty, not after the deadline is closed); its reminders
    are cancelled in the same transaction."""
    now = now or timezone.now()
    contribution = _writable(contribution, actor)
    if not contribution.text.strip():
        raise ValidationError({"text": _("Write the contribution before you submit it.")})
    contribution.status = Contribution.Status.SUBMITTED
    contribution.submitted_by = actor
    contribution.submitted_at = now
    _save(contribution, update_fields=["status", "submitted_by", "submitted_at"])
    _cancel_reminders(contribution.round, contribution.region_id)
    return contribution


@transaction.atomic
def attachment_add(*, contribution: Contribution, actor: User, uploaded_file, now=None) -> ContributionAttachment:
    """Store a checked upload (core.uploads) on a draft contribution; a refused file leaves nothing behind."""
    contribution = _writable(contribution, actor)
    if not uploaded_file:
        raise ValidationError({"file": _("Choose a file.")})
    attachment = ContributionAttachment(
        contribution=contribution,
        file=uploaded_file,
        original_name=upload_display_name(uploaded_file.name),
        content_type=upload_content_type(uploaded_file.name),
        size=uploaded_file.size,
        uploaded_by=actor,
        uploaded_at=now or timezone.now(),
    )
    attachment.full_clean()  # the file field's validator is the upload check
    try:
        attachment.save()
    except BaseException:
        if attachment.file.name and attachment.file._committed:
            attachment.file.delete(save=False)
        raise
    return attachment


@transaction.atomic
def anchoring_record(
    *,
    contribution: Contribution,
    actor: User,
    municipality: Municipality,
    body: str = Anchoring.Body.COUNCIL,
    stance: str = Anchoring.Stance.NOT_TREATED,
    decision_date: datetime.date | None = None,
    reference: str = "",
    now=None,
) -> ContributionAnchoring:
    """Record (or update) how a member municipality's body treated the contribution; only members of
    the region on the day count, as for a case."""
    now = now or timezone.now()
    contribution = _writable(contribution, actor)
    day = timezone.localdate(now)
    if not member_municipalities(region=contribution.region, on=day).filter(pk=municipality.pk).exists():
        raise ValidationError(
            {
                "municipality": _("%(municipality)s is not a member of the region on %(day)s.")
                % {"municipality": municipality, "day": day.strftime("%d.%m.%Y")}
            }
        )
    if decision_date and decision_date > day:
        raise ValidationError({"decision_date": _("The decision date cannot be in the future.")})
    anchoring = ContributionAnchoring.objects.filter(
        contribution=contribution, municipality=municipality, body=body
    ).first() or ContributionAnchoring(contribution=contribution, municipality=municipality, body=body)
    anchoring.stance = stance
    anchoring.decision_date = decision_date
    anchoring.reference = reference
    anchoring.recorded_by = actor
    anchoring.recorded_at = now
    try:
        with transaction.atomic():
            return _save(anchoring)
    except IntegrityError:
        raise ValidationError(_("This body's treatment is already recorded for the municipality.")) from None


@transaction.atomic
def round_close(*, round_: Round, actor: User, now=None) -> Round:
    """Close the round: no more writing; every reminder still planned is cancelled."""
    _authorise(perms.can_manage_round(actor, round_))
    round_ = _lock_round(round_)
    _require_open(round_)
    round_.status = Round.Status.CLOSED
    round_.closed_at = now or timezone.now()
    _save(round_, update_fields=["status", "closed_at"])
    _cancel_reminders(round_)
    return round_


@transaction.atomic
def round_record_sent(
    *, round_: Round, actor: User, sent_on: datetime.date, sent_to: str, sent_note: str = "", now=None
) -> Round:
    """Record what was sent to the state and when (a closed round; not in the future)."""
    _authorise(perms.can_manage_round(actor, round_))
    round_ = _lock_round(round_)
    if round_.status != Round.Status.CLOSED:
        raise ValidationError(_("Close the round before you record what was sent to the state."))
    if sent_on is None or sent_on > timezone.localdate(now or timezone.now()):
        raise ValidationError({"sent_on": _("The date it was sent cannot be in the future.")})
    if not (sent_to or "").strip():
        raise ValidationError({"sent_to": _("Say whom it was sent to.")})
    round_.sent_on, round_.sent_to, round_.sent_note, round_.sent_recorded_by = sent_on, sent_to, sent_note, actor
    return _save(round_, update_fields=["sent_on", "sent_to", "sent_note", "sent_recorded_by"])
