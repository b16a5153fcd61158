"""Who may see the archive hand-off and send a failed message again: the coordination unit."""

from accounts.permissions import is_adviser


def can_view_archive(user) -> bool:
    """Advisers (and admins) see what was archived, for the cases they see."""
    return is_adviser(user)


def can_send_archive_message_again(user, message) -> bool:
    """Advisers put a failed archive message back in the queue."""
    return is_adviser(user)
