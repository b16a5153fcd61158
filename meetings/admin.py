from django.contrib import admin

from core.admin import SafeDateHierarchyMixin

from .models import (
    AgendaItem,
    CalendarFeed,
    Meeting,
    MeetingMessage,
    MeetingSeries,
    MinutesEntry,
    Participant,
    ReferenceGroupInput,
)


@admin.register(MeetingSeries)
class MeetingSeriesAdmin(admin.ModelAdmin):
    list_display = ("title", "kind", "region", "body", "rrule", "start_time", "is_active")
    list_filter = ("kind", "is_active", "region")
    search_fields = ("title", "body")
    raw_id_fields = ("created_by",)


class ParticipantInline(admin.TabularInline):
    model = Participant
    extra = 0
    raw_id_fields = ("person", "appointment")


class AgendaItemInline(admin.TabularInline):
    model = AgendaItem
    extra = 0
    fields = ("order", "lane", "state", "title", "case", "presenter_side", "council_area", "minutes_allotted")
    raw_id_fields = ("case",)


@admin.register(Meeting)
class MeetingAdmin(SafeDateHierarchyMixin, admin.ModelAdmin):
    """Time and status of an existing meeting are read-only here: moving, cancelling and publishing
    happen on the meeting page, whose services re-plan the reminders and raise the calendar SEQUENCE."""

    list_display = ("title", "start", "end", "region", "kind", "status", "sequence")
    list_filter = ("status", "kind", "region")
    search_fields = ("title", "body", "location")
    date_hierarchy = "start"
    raw_id_fields = ("series", "organiser")
    readonly_fields = ("sequence", "moved_from", "agenda_published_at", "created_at", "updated_at")
    inlines = [ParticipantInline, AgendaItemInline]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return self.readonly_fields
        return ("start", "end", "status", *self.readonly_fields)


@admin.register(Participant)
class ParticipantAdmin(admin.ModelAdmin):
    list_display = ("person", "meeting", "side", "status", "is_guest")
    list_filter = ("side", "status", "is_guest")
    search_fields = ("person__name", "meeting__title")
    raw_id_fields = ("meeting", "person", "appointment")


@admin.register(AgendaItem)
class AgendaItemAdmin(admin.ModelAdmin):
    list_display = ("title", "meeting", "lane", "state", "order", "case")
    list_filter = ("lane", "state")
    search_fields = ("title", "meeting__title")
    raw_id_fields = ("meeting", "case", "proposed_by")


@admin.register(MinutesEntry)
class MinutesEntryAdmin(admin.ModelAdmin):
    list_display = ("agenda_item", "outcome", "updated_at")
    list_filter = ("outcome",)
    raw_id_fields = ("agenda_item", "updated_by")


@admin.register(ReferenceGroupInput)
class ReferenceGroupInputAdmin(admin.ModelAdmin):
    list_display = ("meeting", "case", "created_at")
    raw_id_fields = ("meeting", "case", "agenda_item", "created_by")


@admin.register(CalendarFeed)
class CalendarFeedAdmin(admin.ModelAdmin):
    list_display = ("owner", "region", "created_at", "revoked_at")
    list_filter = ("revoked_at",)
    raw_id_fields = ("owner", "region")
    readonly_fields = ("token",)


@admin.register(MeetingMessage)
class MeetingMessageAdmin(SafeDateHierarchyMixin, admin.ModelAdmin):
    """The reminder log: the outbox's meetings.* rows, read-only."""

    list_display = ("kind", "email", "subject", "due_at", "state", "attempts", "sent_at")
    list_filter = ("state", "kind")
    search_fields = ("key", "email", "subject")
    date_hierarchy = "due_at"
    readonly_fields = [f.name for f in MeetingMessage._meta.fields]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(kind__startswith="meetings.")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
