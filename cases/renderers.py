"""Outbox renderers for case messages: the text is written at send time, in the language the outbox
sends in, and a message that no longer applies (a reminder for a moved deadline or an answered case)
is cancelled."""

import datetime

from django.http import QueryDict
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.permissions import is_adviser
from notifications.registry import Rendered, register

from .models import Case, CaseEvent
from .permissions import can_view_case, county_case_filter
from .selectors import case_inbox_counts

# The message kinds this app plans (cases.services) and renders here: one constant each.
EVENT_KIND = "cases.event"
DEADLINE_KIND = "cases.deadline"
DIGEST_KIND = "cases.digest"
EXPORT_KIND = "cases.export"


def _label(case):
    return case.reference or _("draft")


@register(EVENT_KIND)
def render_event(message):
    event = CaseEvent.objects.select_related("case", "actor").filter(pk=message.payload.get("event_id")).first()
    if event is None or message.recipient is None or not can_view_case(message.recipient, event.case):
        return None
    case = event.case
    subject = _("Case %(reference)s: %(action)s – %(title)s") % {
        "reference": _label(case),
        "action": event.get_action_display(),
        "title": case.title,
    }
    # The status the step led to: the message may go out after the case has moved on, and the
    # subject names the step, so the current status alone contradicted it.
    step_status = event.get_to_status_display() if event.to_status else case.get_status_display()
    lines = [
        _("Status: %(status)s") % {"status": step_status},
        _("By: %(actor)s") % {"actor": event.actor or _("the system")},
    ]
    if event.to_status and event.to_status != case.status:
        lines.insert(1, _("Status now: %(status)s") % {"status": case.get_status_display()})
    if event.comment:
        lines.append(event.comment_display)
    if event.action == CaseEvent.Action.ANSWER_SENT and case.final_answer:
        # The answer is what the region waited for: in the message, not only behind a login.
        lines += ["", _("The county's answer:"), case.final_answer]
    return Rendered(subject=subject[:255], body="\n".join(lines), url=case.get_absolute_url())


@register(DEADLINE_KIND)
def render_deadline(message):
    payload = message.payload
    case = Case.objects.filter(pk=payload.get("case_id")).first()
    if case is None or case.status != Case.Status.ROUTED or message.recipient is None:
        return None
    if not case.deadline or case.deadline.isoformat() != payload.get("deadline"):
        return None
    if not can_view_case(message.recipient, case):
        return None
    subject = _("Reminder: case %(reference)s is due %(deadline)s") % {
        "reference": _label(case),
        "deadline": datetime.date.fromisoformat(payload["deadline"]).strftime("%d.%m.%Y"),
    }
    body = _("The case “%(title)s” is waiting for your answer. Deadline: %(deadline)s.") % {
        "title": case.title,
        "deadline": case.deadline.strftime("%d.%m.%Y"),
    }
    return Rendered(subject=subject, body=body, url=case.get_absolute_url())


@register(DIGEST_KIND)
def render_digest(message):
    """The adviser's daily digest, counted when it is sent: a digest that waited in the outbox (a broker
    outage) tells what is waiting then, and one with nothing to tell is not sent."""
    if message.recipient is None or not is_adviser(message.recipient):
        return None
    # The adviser's county's cases (their inbox), every case for the national view.
    counts = case_inbox_counts(
        today=datetime.date.fromisoformat(message.payload["day"]), scope=county_case_filter(message.recipient)
    )
    if not any(counts.values()):
        return None
    subject = _("Cases today: %(new)s new, %(waiting)s waiting, %(overdue)s overdue") % counts
    body = (
        _(
            "New: %(new)s\nReceived, not routed: %(received)s\nFlagged: %(flagged)s\n"
            "Answers to send: %(answered)s\nOverdue: %(overdue)s"
        )
        % counts
    )
    return Rendered(subject=subject, body=body, url=reverse("cases:inbox"))


@register(EXPORT_KIND)
def render_export(message):
    """The owner's case export is ready: a link only they can open. Nothing to send if it is gone."""
    from .models import CaseExport

    export = CaseExport.objects.filter(
        pk=message.payload.get("export_id"), owner=message.recipient, state=CaseExport.State.READY
    ).first()
    if export is None or message.recipient is None:
        return None
    lines = [_("The Excel file with %(rows)s cases is ready. The link opens it for you only.") % {"rows": export.rows}]
    searched = QueryDict(export.query).get("q", "").strip()
    if searched:  # which list it is, in the user's own words
        lines.append(_("Search: %(text)s") % {"text": searched})
    return Rendered(subject=_("Your case export is ready"), body="\n".join(lines), url=export.get_absolute_url())
