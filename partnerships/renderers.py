"""Outbox renderers for the partnership agreements: the text is written at send time, in bokmål, and a
message whose recipient may no longer see the special part (an adviser who left the coordination unit,
a leader whose appointment has ended) is cancelled instead of sent."""

import datetime

from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _

from accounts.permissions import is_adviser
from notifications.registry import Rendered, register

from .models import Agreement, Proposal, SpecialPart
from .permissions import visible_agreement_filter, visible_special_part_filter

PROPOSAL_MADE = "partnerships.proposal_made"
PROPOSAL_DECIDED = "partnerships.proposal_decided"
AGREEMENT_EXPIRES = "partnerships.agreement_expires"
AGREEMENT_REVISION_DUE = "partnerships.agreement_revision_due"
# Which date of the agreement each reminder is about.
TERM_DATE_FIELDS = {AGREEMENT_EXPIRES: "term_ends_on", AGREEMENT_REVISION_DUE: "revision_on"}


def _proposal(message):
    try:
        pk = int((message.payload or {})["proposal_id"])
    except (KeyError, TypeError, ValueError):
        return None
    return Proposal.objects.select_related("special_part__region", "author", "decided_by").filter(pk=pk).first()


def _may_see(user, part) -> bool:
    condition = visible_special_part_filter(user)
    return condition is None or SpecialPart.objects.filter(condition, pk=part.pk).exists()


def _negotiation_url(part):
    return reverse("partnerships:special-part-negotiation", kwargs={"pk": part.pk})


@register(PROPOSAL_MADE)
def render_proposal_made(message):
    proposal = _proposal(message)
    if proposal is None or message.recipient is None or not is_adviser(message.recipient):
        return None
    part = proposal.special_part
    return Rendered(
        subject=_("New proposal for the special part of %(region)s") % {"region": part.region.name},
        body=_("%(author)s proposes a new text for the section “%(section)s”.")
        % {"author": str(proposal.author), "section": proposal.get_section_display()},
        url=_negotiation_url(part),
    )


@register(PROPOSAL_DECIDED)
def render_proposal_decided(message):
    proposal = _proposal(message)
    if proposal is None or message.recipient is None or proposal.status == Proposal.Status.PENDING:
        return None
    part = proposal.special_part
    if not _may_see(message.recipient, part):
        return None
    accepted = proposal.status == Proposal.Status.ACCEPTED
    body = _("The proposal for the section “%(section)s” of the special part of %(region)s was %(decision)s.") % {
        "section": proposal.get_section_display(),
        "region": part.region.name,
        "decision": proposal.get_status_display().lower(),
    }
    if proposal.decision_note:
        # The proposer needs the adviser's reason (required when rejecting) without logging in first.
        body += "\n\n" + _("Reason given by %(by)s: %(note)s") % {
            "by": str(proposal.decided_by),
            "note": proposal.decision_note,
        }
    return Rendered(
        subject=_("Your proposal was accepted") if accepted else _("Your proposal was rejected"),
        body=body,
        url=_negotiation_url(part),
    )


def _agreement_for_term_reminder(message):
    """The agreement the reminder is about, if the date it was planned for still holds, the agreement
    is still draft, in negotiation or adopted, and the recipient may still see it; else None."""
    payload = message.payload or {}
    try:
        pk = int(payload["agreement_id"])
        planned = datetime.date.fromisoformat(str(payload["date"]))
    except (KeyError, TypeError, ValueError):
        return None
    agreement = Agreement.objects.select_related("region", "county").filter(pk=pk).first()
    if agreement is None or message.recipient is None:
        return None
    if getattr(agreement, TERM_DATE_FIELDS[message.kind]) != planned:
        return None
    if agreement.status in (Agreement.Status.SUPERSEDED, Agreement.Status.TERMINATED):
        return None
    condition = visible_agreement_filter(message.recipient)
    if condition is not None and not Agreement.objects.filter(condition, pk=pk).exists():
        return None
    return agreement


@register(AGREEMENT_EXPIRES)
def render_agreement_expires(message):
    agreement = _agreement_for_term_reminder(message)
    if agreement is None:
        return None
    values = {
        "region": agreement.region.name,
        "county": agreement.county.name,
        "date": formats.date_format(agreement.term_ends_on, "SHORT_DATE_FORMAT"),
    }
    return Rendered(
        subject=_("The partnership agreement with %(region)s expires on %(date)s") % values,
        body=_(
            "The partnership agreement between %(county)s and %(region)s expires on %(date)s. "
            "Start the revision in time so the region has an agreement when this one ends."
        )
        % values,
        url=agreement.get_absolute_url(),
    )


@register(AGREEMENT_REVISION_DUE)
def render_agreement_revision_due(message):
    agreement = _agreement_for_term_reminder(message)
    if agreement is None:
        return None
    values = {
        "region": agreement.region.name,
        "county": agreement.county.name,
        "date": formats.date_format(agreement.revision_on, "SHORT_DATE_FORMAT"),
    }
    return Rendered(
        subject=_("The partnership agreement with %(region)s is to be revised by %(date)s") % values,
        body=_("The partnership agreement between %(county)s and %(region)s is to be revised by %(date)s.") % values,
        url=agreement.get_absolute_url(),
    )
