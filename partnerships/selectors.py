"""Reads of partnership agreements, already scoped to what the user may see."""

from django.db.models import Count, Prefetch, Q, QuerySet, Subquery, Value, prefetch_related_objects
from django.http import Http404

from core.screening import Access

from .models import (
    Agreement,
    Challenge,
    Comment,
    GeneralPart,
    InstrumentPriority,
    KnowledgeReference,
    Priority,
    Proposal,
    SpecialPart,
    Strength,
)
from .permissions import PUBLIC_AGREEMENT_STATUSES as PUBLIC_STATUSES
from .permissions import (
    can_view_general_part,
    can_view_special_part,
    visible_agreement_filter,
    visible_general_part_filter,
    visible_special_part_filter,
)


def _scoped(qs, q):
    return qs if q is None else qs.filter(q)


def general_part_list_visible_to(*, user) -> QuerySet:
    """Every general-part version the user may read, newest first per county."""
    qs = GeneralPart.objects.select_related("county").order_by("county__number", "-version")
    return _scoped(qs, visible_general_part_filter(user))


def special_part_list_visible_to(*, user) -> QuerySet:
    """Every special-part version the user may read (other regions' drafts are left out)."""
    qs = SpecialPart.objects.select_related("county", "region").order_by("region__name", "county__number", "-version")
    return _scoped(qs, visible_special_part_filter(user))


def agreement_list_visible_to(*, user) -> QuerySet:
    """Every agreement the user may read (other regions' drafts are left out)."""
    qs = Agreement.objects.select_related("county", "region", "general_part", "special_part")
    return _scoped(qs, visible_agreement_filter(user))


def general_part_get_for_user(*, user, pk) -> GeneralPart:
    """The general-part version if the user may read it; Http404 otherwise."""
    try:
        return (
            general_part_list_visible_to(user=user)
            .prefetch_related("sections", "working_group__person", "working_group__represents_region")
            .get(pk=pk)
        )
    except (GeneralPart.DoesNotExist, ValueError, TypeError):
        raise Http404("No such general part") from None


def special_part_get_for_user(*, user, pk) -> SpecialPart:
    """The special-part version if the user may read it; Http404 otherwise (also for another
    region's draft, so its existence does not leak)."""
    try:
        return special_part_list_visible_to(user=user).prefetch_related(*SPECIAL_PART_PREFETCH).get(pk=pk)
    except (SpecialPart.DoesNotExist, ValueError, TypeError):
        raise Http404("No such special part") from None


def agreement_get_for_user(*, user, pk) -> Agreement:
    """The agreement if the user may read it; Http404 otherwise."""
    try:
        return (
            agreement_list_visible_to(user=user)
            .select_related("general_part__county", "special_part__county", "special_part__region")
            .get(pk=pk)
        )
    except (Agreement.DoesNotExist, ValueError, TypeError):
        raise Http404("No such agreement") from None


def agreement_get_with_history_for_user(*, user, pk) -> tuple[Agreement, list[Agreement]]:
    """The agreement as agreement_get_for_user gives it, and every agreement of its county and region the
    user may read, newest first, from one query; Http404 when the user may not read it."""
    pair = Agreement.objects.filter(pk=pk)
    same_pair = Agreement.objects.filter(
        county=Subquery(pair.values("county")[:1]), region=Subquery(pair.values("region")[:1])
    )
    try:
        # The pair's agreements, and across a county change (Viken -> Østfold) the agreement the pair's
        # first one continued and the successor's agreement that continued it.
        history = list(
            agreement_list_visible_to(user=user)
            .select_related("general_part__county", "special_part__county", "special_part__region")
            .filter(
                Q(pk__in=same_pair.values("pk"))
                | Q(pk__in=same_pair.values("replaces_id"))
                | Q(replaces__in=same_pair.values("pk"))
            )
            .order_by("-created_at")
        )
    except (ValueError, TypeError):
        raise Http404("No such agreement") from None
    agreement = next((agreement for agreement in history if agreement.pk == pk), None)
    if agreement is None:
        raise Http404("No such agreement")
    return agreement, history


