"""Writes of theme groups. Every service takes the acting adviser as `actor=`, checks the rule in
permissions.py (PermissionDenied), refuses with a Norwegian message (ValidationError) before anything
is saved, and writes a history entry (who, when, what) for every change in the same transaction.

The rules: the lead region is always a current member; a region is a member once at a time (it may
leave and join again, and both stay in the history); the lead region cannot leave before another
region leads; members are regions the group's county has a partnership with; a case or a meeting
belongs to a group once at a time (a removed one stays in the history)."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from cases.models import Case, Topic
from meetings.models import Meeting
from partnerships.services import check_partnership_pair
from regions.models import County, Region

from . import permissions as perms
from .models import ThemeCase, ThemeEntry, ThemeGroup, ThemeMeeting, ThemeMember


def _authorise(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(_("You may not change this theme group."))


def _now(now):
    return now or timezone.now()


def _locked(group: ThemeGroup) -> ThemeGroup:
    """The group's row, locked until the transaction ends: two advisers' changes come one after the other."""
    return ThemeGroup.objects.select_related("county", "lead_region").select_for_update(of=("self",)).get(pk=group.pk)


def _record(*, group, kind, label="", old="", new="", actor, now, obj=None) -> ThemeEntry:
    return ThemeEntry.record(group=group, kind=kind, obj=obj, label=label, old=old, new=new, actor=actor, at=now)


def _save(obj, **kwargs):
    obj.full_clean()
    obj.save(**kwargs)
    return obj


def _active_member(group, region):
    return ThemeMember.objects.filter(group=group, region=region, left_on__isnull=True).first()


def _refuse_duplicate_name(county, name, *, exclude=None):
    others = ThemeGroup.objects.filter(county=county, name__iexact=name)
    if exclude is not None:
        others = others.exclude(pk=exclude.pk)
    if others.exists():
        raise ValidationError({"name": _("The county already has a theme group with this name.")})


def _join(group, region, *, actor, now) -> ThemeMember:
    check_partnership_pair(group.county, region)
    if _active_member(group, region) is not None:
        raise ValidationError(
            {"region": _("%(region)s is already a member of the theme group.") % {"region": region.name}}
        )
    try:
        with transaction.atomic():
            member = _save(ThemeMember(group=group, region=region, joined_on=timezone.localdate(now), added_by=actor))
    except IntegrityError:  # another adviser added the region at the same moment
        raise ValidationError(
            {"region": _("%(region)s is already a member of the theme group.") % {"region": region.name}}
        ) from None
    _record(group=group, kind=ThemeEntry.Kind.MEMBER_ADDED, label=region.name, actor=actor, now=now)
    return member


# --- the group -----------------------------------------------------------------------------------


@transaction.atomic
def theme_group_create(
    *,
    county: County,
    name: str,
    lead_region: Region,
    regions,
    actor: User,
    description: str = "",
    topic: Topic | None = None,
    now: datetime.datetime | None = None,
) -> ThemeGroup:
    """A theme group of the county with its member regions; the lead region must be one of them."""
    _authorise(perms.can_manage_groups(actor, county))
    now = _now(now)
    regions = list(regions)
    if len({region.pk for region in regions}) != len(regions):
        raise ValidationError({"regions": _("Choose each member region once.")})
    if lead_region.pk not in {region.pk for region in regions}:
        raise ValidationError({"lead_region": _("The lead region must be one of the member regions.")})
    _refuse_duplicate_name(county, name)
    for region in regions:
        check_partnership_pair(county, region)
    try:
        with transaction.atomic():
            group = _save(
                ThemeGroup(
                    county=county,
                    name=name,
                    description=description,
                    lead_region=lead_region,
                    topic=topic,
                    created_by=actor,
                    created_at=now,
                )
            )
    except IntegrityError:
        raise ValidationError({"name": _("The county already has a theme group with this name.")}) from None
    _record(group=group, kind=ThemeEntry.Kind.GROUP, label=group.name, new=group.name, actor=actor, now=now)
    for region in sorted(regions, key=lambda r: r.name):
        _join(group, region, actor=actor, now=now)
    _record(group=group, kind=ThemeEntry.Kind.LEAD, label=lead_region.name, new=lead_region.name, actor=actor, now=now)
    return group


@transaction.atomic
def theme_group_update(
    *,
    group: ThemeGroup,
    name: str,
    lead_region: Region,
    actor: User,
    description: str = "",
    topic: Topic | None = None,
    now: datetime.datetime | None = None,
) -> ThemeGroup:
    """Change the group's name, description, topic and lead region (a current member)."""
    _authorise(perms.can_change_group(actor, group))
    now = _now(now)
    group = _locked(group)
    if _active_member(group, lead_region) is None:
        raise ValidationError({"lead_region": _("The lead region must be one of the member regions.")})
    _refuse_duplicate_name(group.county, name, exclude=group)
    old_name, old_lead = group.name, group.lead_region
    group.name, group.description, group.topic, group.lead_region = name, description, topic, lead_region
    _save(group, update_fields=["name", "description", "topic", "lead_region"])
    if old_name != name:
        _record(group=group, kind=ThemeEntry.Kind.GROUP, label=name, old=old_name, new=name, actor=actor, now=now)
    if old_lead.pk != lead_region.pk:
        _record(
            group=group,
            kind=ThemeEntry.Kind.LEAD,
            label=lead_region.name,
            old=old_lead.name,
            new=lead_region.name,
            actor=actor,
            now=now,
        )
    return group


# --- members -------------------------------------------------------------------------------------


