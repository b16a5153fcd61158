"""Reads of cases, always scoped to what the user may see."""

import datetime
import statistics
from dataclasses import dataclass

from django.db import connection
from django.db.models import Count, F, Q, QuerySet, Value
from django.http import Http404
from django.utils import timezone

from regions.models import Municipality, RegionMembership

from .models import Anchoring, Attachment, Case, Routing, TopicMapping
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


# --- inbox --------------------------------------------------------------------------------------

OVERDUE_STATUSES = ("submitted", "received", "routed", "answered", "returned")


def overdue_q(today) -> Q:
    return Q(deadline__lt=today, status__in=OVERDUE_STATUSES)


def topic_suggestions() -> dict:
    """topic -> suggested council area, from the mapping advisers edit."""
    return {m.topic: m.council_area for m in TopicMapping.objects.select_related("council_area")}


def case_inbox(*, today) -> dict:
    """The coordination unit's inbox: everything new and waiting, flagged cases first."""
    base = Case.objects.select_related("origin_region", "origin_council_area", "assigned_to")
    waiting = base.filter(status__in=[Case.Status.SUBMITTED, Case.Status.RECEIVED])
    return {
        "flagged": waiting.exclude(routing_problem="").order_by("submitted_at"),
        "new": waiting.filter(status=Case.Status.SUBMITTED, routing_problem="").order_by("submitted_at"),
        "received": waiting.filter(status=Case.Status.RECEIVED, routing_problem="").order_by("submitted_at"),
        "answered": base.filter(status=Case.Status.ANSWERED).order_by("deadline", "submitted_at"),
        "overdue": base.filter(overdue_q(today)).order_by("deadline"),
    }


def case_inbox_counts(*, today) -> dict:
    """How many cases each lane of case_inbox holds, counted in one query."""
    waiting = Q(status__in=[Case.Status.SUBMITTED, Case.Status.RECEIVED])
    clear = Q(routing_problem="")
    counts = Case.objects.aggregate(
        flagged=Count("pk", filter=waiting & ~clear),
        new=Count("pk", filter=Q(status=Case.Status.SUBMITTED) & clear),
        received=Count("pk", filter=Q(status=Case.Status.RECEIVED) & clear),
        answered=Count("pk", filter=Q(status=Case.Status.ANSWERED)),
        overdue=Count("pk", filter=overdue_q(today)),
    )
    counts["waiting"] = counts["flagged"] + counts["new"] + counts["received"] + counts["answered"]
    return counts


# --- anchoring strength ---------------------------------------------------------------------------


@dataclass
class AnchoringStrength:
    supporting: int
    total: int
    day: datetime.date

    @property
    def share(self) -> float | None:
        return self.supporting / self.total if self.total else None

    @property
    def percent(self) -> int | None:
        return round(100 * self.supporting / self.total) if self.total else None


def _strength_day(case) -> datetime.date:
    return timezone.localdate(case.submitted_at) if case.submitted_at else timezone.localdate()


def case_anchoring_strength(*, case) -> AnchoringStrength | None:
    """Share of the region's member municipalities, as of the submission date, whose municipal council
    supports the case; None for a case that does not come from a region."""
    if not case.origin_region_id:
        return None
    day = _strength_day(case)
    members = RegionMembership.objects.valid_on(day).filter(region_id=case.origin_region_id).values("municipality_id")
    total = members.distinct().count()
    supporting = (
        Anchoring.objects.filter(
            case=case,
            body=Anchoring.Body.COUNCIL,
            stance=Anchoring.Stance.SUPPORTS,
            municipality_id__in=members,
        )
        .values("municipality_id")
        .distinct()
        .count()
    )
    return AnchoringStrength(supporting=supporting, total=total, day=day)


def region_member_list(*, case):
    """The municipalities that count for the case's anchoring (members on the submission date)."""
    day = _strength_day(case)
    ids = RegionMembership.objects.valid_on(day).filter(region_id=case.origin_region_id).values("municipality_id")
    return Municipality.objects.filter(pk__in=ids).order_by("number")


def case_anchoring_strength_from(*, case, members, anchorings) -> AnchoringStrength | None:
    """case_anchoring_strength from what the case page has already read: the members that count
    (region_member_list) and the case's anchorings."""
    if not case.origin_region_id:
        return None
    member_ids = {municipality.pk for municipality in members}
    supporting = {
        anchoring.municipality_id
        for anchoring in anchorings
        if anchoring.body == Anchoring.Body.COUNCIL
        and anchoring.stance == Anchoring.Stance.SUPPORTS
        and anchoring.municipality_id in member_ids
    }
    return AnchoringStrength(supporting=len(supporting), total=len(member_ids), day=_strength_day(case))