def proposal_get_for_user(*, user, pk) -> Proposal:
    """A proposal on a special part the user may read; Http404 otherwise."""
    try:
        return Proposal.objects.select_related("special_part__region", "author").get(
            pk=pk, special_part__in=special_part_list_visible_to(user=user).values("pk")
        )
    except (Proposal.DoesNotExist, ValueError, TypeError):
        raise Http404("No such proposal") from None


def knowledge_reference_get_for_user(*, user, pk) -> KnowledgeReference:
    """A knowledge-base reference of a special part the user may read; Http404 otherwise."""
    try:
        return KnowledgeReference.objects.get(
            pk=pk, special_part__in=special_part_list_visible_to(user=user).values("pk")
        )
    except (KnowledgeReference.DoesNotExist, ValueError, TypeError):
        raise Http404("No such reference") from None


SPECIAL_PART_PREFETCH = (
    "strengths",
    "challenges",
    "priorities",
    "strategic_plans",
    Prefetch(
        "knowledge_references", queryset=KnowledgeReference.objects.select_related("owner_county", "owner_region")
    ),
    Prefetch(
        "instrument_priorities",
        queryset=InstrumentPriority.objects.select_related("instrument__council_area"),
    ),
)


SPECIAL_PART_ITEM_LISTS = (("strengths", Strength), ("challenges", Challenge), ("priorities", Priority))
_ITEM_FIELDS = ("id", "order", "text", "lineage", "special_part_id")


def _prefetch_special_part_items(special_part):
    """special_part.strengths/challenges/priorities.all() filled from one query (a UNION of the three
    lists) instead of one query each, in their own order (order, then id)."""
    lists = [
        model.objects.filter(special_part=special_part)
        .annotate(list_no=Value(i))
        .values_list("list_no", *_ITEM_FIELDS)
        .order_by()
        for i, (_, model) in enumerate(SPECIAL_PART_ITEM_LISTS)
    ]
    items = {name: [] for name, _ in SPECIAL_PART_ITEM_LISTS}
    for list_no, *values in sorted(lists[0].union(*lists[1:], all=True).order_by(), key=lambda r: (r[0], r[2], r[1])):
        name, model = SPECIAL_PART_ITEM_LISTS[list_no]
        item = model.from_db(special_part._state.db, _ITEM_FIELDS, values)
        model.special_part.field.set_cached_value(item, special_part)
        items[name].append(item)
    cache = special_part.__dict__.setdefault("_prefetched_objects_cache", {})
    for name, found in items.items():
        queryset = getattr(special_part, name).all()
        queryset._result_cache, queryset._prefetch_done = found, True
        cache[name] = queryset


def agreement_parts_for_user(*, user, agreement) -> tuple[GeneralPart, SpecialPart]:
    """The agreement's general and special part (as agreement_get_for_user read them) with everything
    the agreement document shows, or Http404 when the user may not read one of them: the same as
    general_part_get_for_user and special_part_get_for_user without reading the parts again."""
    general, special = agreement_parts_readable(user=user, agreement=agreement)
    agreement_parts_prefetch(general=general, special=special)
    return general, special


def agreement_parts_readable(*, user, agreement) -> tuple[GeneralPart, SpecialPart]:
    """The agreement's general and special part as agreement_get_for_user read them, or Http404 when the
    user may not read one of them; nothing more is read (agreement_parts_prefetch reads the rest)."""
    general, special = agreement.general_part, agreement.special_part
    if not (can_view_general_part(user, general) and can_view_special_part(user, special)):
        raise Http404("No such agreement")
    return general, special


def agreement_parts_prefetch(*, general, special):
    """Everything the agreement document shows of its two parts, in one query per list."""
    prefetch_related_objects([general], "sections", "working_group__person", "working_group__represents_region")
    prefetch_related_objects([special], *(p for p in SPECIAL_PART_PREFETCH if p not in dict(SPECIAL_PART_ITEM_LISTS)))
    _prefetch_special_part_items(special)


def general_part_versions(*, user, general_part) -> QuerySet:
    """Every version of the same county's general part the user may read, oldest first."""
    return general_part_list_visible_to(user=user).filter(county=general_part.county).order_by("version")


def special_part_versions(*, user, special_part) -> QuerySet:
    """Every version of the same county and region's special part the user may read, oldest first."""
    return (
        special_part_list_visible_to(user=user)
        .filter(county=special_part.county, region=special_part.region)
        .order_by("version")
    )


