"""Reads of the archive queue, scoped to what the user may see."""

from django.db.models import Q, QuerySet
from django.http import Http404

from cases.selectors import case_list_visible_to
from partnerships.selectors import agreement_list_visible_to

from .models import ArchiveMessage
from .permissions import can_view_archive


def archive_message_list_visible_to(*, user) -> QuerySet:
    """The archive messages of the cases and agreements the user sees; nothing for anyone but an adviser."""
    if not can_view_archive(user):
        return ArchiveMessage.objects.none()
    visible_cases = case_list_visible_to(user=user).values("pk")
    visible_agreements = agreement_list_visible_to(user=user).values("pk")
    return ArchiveMessage.objects.filter(
        Q(case__in=visible_cases) | Q(agreement__in=visible_agreements)
    ).select_related("case", "agreement__region", "agreement__county")


def archive_message_get_for_user(*, user, pk) -> ArchiveMessage:
    """One archive message the user may see, else 404 (as for a missing one)."""
    try:
        return archive_message_list_visible_to(user=user).get(pk=int(pk))
    except (ArchiveMessage.DoesNotExist, TypeError, ValueError):
        raise Http404 from None


def archive_message_list_for_case(*, case) -> list[ArchiveMessage]:
    """The messages of one case in delivery order (the case page's panel)."""
    return list(ArchiveMessage.objects.filter(case=case).order_by("sequence", "pk"))
