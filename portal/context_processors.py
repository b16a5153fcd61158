from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from accounts.permissions import is_admin, is_adviser, is_council_area_staff, is_region_leader
from notifications.selectors import notification_unread_count

# (URL name, label, who sees it: "all" or role flags joined by "|"). A section whose URL does not exist yet is left out.
NAV_ITEMS = [
    ("portal:home", _("Home"), "all"),
    ("regions:index", _("Registry"), "all"),
    ("partnerships:index", _("Agreements"), "all"),
    ("meetings:index", _("Meetings"), "all"),
    ("cases:index", _("Cases"), "all"),
    ("cases:inbox", _("Inbox"), "adviser"),
    ("cases:tracking", _("Tracking"), "all"),
    ("people:person-list", _("People"), "adviser"),
    ("archive:message-list", _("Archive"), "adviser"),
    ("funds:index", _("Funds"), "adviser|leader"),
    ("rounds:index", _("Input rounds"), "adviser|leader"),
    ("themes:index", _("Theme groups"), "adviser|leader"),
    ("reports:index", _("Yearly report"), "adviser"),
]


def _nav_items(request, flags):
    """The menu for the role; one item is marked current: the one whose address is the longest start
    of the page's (the inbox at /saker/innboks/ is under "Innboks", not under "Saker" as well)."""
    items = []
    for name, label, audience in NAV_ITEMS:
        if audience != "all" and not any(flags.get(part) for part in audience.split("|")):
            continue
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue
        items.append({"url": url, "label": label, "active": False})
    matches = [
        item
        for item in items
        if request.path == item["url"] or (item["url"] != "/" and request.path.startswith(item["url"]))
    ]
    if matches:
        max(matches, key=lambda item: len(item["url"]))["active"] = True
    return items


def portal(request):
    """Role flags, the navigation for the role and the unread-notification count."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav": {}, "nav_items": []}
    flags = {
        "adviser": is_adviser(user),
        "leader": is_region_leader(user),
        "staff": is_council_area_staff(user),
        "admin": is_admin(user) or user.is_staff,
        "unread": notification_unread_count(user=user),
    }
    return {"nav": flags, "nav_items": _nav_items(request, flags)}
