from django.contrib import admin

from .models import Invitation


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    """Read-only: invitations are sent from the people pages (people.services), where the e-mail is planned."""

    list_display = ("user", "created_at", "created_by", "expires_at", "used_at", "revoked_at")
    list_filter = ("used_at", "revoked_at")
    search_fields = ("user__username", "user__email", "user__last_name")
    readonly_fields = ("user", "created_at", "created_by", "expires_at", "used_at", "revoked_at")
    exclude = ("nonce", "token_hash")
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