def priority_get_for_user(*, user, lineage) -> Priority | None:
    """The newest version the user may read of the priority with this lineage (the case list names it
    when filtered by it); None when there is none or it is in a special part hidden from them."""
    parts = special_part_list_visible_to(user=user).values("pk")
    return (
        Priority.objects.filter(lineage=lineage, special_part__in=parts)
        .select_related("special_part__region")
        .order_by("-special_part__version", "-pk")
        .first()
    )


def general_part_current(*, county) -> GeneralPart | None:
    """The county's adopted general part, if any."""
    return GeneralPart.objects.filter(county=county, status=GeneralPart.Status.ADOPTED).first()


def agreement_current_for(*, county, region, user=None) -> Agreement | None:
    """The agreement that describes the pair now: the adopted one, else the newest open draft."""
    qs = (
        Agreement.objects.select_related("general_part", "special_part", "county", "region")
        if user is None
        else agreement_list_visible_to(user=user)
    ).filter(county=county, region=region)
    adopted = qs.filter(status=Agreement.Status.ADOPTED).first()
    if adopted:
        return adopted
    return (
        qs.filter(status__in=[Agreement.Status.DRAFT, Agreement.Status.IN_NEGOTIATION]).order_by("-created_at").first()
    )


def agreement_current_by_county(*, region, counties, user) -> dict:
    """{county id: agreement_current_for(county=..., region=region, user=user)} for several counties of the
    region, from one query."""
    return agreement_current_and_ended(region=region, counties=counties, user=user)[0]


def agreement_current_and_ended(*, region, counties, user) -> tuple[dict, list]:
    """agreement_current_by_county, and the region's terminated agreements with counties not among the
    given ones (Viken's, after 2024), newest first: the region page's panel, from one query."""
    county_ids = [county.pk for county in counties]
    qs = agreement_list_visible_to(user=user).filter(
        Q(county__in=county_ids) | Q(status=Agreement.Status.TERMINATED),
        region=region,
        status__in=[
            Agreement.Status.ADOPTED,
            Agreement.Status.DRAFT,
            Agreement.Status.IN_NEGOTIATION,
            Agreement.Status.TERMINATED,
        ],
    )
    adopted, open_, ended = {}, {}, []
    for agreement in qs.order_by("-created_at", "-pk"):
        if agreement.status == Agreement.Status.TERMINATED:
            if agreement.county_id not in county_ids:
                ended.append(agreement)
            continue
        found = adopted if agreement.status == Agreement.Status.ADOPTED else open_
        found.setdefault(agreement.county_id, agreement)
    current = {county.pk: adopted.get(county.pk) or open_.get(county.pk) for county in counties}
    return current, ended


def agreement_open_for(*, county, region) -> Agreement | None:
    """The draft or negotiated agreement of the pair, if one is being worked on."""
    return (
        Agreement.objects.filter(
            county=county, region=region, status__in=[Agreement.Status.DRAFT, Agreement.Status.IN_NEGOTIATION]
        )
        .order_by("-created_at")
        .first()
    )


def negotiation_record(*, special_part) -> dict:
    """Comments and proposals on a special part, by section, with authors, oldest first."""
    comments = Comment.objects.filter(special_part=special_part).select_related("author")
    proposals = Proposal.objects.filter(special_part=special_part).select_related("author", "decided_by")
    return {"comments": list(comments), "proposals": list(proposals)}


def overview_rows(*, user, regions, county=None, on=None, scope=None) -> list[dict]:
    """One row per region and its county on the date (default today; host and partner counties): the
    adopted agreement and the one being worked on (if the user may see it), for the overview page; with a
    scope (regions.selectors.county_scope_for), only the rows of those counties."""
    from regions.selectors import county_links_prefetch, region_counties_on

    regions = list(regions.select_related("host_county").prefetch_related("partner_counties", county_links_prefetch()))
    agreements = agreement_list_visible_to(user=user).filter(
        region__in=[r.pk for r in regions],
        status__in=[Agreement.Status.ADOPTED, Agreement.Status.DRAFT, Agreement.Status.IN_NEGOTIATION],
    )
    adopted, open_ = {}, {}
    for agreement in agreements.order_by("created_at"):
        key = (agreement.county_id, agreement.region_id)
        if agreement.status == Agreement.Status.ADOPTED:
            adopted[key] = agreement
        else:
            open_[key] = agreement
    rows = []
    for region in regions:
        for each in region_counties_on(region=region, on=on):
            if county is not None and each.pk != county.pk:
                continue
            if scope is not None and each.pk not in scope:
                continue  # an adviser sees their own county's agreement with a shared region
            key = (each.pk, region.pk)
            rows.append({"region": region, "county": each, "adopted": adopted.get(key), "open": open_.get(key)})
    return rows


