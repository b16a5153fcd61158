"""The theme groups panel on a region's page (the groups it is a member of) and on a case's page (the
groups the case belongs to), each at most one query."""

from .permissions import can_manage_groups
from .selectors import group_list_for_case, group_list_for_region


def region_panel(request, region, day=None):
    groups = group_list_for_region(user=request.user, region=region)
    if not groups and not can_manage_groups(request.user):
        return None
    return {"template": "themes/_region_panel.html", "context": {"region": region, "groups": groups}}


def case_panel(request, case):
    groups = group_list_for_case(user=request.user, case=case)
    if not groups:
        return None
    return {"template": "themes/_case_panel.html", "context": {"case": case, "groups": groups}}
