from django.contrib import admin

from .models import (
    Anchoring,
    Attachment,
    Case,
    CaseEvent,
    CaseExport,
    ReferenceCounter,
    RegionRequest,
    Routing,
    Topic,
    TopicMapping,
)
from .services import case_anchoring_recount
from .topics import topics_changed


class RoutingInline(admin.TabularInline):
    model = Routing
    extra = 0
    raw_id_fields = ["routed_by", "answered_by"]


class RegionRequestInline(admin.TabularInline):
    model = RegionRequest
    extra = 0
    raw_id_fields = ["sent_by", "answered_by"]


class AnchoringInline(admin.TabularInline):
    model = Anchoring
    extra = 0
    raw_id_fields = ["municipality", "recorded_by"]


class AttachmentInline(admin.TabularInline):
    model = Attachment
    extra = 0
    fields = ["original_name", "content_type", "size", "uploaded_by", "uploaded_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class CaseEventInline(admin.TabularInline):
    model = CaseEvent
    extra = 0
    fields = ["created_at", "actor", "action", "from_status", "to_status", "visibility", "comment"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    list_display = ["reference", "title", "direction", "origin_region", "origin_council_area", "status", "deadline"]
    list_filter = ["status", "direction", "topic", "visibility", "urgency", "access"]
    search_fields = ["reference", "title", "description"]
    raw_id_fields = ["created_by", "assigned_to"]
    readonly_fields = ["reference", "submitted_at", "received_at", "answer_sent_at", "closed_at"]
    filter_horizontal = ["priorities", "instruments"]
    inlines = [RoutingInline, RegionRequestInline, AnchoringInline, AttachmentInline, CaseEventInline]

    def save_related(self, request, form, formsets, change):
        """Anchorings edited here count for the case's anchoring strength, as on the case page."""
        super().save_related(request, form, formsets, change)
        case_anchoring_recount(cases=Case.objects.filter(pk=form.instance.pk))


@admin.register(Routing)
class RoutingAdmin(admin.ModelAdmin):
    list_display = ["case", "council_area", "state", "routed_at", "answered_at"]
    list_filter = ["state", "council_area"]
    raw_id_fields = ["case", "routed_by", "answered_by"]


@admin.register(RegionRequest)
class RegionRequestAdmin(admin.ModelAdmin):
    list_display = ["case", "region", "state", "sent_at", "answered_at"]
    list_filter = ["state", "region"]
    raw_id_fields = ["case", "sent_by", "answered_by"]


@admin.register(CaseEvent)
class CaseEventAdmin(admin.ModelAdmin):
    """The trail is append-only: readable here, never edited."""

    list_display = ["created_at", "case", "action", "actor", "from_status", "to_status", "visibility"]
    list_filter = ["action", "visibility"]
    search_fields = ["case__reference", "case__title", "comment"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Attachment)
class AttachmentAdmin(admin.ModelAdmin):
    list_display = ["original_name", "case", "content_type", "size", "uploaded_at"]
    raw_id_fields = ["case", "uploaded_by"]
    readonly_fields = ["file", "content_type", "size"]

    def has_add_permission(self, request):
        return False  # uploads go through the checked upload on the case page


@admin.register(Anchoring)
class AnchoringAdmin(admin.ModelAdmin):
    list_display = ["case", "municipality", "body", "stance", "decision_date"]
    list_filter = ["body", "stance"]
    raw_id_fields = ["case", "municipality", "recorded_by"]

    def save_model(self, request, obj, form, change):
        previous = Anchoring.objects.filter(pk=obj.pk).values_list("case_id", flat=True).first()
        super().save_model(request, obj, form, change)
        case_anchoring_recount(cases=Case.objects.filter(pk__in={obj.case_id, previous} - {None}))

    def delete_model(self, request, obj):
        case_id = obj.case_id
        super().delete_model(request, obj)
        case_anchoring_recount(cases=Case.objects.filter(pk=case_id))

    def delete_queryset(self, request, queryset):
        case_ids = set(queryset.values_list("case_id", flat=True))
        super().delete_queryset(request, queryset)
        case_anchoring_recount(cases=Case.objects.filter(pk__in=case_ids))


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "name_nn", "active", "order"]
    list_filter = ["active"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        topics_changed()  # the labels and choices are cached (cases.topics)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        topics_changed()


@admin.register(TopicMapping)
class TopicMappingAdmin(admin.ModelAdmin):
    list_display = ["topic", "council_area"]


@admin.register(ReferenceCounter)
class ReferenceCounterAdmin(admin.ModelAdmin):
    list_display = ["year", "last_number"]


@admin.register(CaseExport)
class CaseExportAdmin(admin.ModelAdmin):
    list_display = ["owner", "created_at", "state", "rows"]
    list_filter = ["state"]
    raw_id_fields = ["owner"]
    readonly_fields = ["file", "rows", "state", "finished_at"]

    def has_add_permission(self, request):
        return False  # exports are asked for from the case list
