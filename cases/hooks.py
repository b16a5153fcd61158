"""What other apps do when a case is closed, in the same transaction.

The archive hand-off lives in an app above this one: it registers a listener here (in its
AppConfig.ready()) and case_close calls every listener after the case is closed, inside the same
transaction, so the closing and what follows it commit together or not at all:

    from cases.hooks import case_closed_listeners
    case_closed_listeners.register(archive_plan_for_case)

A listener is called as listener(case=..., now=...).

Apps above may also add values to the case page's read of the case (case_annotations), withhold the
text of the steps they record on its timeline from who may not read it (timeline_guards), and say which
regions besides its origin region a case belongs to (case_extra_regions: a theme group's member regions,
whose leaders record their own municipalities' anchoring of it).
"""

from core.registry import Annotations, Registry
from regions.hooks import Listeners


class CaseClosedListeners(Listeners):
    def notify(self, *, case, now=None):
        self._notify(case=case, now=now)


case_closed_listeners = CaseClosedListeners()


# Values other apps read together with the case on its page (case_get_for_user annotates the case).
case_annotations = Annotations()


class TimelineGuards(Registry):
    """Apps above cases that record steps on a case's timeline (meetings: a meeting's outcome, the
    reference group's input) say which of those steps' text a user may not read: a provider is called
    as provider(user=..., events=[...]) and returns the pks of the events whose text is withheld from
    that user (the step itself stays on the timeline). Registered in AppConfig.ready()."""

    def withheld(self, *, user, events) -> set:
        found = set()
        for provider in self:
            found |= set(provider(user=user, events=events))
        return found


timeline_guards = TimelineGuards()


class CaseExtraRegions(Registry):
    """Apps above cases say which regions a case belongs to besides its origin region (themes: the current
    member regions of the theme groups the case belongs to). A provider is called as provider(case) and
    returns region ids; registered in AppConfig.ready(). The leaders of those regions record the anchoring
    of their own municipalities (cases.permissions.anchoring_region_ids); the case's anchoring strength stays
    the origin region's. The answer is kept on the case object for the rest of its life (one request or one
    service call), so a page asking several times reads once."""

    CACHE_ATTRIBUTE = "_extra_region_ids"

    def region_ids(self, case) -> frozenset:
        cached = case.__dict__.get(self.CACHE_ATTRIBUTE)
        if cached is not None:
            return cached
        found = set()
        if case.pk is not None:
            for provider in self:
                found |= {pk for pk in provider(case) if pk}
        found.discard(case.origin_region_id)
        case.__dict__[self.CACHE_ATTRIBUTE] = frozenset(found)
        return case.__dict__[self.CACHE_ATTRIBUTE]


case_extra_regions = CaseExtraRegions()
