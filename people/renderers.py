"""Outbox renderer for the invitation e-mail: written at send time in the invitee's language, with the
link computed then from the invitation (the outbox stores only its id). An invitation that has ended
(used, replaced, expired, the person deactivated) is not sent."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from notifications.registry import Rendered, register

INVITATION_KIND = "people.invitation"


@register(INVITATION_KIND)
def render_invitation(message):
    from .models import Invitation, invitation_token, token_hash

    invitation = (
        Invitation.objects.select_related("user", "created_by").filter(pk=message.payload.get("invitation_id")).first()
    )
    now = timezone.now()
    if invitation is None or invitation.state_on(now) != Invitation.State.OPEN or not invitation.user.is_active:
        return None
    token = invitation_token(invitation.nonce)
    if token_hash(token) != invitation.token_hash:  # SECRET_KEY has changed since: the link would not work
        return None
    person = invitation.user
    expires = timezone.localtime(invitation.expires_at).strftime("%d.%m.%Y %H:%M")
    lines = [
        _("Hello %(name)s,") % {"name": person.get_full_name() or person.email},
        "",
        _("%(sender)s has invited you to Regionportalen, where the county and the regions work together.")
        % {"sender": invitation.created_by or _("The coordination unit")},
        _("Your user name is %(username)s. Open the link to choose your password; you are then logged in.")
        % {"username": person.username},
        _("The link works once, until %(expires)s.") % {"expires": expires},
    ]
    return Rendered(
        subject=_("Invitation to Regionportalen"),
        body="\n".join(lines),
        url=reverse("people:invitation-accept", kwargs={"token": token}),
        in_app=False,  # the link is a key: in the e-mail only, never in a notification list
    )