def agreement_summary(*, user, scope=None) -> dict:
    """Counts for the start page: adopted, in negotiation, and re-adoption due (scope: the ids of the
    adviser's counties, regions.selectors.county_scope_for; None for every county)."""
    adopted = Q(status=Agreement.Status.ADOPTED)
    superseded_general_parts = GeneralPart.objects.filter(status=GeneralPart.Status.SUPERSEDED).values("pk")
    agreements = agreement_list_visible_to(user=user)
    if scope is not None:
        agreements = agreements.filter(county__in=sorted(scope))
    return agreements.order_by().aggregate(
        adopted=Count("pk", filter=adopted),
        in_negotiation=Count("pk", filter=Q(status=Agreement.Status.IN_NEGOTIATION)),
        drafts=Count("pk", filter=Q(status=Agreement.Status.DRAFT)),
        readoption_due=Count("pk", filter=adopted & Q(general_part__in=superseded_general_parts)),
    )


def agreement_list_for_county(*, user, county, on) -> list[dict]:
    """The county's agreements the user may read, each marked in_force when its period holds on the date
    (adopted, superseded or terminated): the county page's agreements, current and history."""
    from regions.selectors import holds_on

    rows = []
    agreements = agreement_list_visible_to(user=user).filter(county=county).order_by("region__name", "-created_at")
    for agreement in agreements[:200]:
        in_force = agreement.status in PUBLIC_STATUSES and agreement.valid_from is not None and holds_on(agreement, on)
        rows.append({"agreement": agreement, "in_force": in_force})
    return rows


def agreement_successor_counties(*, agreement, history) -> list:
    """The counties that may continue the agreement (agreement_continue): successors of its county once
    that county has an end, linked with the region, that have not continued it yet (history: the
    agreement's history as agreement_get_with_history_for_user gives it). No query for a county without an end."""
    if agreement.county.valid_to is None or agreement.status not in PUBLIC_STATUSES:
        return []
    continued = {other.county_id for other in history if other.replaces_id == agreement.pk}
    linked = agreement.region.county_links.values("county_id")
    return [
        county
        for county in agreement.county.successors.filter(pk__in=linked).order_by("number")
        if county.pk not in continued
    ]


# --- what the public may see (offentleglova) -------------------------------------------------------
# Everything public-facing reads agreements through this and nothing else: an agreement is public once
# adopted (also after it is superseded or terminated: it was the record), unless an adviser exempted it.
# Drafts and agreements in negotiation are never public.


def public_agreements() -> QuerySet:
    """The agreements the public may see, with county, region and both parts read in the same query."""
    return (
        Agreement.objects.filter(status__in=PUBLIC_STATUSES)
        .exclude(access=Access.EXEMPT)
        .select_related("county", "region", "general_part", "special_part")
    )


def public_agreement_get(*, pk) -> Agreement:
    """A public agreement with both parts and everything its document shows; Http404 for any other."""
    try:
        agreement = public_agreements().get(pk=pk)
    except (Agreement.DoesNotExist, ValueError, TypeError):
        raise Http404("No such agreement") from None
    # The parts of an adopted agreement are adopted (or since superseded) versions: public as well.
    general, special = agreement.general_part, agreement.special_part
    prefetch_related_objects([general], "sections", "working_group__person", "working_group__represents_region")
    prefetch_related_objects([special], *(p for p in SPECIAL_PART_PREFETCH if p not in dict(SPECIAL_PART_ITEM_LISTS)))
    _prefetch_special_part_items(special)
    return agreement
