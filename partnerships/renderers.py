"""Outbox renderers for the partnership agreements: the text is written at send time, in bokmål, and a
message whose recipient may no longer see the special part (an adviser who left the coordination unit,
a leader whose appointment has ended) is cancelled instead of sent."""

from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.permissions import is_adviser
from notifications.registry import Rendered, register

from .models import Proposal, SpecialPart
from .permissions import visible_special_part_filter

PROPOSAL_MADE = "partnerships.proposal_made"
PROPOSAL_DECIDED = "partnerships.proposal_decided"


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
