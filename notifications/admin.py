from django.contrib import admin, messages
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from core.admin import SafeDateHierarchyMixin
from core.text import single_line

from .models import Message, Notification
from .services import message_send_again


@admin.register(Message)
class MessageAdmin(SafeDateHierarchyMixin, admin.ModelAdmin):
    """A read-only log: the outbox is written by services, never by hand. The one thing an admin can
    do is send a failed message again (it goes back in the queue and through the normal sweep)."""

    list_display = ("kind", "email", "subject", "due_at", "state", "attempts", "last_attempt", "error", "sent_at")
    list_filter = ("state", "kind")
    search_fields = ("key", "email", "subject")
    date_hierarchy = "due_at"
    readonly_fields = [f.name for f in Message._meta.fields]
    actions = ["send_again"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_send_again_permission(self, request):
        return request.user.has_perm("notifications.change_message")

    @admin.display(description=_("last attempt"), ordering="claimed_at")
    def last_attempt(self, obj):
        return obj.claimed_at if obj.attempts else None

    @admin.display(description=_("last error"))
    def error(self, obj):
        return single_line(obj.last_error, max_length=120)

    @admin.action(description=_("Send again"), permissions=["send_again"])
    def send_again(self, request, queryset):
        chosen = list(queryset)
        again = message_send_again(messages=chosen, actor=request.user)
        for message in again:
            # The message's history keeps why it had failed; last_error is overwritten when it is sent.
            note = gettext("Put back in the queue to be sent again. Last error: %(error)s")
            self.log_change(request, message, note % {"error": message.last_error})
        if again:
            self.message_user(
                request,
                ngettext(
                    "%(count)d failed message is back in the queue and goes out with the next sweep (within a minute).",
                    "%(count)d failed messages are back in the queue and go out with the next sweep (within a minute).",
                    len(again),
                )
                % {"count": len(again)},
                messages.SUCCESS,
            )
        if len(chosen) > len(again):
            left = len(chosen) - len(again)
            self.message_user(
                request,
                ngettext(
                    "%(count)d message had not failed and was left as it is: only failed messages can be sent again.",
                    "%(count)d messages had not failed and were left as they are: only failed messages can be sent "
                    "again.",
                    left,
                )
                % {"count": left},
                messages.WARNING,
            )


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("title", "user", "created_at", "read_at")
    list_filter = ("read_at",)
    search_fields = ("title", "user__username")
    raw_id_fields = ("user", "message")
