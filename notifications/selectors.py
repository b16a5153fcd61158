from .models import Notification


def notification_list_for(*, user):
    """The user's own notifications, newest first."""
    return Notification.objects.filter(user=user).order_by("-created_at")


def notification_unread_count(*, user) -> int:
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(user=user, read_at__isnull=True).count()