def case_tags(*, case) -> tuple[list, list]:
    """The case's agreement priorities (by special part, then their order) and policy instruments (by
    name), from one query; each object carries what its name needs (text, name)."""
    priority_model = Case.priorities.field.related_model
    instrument_model = Case.instruments.field.related_model
    columns = ("list_no", "id", "label", "s1", "s2", "s3", "s4")
    priorities = (
        priority_model.objects.filter(cases=case)
        .annotate(
            list_no=Value(0),
            label=F("text"),
            s1=F("special_part__region__name"),
            s2=F("special_part__county__number"),
            s3=F("special_part__version"),
            s4=F("order"),
        )
        .values_list(*columns)
        .order_by()
    )
    instruments = (
        instrument_model.objects.filter(cases=case)
        .annotate(
            list_no=Value(1),
            label=F("name"),
            s1=F("name"),
            s2=Value(""),
            s3=Value(0),
            s4=Value(0),
        )
        .values_list(*columns)
        .order_by()
    )
    tags = ([], [])
    for list_no, pk, label, *_ in priorities.union(instruments, all=True).order_by(
        "list_no", "s1", "s2", "-s3", "s4", "id"
    ):
        model, field = (priority_model, "text") if list_no == 0 else (instrument_model, "name")
        tags[list_no].append(model.from_db(case._state.db, ["id", field], [pk, label]))
    return tags


# --- search -------------------------------------------------------------------------------------


def case_search(qs, text: str):
    """Full-text search in Norwegian on PostgreSQL; a case-insensitive substring match on SQLite."""
    text = (text or "").strip()
    if not text:
        return qs
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchVector

        vector = SearchVector("title", weight="A", config="norwegian") + SearchVector(
            "description", weight="B", config="norwegian"
        )
        query = SearchQuery(text, config="norwegian", search_type="websearch")
        matches = Case.objects.annotate(search=vector).filter(search=query).values("pk")
        return qs.filter(Q(pk__in=matches) | Q(reference__icontains=text) | Q(title__icontains=text))
    return qs.filter(Q(title__icontains=text) | Q(description__icontains=text) | Q(reference__icontains=text))


# --- tracking -----------------------------------------------------------------------------------


def _median(values):
    return statistics.median(values) if values else None


def tracking_data(*, user, today) -> dict:
    """Regions × council areas with open and answered routings, median days to answer per area,
    overdue cases and anchoring strength per topic and region, all within what the user may see."""
    cases = case_list_visible_to(user=user)
    routings = (
        Routing.objects.filter(case__in=cases.values("pk"))
        .exclude(state=Routing.State.CANCELLED)
        .select_related("case", "case__origin_region", "council_area")
    )
    regions, areas, cells, days_by_area = {}, {}, {}, {}
    for routing in routings:
        region = routing.case.origin_region
        if region is None:
            continue
        regions[region.pk] = region
        areas[routing.council_area_id] = routing.council_area
        cell = cells.setdefault((region.pk, routing.council_area_id), {"open": 0, "answered": 0})
        if routing.state == Routing.State.ANSWERED:
            cell["answered"] += 1
            if routing.answered_at and routing.case.submitted_at:
                days = (routing.answered_at - routing.case.submitted_at).total_seconds() / 86400
                days_by_area.setdefault(routing.council_area_id, []).append(days)
        else:
            cell["open"] += 1
    region_list = sorted(regions.values(), key=lambda r: r.name)
    area_list = sorted(areas.values(), key=lambda a: a.name)
    matrix = [
        {
            "region": region,
            "cells": [
                {"area": area, **cells.get((region.pk, area.pk), {"open": 0, "answered": 0})} for area in area_list
            ],
        }
        for region in region_list
    ]
    medians = [
        {"area": area, "median": _median(days_by_area.get(area.pk, [])), "count": len(days_by_area.get(area.pk, []))}
        for area in area_list
    ]
    overdue = list(cases.filter(overdue_q(today)).order_by("deadline"))
    anchoring = []
    submitted = cases.filter(direction=Case.Direction.REGION_TO_COUNTY, submitted_at__isnull=False).exclude(
        status=Case.Status.WITHDRAWN
    )
    by_topic = {}
    for case in submitted.select_related("origin_region"):
        strength = case_anchoring_strength(case=case)
        if strength is None or not strength.total:
            continue
        entry = by_topic.setdefault(case.topic, {}).setdefault(
            case.origin_region_id, {"region": case.origin_region, "shares": []}
        )
        entry["shares"].append(strength.share)
    topic_labels = dict(Case.Topic.choices)
    for topic, per_region in sorted(by_topic.items()):
        rows = [
            {
                "region": entry["region"],
                "cases": len(entry["shares"]),
                "percent": round(100 * sum(entry["shares"]) / len(entry["shares"])),
            }
            for entry in sorted(per_region.values(), key=lambda e: e["region"].name)
        ]
        anchoring.append({"topic": topic, "label": topic_labels.get(topic, topic), "rows": rows})
    return {"matrix": matrix, "areas": area_list, "medians": medians, "overdue": overdue, "anchoring": anchoring}
