"""Admin for every partnership model. Adopted and superseded versions are read-only here too:
an adopted text never changes silently."""

from django.contrib import admin

from .models import (
    Agreement,
    Challenge,
    Comment,
    GeneralPart,
    GeneralPartSection,
    Instrument,
    InstrumentPriority,
    KnowledgeReference,
    Priority,
    Proposal,
    SpecialPart,
    StrategicPlan,
    Strength,
    WorkingGroupMember,
)


class LockedParentMixin:
    """Inlines of a locked (adopted or superseded) version cannot be changed."""

    def _locked(self, obj):
        return obj is not None and getattr(obj, "is_locked", False)

    def has_add_permission(self, request, obj=None):
        return not self._locked(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return not self._locked(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self._locked(obj) and super().has_delete_permission(request, obj)


class SectionInline(LockedParentMixin, admin.StackedInline):
    model = GeneralPartSection
    extra = 0


class WorkingGroupInline(LockedParentMixin, admin.TabularInline):
    model = WorkingGroupMember
    extra = 0
    autocomplete_fields = []


class LockedAdmin(admin.ModelAdmin):
    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.is_locked:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_locked:
            return False
        return super().has_delete_permission(request, obj)


@admin.register(GeneralPart)
class GeneralPartAdmin(LockedAdmin):
    list_display = ["title", "county", "version", "status", "adopted_on", "decision_reference"]
    list_filter = ["county", "status"]
    search_fields = ["title", "decision_reference"]
    inlines = [SectionInline, WorkingGroupInline]


class StrengthInline(LockedParentMixin, admin.TabularInline):
    model = Strength
    extra = 0


class ChallengeInline(LockedParentMixin, admin.TabularInline):
    model = Challenge
    extra = 0


class PriorityInline(LockedParentMixin, admin.TabularInline):
    model = Priority
    extra = 0


class KnowledgeInline(LockedParentMixin, admin.TabularInline):
    model = KnowledgeReference
    extra = 0


class InstrumentPriorityInline(LockedParentMixin, admin.TabularInline):
    model = InstrumentPriority
    extra = 0


@admin.register(SpecialPart)
class SpecialPartAdmin(LockedAdmin):
    list_display = ["title", "region", "county", "version", "status", "adopted_on"]
    list_filter = ["county", "status"]
    search_fields = ["title", "region__name"]
    filter_horizontal = ["strategic_plans"]
    inlines = [StrengthInline, ChallengeInline, PriorityInline, KnowledgeInline, InstrumentPriorityInline]


@admin.register(Agreement)
class AgreementAdmin(admin.ModelAdmin):
    list_display = ["region", "county", "status", "valid_from", "valid_to", "county_decision_reference"]
    list_filter = ["county", "status"]
    search_fields = ["region__name", "county_decision_reference", "region_decision_reference"]
    list_select_related = ["region", "county"]


@admin.register(StrategicPlan)
class StrategicPlanAdmin(admin.ModelAdmin):
    list_display = ["title", "county", "kind", "adopted_on"]
    list_filter = ["county", "kind"]
    search_fields = ["title"]


@admin.register(Instrument)
class InstrumentAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "council_area"]
    list_filter = ["kind"]
    search_fields = ["name"]


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ["special_part", "section", "author", "created_at"]
    list_filter = ["section"]


@admin.register(Proposal)
class ProposalAdmin(admin.ModelAdmin):
    list_display = ["special_part", "section", "author", "status", "created_at", "decided_at"]
    list_filter = ["status", "section"]


for model in (
    GeneralPartSection,
    WorkingGroupMember,
    Strength,
    Challenge,
    Priority,
    KnowledgeReference,
    InstrumentPriority,
):

    @admin.register(model)
    class ItemAdmin(admin.ModelAdmin):
        def has_change_permission(self, request, obj=None):
            parent = obj and (getattr(obj, "special_part", None) or getattr(obj, "general_part", None))
            if parent is not None and parent.is_locked:
                return False
            return super().has_change_permission(request, obj)

        has_delete_permission = has_change_permission
