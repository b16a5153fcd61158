"""Reads of theme groups, already scoped to what the user may see. A group's cases and meetings are
read through the cases and meetings apps' own visibility rules, so a group never shows a reader a case
or a meeting they could not open themselves."""

import datetime
import json
from collections import defaultdict

from django.db import connection
from django.db.models import Count, Exists, F, IntegerField, OuterRef, Q, QuerySet, Subquery, TextField
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from accounts.permissions import is_adviser
from cases.models import Anchoring, Case
from cases.permissions import anchoring_region_ids
from cases.selectors import case_list_visible_to
from meetings.selectors import meeting_list_visible_to
from regions.models import Region, RegionMembership
from regions.selectors import county_scope_for, region_ids_led_now

from .models import ThemeCase, ThemeEntry, ThemeGroup, ThemeMeeting, ThemeMember
from .permissions import visible_group_filter


def _visible_groups(user) -> QuerySet:
    qs = ThemeGroup.objects.all()
    q = visible_group_filter(user)
    return qs if q is None else qs.filter(q)


def theme_group_list_visible_to(*, user, county=None, region=None) -> QuerySet:
    """The groups the user may see, by name, optionally of one county or with one region as a current member."""
    qs = _visible_groups(user).select_related("county", "lead_region", "topic").order_by("name", "pk")
    if county is not None:
        qs = qs.filter(county=county)
    if region is not None:
        qs = qs.filter(pk__in=ThemeMember.objects.filter(region=region, left_on__isnull=True).values("group_id"))
    return qs.annotate(
        member_count=Coalesce(
            Subquery(
                ThemeMember.objects.filter(group=OuterRef("pk"), left_on__isnull=True)
                .order_by()
                .values("group")
                .annotate(n=Count("pk"))
                .values("n"),
                output_field=IntegerField(),
            ),
            0,
        )
    )


def theme_group_get_for_user(*, user, pk) -> ThemeGroup:
    """The group if the user may see it; Http404 for a missing and a hidden one alike."""
    try:
        return _visible_groups(user).select_related("county", "lead_region", "topic", "created_by").get(pk=pk)
    except (ThemeGroup.DoesNotExist, ValueError, TypeError):
        raise Http404("No such theme group") from None


def theme_member_get_for_user(*, user, pk) -> ThemeMember:
    """A membership of a group the user may see; Http404 otherwise."""
    try:
        return ThemeMember.objects.select_related("group__county", "region").get(
            pk=pk, group__in=_visible_groups(user).values("pk")
        )
    except (ThemeMember.DoesNotExist, ValueError, TypeError):
        raise Http404("No such member") from None


def theme_case_get_for_user(*, user, pk) -> ThemeCase:
    """A case of a group, if the user may see both the group and the case; Http404 otherwise."""
    try:
        return ThemeCase.objects.select_related("group__county", "case").get(
            pk=pk,
            group__in=_visible_groups(user).values("pk"),
            case__in=case_list_visible_to(user=user).values("pk"),
        )
    except (ThemeCase.DoesNotExist, ValueError, TypeError):
        raise Http404("No such case of the group") from None


def theme_meeting_get_for_user(*, user, pk) -> ThemeMeeting:
    """A meeting of a group, if the user may see both the group and the meeting; Http404 otherwise."""
    try:
        return ThemeMeeting.objects.select_related("group__county", "meeting").get(
            pk=pk,
            group__in=_visible_groups(user).values("pk"),
            meeting__in=meeting_list_visible_to(user=user).values("pk"),
        )
    except (ThemeMeeting.DoesNotExist, ValueError, TypeError):
        raise Http404("No such meeting of the group") from None


def member_list_for(*, group, day=None) -> list:
    """The group's member regions, current ones first (by name), then former ones, each with the number
    of municipalities its region has on the day (`municipality_count`): one query."""
    day = day or timezone.localdate()
    count = (
        RegionMembership.objects.valid_on(day)
        .filter(region_id=OuterRef("region_id"))
        .order_by()
        .values("region_id")
        .annotate(n=Count("municipality_id", distinct=True))
        .values("n")
    )
    return list(
        ThemeMember.objects.filter(group=group)
        .select_related("region")
        .annotate(municipality_count=Coalesce(Subquery(count, output_field=IntegerField()), 0))
        .order_by(F("left_on").desc(nulls_first=True), "region__name", "pk")
    )


def case_list_for(*, group, user) -> QuerySet:
    """The group's cases the user may see (the cases app's visibility rule), newest link first."""
    return (
        ThemeCase.objects.filter(
            group=group, removed_at__isnull=True, case__in=case_list_visible_to(user=user).values("pk")
        )
        .select_related("case", "case__origin_region")
        .order_by("-added_at", "-pk")
    )


