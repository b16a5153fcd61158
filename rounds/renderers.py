"""Outbox renderers for input rounds: written at send time; a reminder for a round that is closed or
a contribution already submitted (or a recipient who no longer acts for the region) is not sent."""

from django.utils import formats
from django.utils.translation import gettext as _

from notifications.registry import Rendered, register
from regions.selectors import region_ids_led_now

from .models import Contribution, Round

# The message kinds this app plans (rounds.services) and renders here.
DEADLINE_KIND = "rounds.deadline"


@register(DEADLINE_KIND)
def render_deadline(message):
    payload = message.payload or {}
    try:
        round_id, region_id = int(payload["round_id"]), int(payload["region_id"])
    except (KeyError, TypeError, ValueError):
        return None
    contribution = (
        Contribution.objects.select_related("round", "region")
        .filter(round_id=round_id, region_id=region_id, round__status=Round.Status.OPEN)
        .exclude(status=Contribution.Status.SUBMITTED)
        .first()
    )
    if contribution is None or message.recipient is None:
        return None
    if region_id not in region_ids_led_now(user=message.recipient):
        return None
    values = {
        "round": contribution.round.title,
        "region": contribution.region.name,
        "date": formats.date_format(contribution.round.deadline, "SHORT_DATE_FORMAT"),
    }
    return Rendered(
        subject=_("Input round “%(round)s”: deadline %(date)s") % values,
        body=_("The contribution of %(region)s to “%(round)s” is not submitted yet. The deadline is %(date)s.")
        % values,
        url=contribution.get_absolute_url(),
    )
