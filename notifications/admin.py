from django.contrib import admin

from core.admin import SafeDateHierarchyMixin

from .models import Message, Notification


@admin.register(Message)
class MessageAdmin(SafeDateHierarchyMixin, admin.ModelAdmin):
    """A read-only log: the outbox is written by services, never by hand."""

    list_display = ("kind", "email", "subject", "due_at", "state", "attempts", "sent_at")
    list_filter = ("state", "kind")
    search_fields = ("key", "email", "subject")
    date_hierarchy = "due_at"
    readonly_fields = [f.name for f in Message._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("title", "user", "created_at", "read_at")
    list_filter = ("read_at",)
    search_fields = ("title", "user__username")
    raw_id_fields = ("user", "message")