def anchoring_by_region(*, case_ids, region_ids, day=None) -> dict:
    """{(case id, region id): [municipality names]}: for each case and member region, the region's
    municipalities (members on the day) whose municipal council supports the case (the portal's
    "anchored", as cases.selectors.case_anchoring_strength counts it). One query for every case and
    region together: a municipality counts for each region it belongs to."""
    day = day or timezone.localdate()
    if not case_ids or not region_ids:
        return {}
    rows = (
        Anchoring.objects.filter(
            Q(municipality__memberships__valid_from__isnull=True) | Q(municipality__memberships__valid_from__lte=day),
            Q(municipality__memberships__valid_to__isnull=True) | Q(municipality__memberships__valid_to__gt=day),
            case_id__in=list(case_ids),
            body=Anchoring.Body.COUNCIL,
            stance=Anchoring.Stance.SUPPORTS,
            municipality__memberships__region_id__in=list(region_ids),
        )
        .values_list("case_id", "municipality__memberships__region_id", "municipality__name", "municipality__number")
        .order_by("case_id", "municipality__memberships__region_id", "municipality__number")
        .distinct()
    )
    found = defaultdict(list)
    for case_id, region_id, name, _number in rows:
        if name not in found[(case_id, region_id)]:
            found[(case_id, region_id)].append(name)
    return dict(found)


def case_rows_for(*, group, user, members, theme_cases, day=None) -> list:
    """For each of the group's cases on the page: the case and, per current member region, the names of
    its municipalities that have anchored the case, how many municipalities the region has, and whether
    the user records that region's anchoring of the case (`can_record`: a leader of the region, for a case
    the cases app lets them anchor; cases.permissions.anchoring_region_ids), with no query per case."""
    current = [member for member in members if member.active]
    current_ids = [member.region_id for member in current]
    theme_cases = list(theme_cases)
    anchored = anchoring_by_region(case_ids=[link.case_id for link in theme_cases], region_ids=current_ids, day=day)
    led = region_ids_led_now(user=user) if user.is_authenticated and user.is_active else set()
    rows = []
    for link in theme_cases:
        recordable = anchoring_region_ids(user, link.case, extra_region_ids=current_ids) & set(led) if led else set()
        regions = [
            {
                "region": member.region,
                "anchored": anchored.get((link.case_id, member.region_id), []),
                "total": member.municipality_count,
                "is_origin": member.region_id == link.case.origin_region_id,
                "can_record": member.region_id in recordable,
            }
            for member in current
        ]
        rows.append({"link": link, "case": link.case, "regions": regions})
    return rows


def meeting_lists_for(*, group, user, now=None) -> tuple[list, list]:
    """The group's meetings the user may see: (upcoming, soonest first; past, latest first), one query."""
    now = now or timezone.now()
    links = list(
        ThemeMeeting.objects.filter(
            group=group, removed_at__isnull=True, meeting__in=meeting_list_visible_to(user=user).values("pk")
        )
        .select_related("meeting", "meeting__region")
        .order_by("meeting__start", "pk")
    )
    upcoming = [link for link in links if link.meeting.end >= now]
    past = [link for link in links if link.meeting.end < now]
    past.reverse()
    return upcoming, past


CASE_KINDS = (ThemeEntry.Kind.CASE_ADDED, ThemeEntry.Kind.CASE_REMOVED)
MEETING_KINDS = (ThemeEntry.Kind.MEETING_ADDED, ThemeEntry.Kind.MEETING_REMOVED)


def entry_list_for(*, group, user) -> QuerySet:
    """The group's history, newest first (paginate it), without the changes about cases and meetings
    the user may not see (their titles and references would reveal them)."""
    return (
        ThemeEntry.objects.filter(group=group)
        .exclude(Q(kind__in=CASE_KINDS) & ~Q(object_id__in=case_list_visible_to(user=user).values("pk")))
        .exclude(Q(kind__in=MEETING_KINDS) & ~Q(object_id__in=meeting_list_visible_to(user=user).values("pk")))
        .select_related("actor")
        .order_by("-at", "-pk")
    )


def case_candidate_get(*, user, reference) -> Case:
    """The case with the reference among those the user may see; Http404 otherwise."""
    try:
        return case_list_visible_to(user=user).get(reference=(reference or "").strip())
    except (Case.DoesNotExist, ValueError, TypeError):
        raise Http404("No such case") from None


