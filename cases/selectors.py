"""Reads of cases, always scoped to what the user may see."""

from django.db.models import QuerySet
from django.http import Http404

from .models import Attachment, Case
from .permissions import visible_case_filter


def case_list_visible_to(*, user) -> QuerySet:
    """Every case the user may see: advisers all; region leaders their regions' cases (drafts too),
    county → regions cases sent to their regions and other regions' shared cases; council-area staff
    the cases routed to or originated by their areas."""
    qs = Case.objects.select_related("origin_region", "origin_council_area", "assigned_to")
    q = visible_case_filter(user)
    if q is None:
        return qs.all()
    # A subquery instead of .distinct(): joins over routings/requests would repeat rows.
    return qs.filter(pk__in=Case.objects.filter(q).values("pk"))


def case_get_for_user(*, user, pk) -> Case:
    """The case if the user may see it; Http404 if it does not exist or is hidden from them."""
    try:
        return case_list_visible_to(user=user).get(pk=pk)
    except (Case.DoesNotExist, ValueError, TypeError):
        raise Http404("No such case") from None


def attachment_get_for_user(*, user, pk) -> Attachment:
    """An attachment of a case the user may see; Http404 otherwise."""
    try:
        return Attachment.objects.select_related("case").get(
            pk=pk, case__in=case_list_visible_to(user=user).values("pk")
        )
    except (Attachment.DoesNotExist, ValueError, TypeError):
        raise Http404("No such attachment") from None
