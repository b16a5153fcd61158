"""The main pages that are checked with axe-core and screenshotted, in bokmål, nynorsk and English.

A page names a URL (by URL name, so a section that does not exist yet is skipped with a note, not
failed) and the role that opens it. Apps add their pages in tests/<app>/quality.py as
`PAGES = [A11yPage(...)]`; objects come from the shared world (tests/security/world.py).
"""

from collections.abc import Callable
from dataclasses import dataclass

from tests.security.extensions import collect_list

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
LANGUAGES = ["nb", "nn", "en"]


@dataclass(frozen=True)
class A11yPage:
    name: str
    url_name: str = ""
    role: str = "anonymous"
    kwargs: Callable | None = None  # world -> reverse() kwargs
    path: str = ""  # a literal path instead of a URL name (the 404 page)
    status: int = 200
    query: str = ""

    def __str__(self):
        return self.name


FOUNDATION_PAGES = [
    A11yPage("login", "login"),
    A11yPage("password-reset", "password_reset"),
    A11yPage("password-reset-sent", "password_reset_done"),
    A11yPage("accessibility-anonymous", "portal:accessibility"),
    A11yPage("not-found-anonymous", path="/finnes-ikke/", status=404),
    *[A11yPage(f"start-{role}", "portal:home", role) for role in ("adviser", "leader_a", "leader_b", "staff", "admin")],
    A11yPage("notifications-leader_a", "notifications:list", "leader_a"),
    A11yPage("notifications-empty-adviser", "notifications:list", "adviser"),
    A11yPage("accessibility-adviser", "portal:accessibility", "adviser"),
    A11yPage("password-change", "password_change", "adviser"),
    A11yPage("password-changed", "password_change_done", "adviser"),
    A11yPage("not-found-leader_a", path="/finnes-ikke/", role="leader_a", status=404),
]

# The main page of each section and the adviser's work lists: checked as soon as the URL exists.
SECTION_PAGES = [
    A11yPage(f"{url_name.replace(':', '-')}-{role}", url_name, role)
    for url_name in ("regions:index", "partnerships:index", "meetings:index", "cases:index")
    for role in ("adviser", "leader_a", "staff")
] + [
    A11yPage("cases-inbox-adviser", "cases:inbox", "adviser"),
    A11yPage("cases-tracking-adviser", "cases:tracking", "adviser"),
]


def main_pages():
    """Every page to check: the foundation's, each section's, and those the apps register."""
    return FOUNDATION_PAGES + SECTION_PAGES + collect_list("PAGES")
