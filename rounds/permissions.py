"""Who may see and act on input rounds.

Advisers of the county open, close and assemble a round (an adviser with the national view, and
administrators, every county's); a region the round is addressed to sees the round's public text and
its own contribution only, which its leader or secretariat (regions.selectors.REGION_SIDE_ROLES) writes;
everyone else sees nothing of it (404, docs/adr/0004)."""

from django.db.models import Q

from accounts.permissions import is_adviser
from regions.selectors import county_scope_for, region_ids_led_now


def visible_round_filter(user) -> Q | None:
    """None means "every round"; otherwise the Q a Round queryset must match (pk__in=[] for none)."""
    if is_adviser(user):
        scope = county_scope_for(user=user)
        return None if scope is None else Q(county_id__in=sorted(scope))
    led = sorted(region_ids_led_now(user=user)) if user.is_authenticated else []
    return Q(regions__in=led) if led else Q(pk__in=[])


def visible_contribution_filter(user) -> Q | None:
    """The contributions the user may read: an adviser's county's, a region's own."""
    if is_adviser(user):
        scope = county_scope_for(user=user)
        return None if scope is None else Q(round__county_id__in=sorted(scope))
    led = sorted(region_ids_led_now(user=user)) if user.is_authenticated else []
    return Q(region_id__in=led) if led else Q(pk__in=[])


def can_open_round(user, county=None) -> bool:
    """Advisers open rounds for the counties they work with."""
    if not is_adviser(user):
        return False
    if county is None:
        return True
    scope = county_scope_for(user=user)
    return scope is None or county.pk in scope


def can_manage_round(user, round_) -> bool:
    """Close, assemble and record the sending of a round: the advisers of its county."""
    return can_open_round(user, round_.county)


def can_write_contribution(user, contribution) -> bool:
    """The region's leader or secretariat writes, attaches, anchors and submits its contribution."""
    return bool(user.is_authenticated) and contribution.region_id in region_ids_led_now(user=user)
