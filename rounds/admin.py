from django.contrib import admin

from .models import Contribution, ContributionAnchoring, ContributionAttachment, Round


class ContributionInline(admin.TabularInline):
    model = Contribution
    extra = 0
    fields = ("region", "status", "submitted_at")
    readonly_fields = fields
    can_delete = False


@admin.register(Round)
class RoundAdmin(admin.ModelAdmin):
    list_display = ("title", "county", "deadline", "status", "sent_on")
    list_filter = ("status", "county")
    search_fields = ("title",)
    list_select_related = ("county",)
    raw_id_fields = ("opened_by", "sent_recorded_by")
    filter_horizontal = ("regions", "council_areas")
    inlines = [ContributionInline]


@admin.register(Contribution)
class ContributionAdmin(admin.ModelAdmin):
    list_display = ("__str__", "status", "submitted_at")
    list_filter = ("status",)
    list_select_related = ("round", "region")
    raw_id_fields = ("round", "region", "updated_by", "submitted_by")


@admin.register(ContributionAttachment)
class ContributionAttachmentAdmin(admin.ModelAdmin):
    list_display = ("original_name", "contribution", "uploaded_at")
    list_select_related = ("contribution__region", "contribution__round")
    raw_id_fields = ("contribution", "uploaded_by")


@admin.register(ContributionAnchoring)
class ContributionAnchoringAdmin(admin.ModelAdmin):
    list_display = ("__str__", "contribution", "stance")
    list_select_related = ("contribution__region", "contribution__round", "municipality")
    raw_id_fields = ("contribution", "municipality", "recorded_by")
