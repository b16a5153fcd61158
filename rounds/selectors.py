"""Reads of input rounds, already scoped to what the user may see."""

from django.db.models import QuerySet
from django.http import Http404

from regions.models import Municipality, RegionMembership

from .models import Contribution, ContributionAnchoring, ContributionAttachment, Round
from .permissions import visible_contribution_filter, visible_round_filter


def round_list_visible_to(*, user) -> QuerySet:
    """The rounds the user may see, latest deadline first (one row per round)."""
    qs = Round.objects.select_related("county").order_by("-deadline", "-pk")
    q = visible_round_filter(user)
    if q is not None:
        qs = qs.filter(pk__in=Round.objects.filter(q).values("pk"))
    return qs


def round_get_for_user(*, user, pk) -> Round:
    """The round if it is addressed to the user's region or is their county's; Http404 otherwise."""
    try:
        return round_list_visible_to(user=user).get(pk=pk)
    except (Round.DoesNotExist, ValueError, TypeError):
        raise Http404("No such round") from None


def contribution_list_visible_to(*, user) -> QuerySet:
    qs = Contribution.objects.select_related("round__county", "region", "updated_by", "submitted_by")
    q = visible_contribution_filter(user)
    return qs if q is None else qs.filter(q)


def contribution_get_for_user(*, user, pk) -> Contribution:
    """The contribution if it is the user's region's or their county's; Http404 otherwise."""
    try:
        return contribution_list_visible_to(user=user).get(pk=pk)
    except (Contribution.DoesNotExist, ValueError, TypeError):
        raise Http404("No such contribution") from None


def contribution_list_for_round(*, user, round_) -> QuerySet:
    """The contributions of a round the user may read (an adviser all, a region its own), with files
    and anchoring fetched in two more queries."""
    return (
        contribution_list_visible_to(user=user)
        .filter(round=round_)
        .prefetch_related("attachments", "anchorings__municipality")
        .order_by("region__name", "pk")
    )


def attachment_get_for_user(*, user, pk) -> ContributionAttachment:
    try:
        return ContributionAttachment.objects.select_related("contribution").get(
            pk=pk, contribution__in=contribution_list_visible_to(user=user).values("pk")
        )
    except (ContributionAttachment.DoesNotExist, ValueError, TypeError):
        raise Http404("No such attachment") from None


def anchoring_get_for_user(*, user, pk) -> ContributionAnchoring:
    try:
        return ContributionAnchoring.objects.select_related("contribution", "municipality").get(
            pk=pk, contribution__in=contribution_list_visible_to(user=user).values("pk")
        )
    except (ContributionAnchoring.DoesNotExist, ValueError, TypeError):
        raise Http404("No such anchoring") from None


def member_municipalities(*, region, on) -> QuerySet:
    """The region's member municipalities on the day (those whose anchoring counts)."""
    members = RegionMembership.objects.valid_on(on).filter(region=region).values("municipality_id")
    return Municipality.objects.filter(pk__in=members).order_by("number")
