"""Who may see and do what with partnership agreements.

Advisers (the coordination unit) see everything, edit drafts and adopt. A region council leader (or
the region's secretariat, which acts for the region as the leader does)
sees every general-part version (it is written together with the regions), every document of the
regions they lead (drafts too), and adopted or earlier adopted documents of other regions (they
are public political decisions); they comment and propose on their own drafts but never edit or
adopt. Everyone else, council-area staff included, reads adopted and superseded documents only.
"""

from django.db.models import Q

from accounts.permissions import is_adviser
from regions.selectors import region_ids_led_now

from .models import Agreement, GeneralPart, Proposal, SpecialPart

PUBLIC_GENERAL_PART_STATUSES = (GeneralPart.Status.ADOPTED, GeneralPart.Status.SUPERSEDED)
PUBLIC_SPECIAL_PART_STATUSES = (SpecialPart.Status.ADOPTED, SpecialPart.Status.SUPERSEDED)
PUBLIC_AGREEMENT_STATUSES = (Agreement.Status.ADOPTED, Agreement.Status.SUPERSEDED, Agreement.Status.TERMINATED)


def _led_region_ids(user):
    """The regions the user acts for today (leader or secretariat, regions.selectors.REGION_SIDE_ROLES)."""
    return sorted(region_ids_led_now(user=user))


def visible_general_part_filter(user) -> Q | None:
    """None means "no restriction"; otherwise the Q a general-part queryset must match. Those who act
    for a region today read every version (it is written together with the regions)."""
    if is_adviser(user) or _led_region_ids(user):
        return None
    return Q(status__in=PUBLIC_GENERAL_PART_STATUSES)


def visible_special_part_filter(user) -> Q | None:
    if is_adviser(user):
        return None
    return Q(status__in=PUBLIC_SPECIAL_PART_STATUSES) | Q(region_id__in=_led_region_ids(user))


def visible_agreement_filter(user) -> Q | None:
    if is_adviser(user):
        return None
    return Q(status__in=PUBLIC_AGREEMENT_STATUSES) | Q(region_id__in=_led_region_ids(user))


def can_view_general_part(user, general_part: GeneralPart) -> bool:
    """The general-part version matches visible_general_part_filter (for a version already read)."""
    return visible_general_part_filter(user) is None or general_part.status in PUBLIC_GENERAL_PART_STATUSES


def can_view_special_part(user, special_part: SpecialPart) -> bool:
    """The special-part version matches visible_special_part_filter (for a version already read)."""
    return (
        is_adviser(user)
        or special_part.status in PUBLIC_SPECIAL_PART_STATUSES
        or special_part.region_id in _led_region_ids(user)
    )


def can_edit_general_part(user, general_part: GeneralPart) -> bool:
    """Only advisers edit, and only versions not yet adopted."""
    return is_adviser(user) and not general_part.is_locked


def can_edit_special_part(user, special_part: SpecialPart) -> bool:
    """Only advisers edit, and only versions not yet adopted."""
    return is_adviser(user) and not special_part.is_locked


def can_manage_agreements(user) -> bool:
    """Advisers create new versions, start negotiations and adopt."""
    return is_adviser(user)


def can_adopt_agreement(user, agreement: Agreement) -> bool:
    """Advisers record the political adoption of a draft or negotiated agreement."""
    return is_adviser(user) and agreement.status in (Agreement.Status.DRAFT, Agreement.Status.IN_NEGOTIATION)


def can_set_agreement_term(user, agreement: Agreement) -> bool:
    """Advisers set the term and revision date of an agreement that is not yet superseded or terminated."""
    return is_adviser(user) and agreement.status not in (Agreement.Status.SUPERSEDED, Agreement.Status.TERMINATED)


def leads_region(user, region) -> bool:
    return region.pk in _led_region_ids(user)


def can_take_part_in_negotiation(user, special_part: SpecialPart) -> bool:
    """Both sides of the negotiation: advisers, and the leader of the region (while the draft is open)."""
    return is_adviser(user) or leads_region(user, special_part.region)


def can_comment_special_part(user, special_part: SpecialPart) -> bool:
    """Both sides comment on an open draft: advisers, and the leader of the region."""
    return special_part.is_open_for_proposals and can_take_part_in_negotiation(user, special_part)


def can_propose_special_part(user, special_part: SpecialPart) -> bool:
    """The region's leader proposes changes to an open draft (advisers edit it directly)."""
    return special_part.is_open_for_proposals and leads_region(user, special_part.region)


def can_decide_proposal(user, proposal: Proposal) -> bool:
    """Advisers accept or reject a pending proposal while the draft is open."""
    return (
        is_adviser(user) and proposal.status == Proposal.Status.PENDING and proposal.special_part.is_open_for_proposals
    )


def can_screen_agreement(user, agreement: Agreement) -> bool:
    """Advisers decide what the public may see of an agreement (public once adopted unless exempt)."""
    return is_adviser(user)
