"""The archive panel on the case page: what was handed to the archive, with its receipt or error."""

from cases.models import Case

from .permissions import can_view_archive
from .selectors import archive_message_list_for_case


def case_panel(request, case):
    """Advisers: the case's archive messages (state, when, receipt or error); nobody else sees it, and
    nothing is shown for a case that was never planned for the archive."""
    if not can_view_archive(request.user) or case.status != Case.Status.CLOSED:
        return None  # only a closed case is archived: no query for the others (the page's budget)
    messages = archive_message_list_for_case(case=case)
    if not messages:
        return None
    return {"template": "archive/_case_panel.html", "context": {"case": case, "archive_messages": messages}}
