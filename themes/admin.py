from django.contrib import admin

from .models import ThemeCase, ThemeEntry, ThemeGroup, ThemeMeeting, ThemeMember


class ThemeMemberInline(admin.TabularInline):
    model = ThemeMember
    extra = 0
    raw_id_fields = ("region", "added_by")


@admin.register(ThemeGroup)
class ThemeGroupAdmin(admin.ModelAdmin):
    list_display = ("name", "county", "lead_region")
    list_filter = ("county",)
    search_fields = ("name",)
    list_select_related = ("county", "lead_region")
    raw_id_fields = ("lead_region", "created_by", "topic")
    inlines = [ThemeMemberInline]


@admin.register(ThemeCase)
class ThemeCaseAdmin(admin.ModelAdmin):
    list_display = ("group", "case", "added_at")
    list_select_related = ("group", "case")
    raw_id_fields = ("group", "case", "added_by")


@admin.register(ThemeMeeting)
class ThemeMeetingAdmin(admin.ModelAdmin):
    list_display = ("group", "meeting", "added_at")
    list_select_related = ("group", "meeting")
    raw_id_fields = ("group", "meeting", "added_by")


@admin.register(ThemeEntry)
class ThemeEntryAdmin(admin.ModelAdmin):
    """The history is append-only: read it here, never change it."""

    list_display = ("group", "kind", "label", "old_value", "new_value", "actor", "at")
    list_filter = ("kind",)
    list_select_related = ("group", "actor")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
