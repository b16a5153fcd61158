"""Who may see and change theme groups.

Advisers of the county see and manage the county's groups (an adviser with the national view, and
administrators, every county's): create, edit, add and remove members, set the lead region, add and
remove cases, link meetings. A region's leader or secretariat (regions.selectors.REGION_SIDE_ROLES) sees
the groups their region is a current member of, read-only; a group their region is not (or no longer)
a member of does not exist for them (404, docs/adr/0004), and so for council-area staff. Inside a
group, each reader sees only the cases and meetings the cases and meetings apps let them see: a group
never reveals another region's internal case."""

from django.db.models import Q

from accounts.permissions import is_adviser
from regions.selectors import county_scope_for, region_ids_led_now

from .models import ThemeMember


def visible_group_filter(user) -> Q | None:
    """None means "every group"; otherwise the Q a ThemeGroup queryset must match (pk__in=[] for none)."""
    if is_adviser(user):
        scope = county_scope_for(user=user)
        return None if scope is None else Q(county_id__in=sorted(scope))
    led = sorted(region_ids_led_now(user=user)) if user.is_authenticated and user.is_active else []
    if not led:
        return Q(pk__in=[])
    return Q(pk__in=ThemeMember.objects.filter(region_id__in=led, left_on__isnull=True).values("group_id"))


def can_manage_groups(user, county=None) -> bool:
    """Advisers create groups for the counties they work with; a county outside their scope is not theirs."""
    if not is_adviser(user):
        return False
    if county is None:
        return True
    scope = county_scope_for(user=user)
    return scope is None or county.pk in scope


def can_change_group(user, group) -> bool:
    """Edit the group, its members, lead, cases and meetings: the advisers of its county."""
    return can_manage_groups(user, group.county)