@transaction.atomic
def theme_member_add(
    *, group: ThemeGroup, region: Region, actor: User, now: datetime.datetime | None = None
) -> ThemeMember:
    """Add a region to the group; refused for a region that is already a member."""
    _authorise(perms.can_change_group(actor, group))
    group = _locked(group)
    return _join(group, region, actor=actor, now=_now(now))


@transaction.atomic
def theme_member_remove(*, member: ThemeMember, actor: User, now: datetime.datetime | None = None) -> ThemeMember:
    """A member region leaves the group today (kept in the history); the lead region cannot leave."""
    _authorise(perms.can_change_group(actor, member.group))
    now = _now(now)
    group = _locked(member.group)
    member = ThemeMember.objects.select_related("region").get(pk=member.pk)
    if member.left_on is not None:
        raise ValidationError(_("%(region)s has already left the theme group.") % {"region": member.region.name})
    if member.region_id == group.lead_region_id:
        raise ValidationError(
            _("%(region)s leads the theme group: choose another lead region before it leaves.")
            % {"region": member.region.name}
        )
    member.left_on = max(timezone.localdate(now), member.joined_on)
    _save(member, update_fields=["left_on"])
    _record(group=group, kind=ThemeEntry.Kind.MEMBER_REMOVED, label=member.region.name, actor=actor, now=now)
    return member


# --- cases and meetings --------------------------------------------------------------------------


def _case_label(case) -> str:
    return f"{case.reference or '-'} {case.title}"


def _meeting_label(meeting) -> str:
    return f"{meeting.title} {timezone.localtime(meeting.start):%d.%m.%Y}"


@dataclass(frozen=True)
class _LinkKind:
    """What a case link and a meeting link differ in: the model, the field it links, the history's kinds,
    the label the history keeps, the form field a refusal belongs to and the refusals."""

    model: type
    field: str
    added: str
    removed: str
    label: Callable
    error_key: str
    already: str
    gone: str


_CASES = _LinkKind(
    model=ThemeCase,
    field="case",
    added=ThemeEntry.Kind.CASE_ADDED,
    removed=ThemeEntry.Kind.CASE_REMOVED,
    label=_case_label,
    error_key="reference",
    already=gettext_lazy("The case already belongs to the group."),
    gone=gettext_lazy("The case no longer belongs to the group."),
)
_MEETINGS = _LinkKind(
    model=ThemeMeeting,
    field="meeting",
    added=ThemeEntry.Kind.MEETING_ADDED,
    removed=ThemeEntry.Kind.MEETING_REMOVED,
    label=_meeting_label,
    error_key="meeting",
    already=gettext_lazy("The meeting is already linked to the group."),
    gone=gettext_lazy("The meeting is no longer linked to the group."),
)


def _link_add(kind: _LinkKind, group, target, *, actor, now):
    """Link a case or a meeting to the locked group once at a time, and write the history entry."""
    refusal = {kind.error_key: kind.already}
    if kind.model.objects.filter(group=group, **{kind.field: target}, removed_at__isnull=True).exists():
        raise ValidationError(refusal)
    try:
        with transaction.atomic():
            link = _save(kind.model(group=group, **{kind.field: target}, added_by=actor, added_at=now))
    except IntegrityError:  # another adviser linked it at the same moment
        raise ValidationError(refusal) from None
    _record(group=group, kind=kind.added, label=kind.label(target), actor=actor, now=now, obj=target)
    return link


def _link_remove(kind: _LinkKind, link, *, actor, now):
    """Mark a link removed (the row stays for the history), and write the history entry."""
    group = _locked(link.group)
    link = kind.model.objects.select_related(kind.field).get(pk=link.pk)
    if link.removed_at is not None:
        raise ValidationError(kind.gone)
    target = getattr(link, kind.field)
    link.removed_at, link.removed_by = now, actor
    _save(link, update_fields=["removed_at", "removed_by"])
    _record(group=group, kind=kind.removed, label=kind.label(target), actor=actor, now=now, obj=target)


@transaction.atomic
def theme_case_add(*, group: ThemeGroup, case: Case, actor: User, now: datetime.datetime | None = None) -> ThemeCase:
    """Let a case belong to the group (and so to each member region); its own origin region stays."""
    _authorise(perms.can_change_group(actor, group))
    group = _locked(group)
    if case.status == Case.Status.DRAFT:
        raise ValidationError({"reference": _("A draft cannot be added to a theme group: submit it first.")})
    return _link_add(_CASES, group, case, actor=actor, now=_now(now))


@transaction.atomic
def theme_case_remove(*, theme_case: ThemeCase, actor: User, now: datetime.datetime | None = None) -> None:
    """The case no longer belongs to the group (the case itself is unchanged)."""
    _authorise(perms.can_change_group(actor, theme_case.group))
    _link_remove(_CASES, theme_case, actor=actor, now=_now(now))


@transaction.atomic
def theme_meeting_add(
    *, group: ThemeGroup, meeting: Meeting, actor: User, now: datetime.datetime | None = None
) -> ThemeMeeting:
    """Link a meeting where the theme is discussed to the group."""
    _authorise(perms.can_change_group(actor, group))
    return _link_add(_MEETINGS, _locked(group), meeting, actor=actor, now=_now(now))


@transaction.atomic
def theme_meeting_remove(*, theme_meeting: ThemeMeeting, actor: User, now: datetime.datetime | None = None) -> None:
    """Unlink a meeting from the group (the meeting itself is unchanged)."""
    _authorise(perms.can_change_group(actor, theme_meeting.group))
    _link_remove(_MEETINGS, theme_meeting, actor=actor, now=_now(now))
