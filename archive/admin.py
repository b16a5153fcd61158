from django.contrib import admin

from .models import ArchiveMessage


@admin.register(ArchiveMessage)
class ArchiveMessageAdmin(admin.ModelAdmin):
    list_display = ("key", "cause", "sequence", "state", "attempts", "created_at", "sent_at")
    list_filter = ("state", "cause")
    search_fields = ("key", "title")
    raw_id_fields = ("case",)
    date_hierarchy = "created_at"
    readonly_fields = ("claim_token", "claimed_at", "receipt", "last_error", "target")