def meeting_choices_for(*, group, user, now=None, limit=200) -> list:
    """Meetings the user may see that can be linked to the group: of a current member region or of no
    region, from a year back on, not yet linked; soonest first, at most `limit`."""
    now = now or timezone.now()
    regions = ThemeMember.objects.filter(group=group, left_on__isnull=True).values("region_id")
    linked = ThemeMeeting.objects.filter(group=group, removed_at__isnull=True).values("meeting_id")
    return list(
        meeting_list_visible_to(user=user)
        .filter(Q(region__isnull=True) | Q(region_id__in=regions), start__gte=now - datetime.timedelta(days=365))
        .exclude(pk__in=linked)
        .order_by("start", "pk")[:limit]
    )


REGION_ANNOTATION = "theme_groups_json"
_GROUP_FIELDS = ("id", "name", "county_id", "lead_region_id", "lead_name")


def region_theme_annotation() -> dict:
    """The groups the region is a current member of, as one JSON text read with the region itself
    (regions.hooks.region_annotations), so the region page's panel costs no query."""
    groups, members = ThemeGroup._meta.db_table, ThemeMember._meta.db_table
    regions = Region._meta.db_table
    pairs = ", ".join(f"'{name}', g.{name}" for name in _GROUP_FIELDS)
    rows = (
        f'SELECT tg.*, lr.name AS lead_name FROM "{groups}" tg JOIN "{regions}" lr ON lr.id = tg.lead_region_id '
        f'WHERE tg.id IN (SELECT tm.group_id FROM "{members}" tm '
        f'WHERE tm.region_id = "{regions}"."id" AND tm.left_on IS NULL)'
    )
    if connection.vendor == "postgresql":
        sql = f"SELECT json_agg(json_build_object({pairs}) ORDER BY g.name, g.id)::text FROM ({rows}) g"
    else:
        sql = f"SELECT json_group_array(json_object({pairs})) FROM ({rows} ORDER BY tg.name, tg.id) g"
    return {REGION_ANNOTATION: RawSQL(sql, (), output_field=TextField())}


def group_list_for_region(*, user, region) -> list:
    """The groups the user may see that the region is a current member of (the region page's panel): from
    what the page read with the region (region_theme_annotation) with no query for an adviser or for the
    region's own leader; one query for a leader of another region (which of the groups they share)."""
    raw = getattr(region, REGION_ANNOTATION, False)
    if raw is False:
        groups = list(
            ThemeGroup.objects.filter(
                pk__in=ThemeMember.objects.filter(region=region, left_on__isnull=True).values("group_id")
            )
            .annotate(lead_name=F("lead_region__name"))
            .order_by("name", "pk")
        )
    else:
        groups = []
        for row in json.loads(raw or "[]"):
            lead_name = row.pop("lead_name")
            groups.append(ThemeGroup(**row))
            groups[-1].lead_name = lead_name
    for group in groups:
        group.lead_region = Region(pk=group.lead_region_id, name=group.lead_name)
    if not groups:
        return []
    if is_adviser(user):
        scope = county_scope_for(user=user)
        return groups if scope is None else [group for group in groups if group.county_id in scope]
    led = region_ids_led_now(user=user) if user.is_authenticated and user.is_active else set()
    if region.pk in led:
        return groups
    if not led:
        return []
    shared = set(
        ThemeMember.objects.filter(
            group_id__in=[group.pk for group in groups], region_id__in=sorted(led), left_on__isnull=True
        ).values_list("group_id", flat=True)
    )
    return [group for group in groups if group.pk in shared]


CASE_ANNOTATION = "in_theme_group"


def case_theme_annotation() -> dict:
    """Whether the case belongs to any theme group, read with the case itself (cases.hooks:
    case_annotations), so the case page's panel makes no query for a case in no group."""
    return {CASE_ANNOTATION: Exists(ThemeCase.objects.filter(case_id=OuterRef("pk"), removed_at__isnull=True))}


def case_theme_region_ids(case) -> list:
    """cases.hooks.case_extra_regions: the regions the case belongs to through theme groups, that is the
    current member regions of every group the case belongs to now; their leaders record their own
    municipalities' anchoring of it. No query for a case read with case_theme_annotation that belongs to
    no group, else one."""
    if getattr(case, CASE_ANNOTATION, True) is False:
        return []
    return list(
        ThemeMember.objects.filter(
            left_on__isnull=True,
            group__theme_cases__case_id=case.pk,
            group__theme_cases__removed_at__isnull=True,
        )
        .order_by()
        .values_list("region_id", flat=True)
        .distinct()
    )


def group_list_for_case(*, user, case) -> list:
    """The groups the user may see that the case belongs to (the case page's panel): no query for a case
    in no group, else one."""
    if getattr(case, CASE_ANNOTATION, True) is False:
        return []
    return list(
        _visible_groups(user)
        .filter(pk__in=ThemeCase.objects.filter(case=case, removed_at__isnull=True).values("group_id"))
        .select_related("lead_region")
        .order_by("name", "pk")
    )
