from core.memo import request_memo

from .models import Notification


def notification_list_for(*, user):
    """The user's own notifications, newest first (those created together in a stable order, so paging
    neither repeats nor skips one)."""
    return Notification.objects.filter(user=user).order_by("-created_at", "-pk")


def notification_unread_count(*, user) -> int:
    if not user.is_authenticated:
        return 0
    return request_memo(user, UNREAD_MEMO_KEY, lambda: unread_notifications_of(user).count())


# The request memo's key for the unread count (regions.selectors reads it along with the user's posts).
UNREAD_MEMO_KEY = "notifications.unread"


def unread_notifications_of(user):
    """The user's unread notifications (a queryset; may be given an OuterRef for the user)."""
    return Notification.objects.filter(user=user, read_at__isnull=True)
