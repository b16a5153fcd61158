"""People pages for the shared quality suites (tests/security/extensions.py).

Only advisers and administrators manage people; for every other role the pages do not exist (404).
The world gets one invited person (not one of the roles' own users, so the matrix's POSTs to deactivate
and reactivate change no one who acts in it) and the token of their open invitation."""

from tests.e2e.pages import A11yPage


def _setup(world):
    from people import services
    from people.models import invitation_token
    from tests.factories import UserFactory

    invitee = UserFactory(username="invitert", first_name="Inger", last_name="Invitert", email="inger@example.no")
    invitee.set_unusable_password()
    invitee.save(update_fields=["password"])
    invitation = services.invitation_send(actor=world.user("adviser"), person=invitee)
    world.objects["invitee"] = invitee
    world.objects["invitation_token"] = invitation_token(invitation.nonce)


WORLD_SETUP = [_setup]

_PERSON = lambda w: {"pk": w.invitee.pk}  # noqa: E731

URL_KWARGS = {
    "people:person-detail": _PERSON,
    "people:person-invite": _PERSON,
    "people:person-deactivate": _PERSON,
    "people:person-reactivate": _PERSON,
    "people:invitation-accept": lambda w: {"token": w.invitation_token},
}

URL_OBJECTS = {
    "people:person-detail": "invitee",
    "people:person-invite": "invitee",
    "people:person-deactivate": "invitee",
    "people:person-reactivate": "invitee",
    "people:invitation-accept": "no object",
}

_MANAGERS = {"adviser": 200, "admin": 200, "leader_a": 404, "leader_b": 404, "staff": 404}
_POST_ONLY = {"adviser": 405, "admin": 405, "leader_a": 405, "leader_b": 405, "staff": 405}

EXPECTED_STATUS = {
    "people:person-list": _MANAGERS,
    "people:person-create": _MANAGERS,
    "people:person-detail": _MANAGERS,
    "people:person-invite": _POST_ONLY,
    "people:person-deactivate": _POST_ONLY,
    "people:person-reactivate": _POST_ONLY,
    # The link works for whoever holds it (the invitee is not logged in yet).
    "people:invitation-accept": {"default": 200},
}

PUBLIC_URL_NAMES = {"people:invitation-accept"}

PAGES = [
    A11yPage("people-list-adviser", "people:person-list", "adviser"),
    A11yPage("people-create-adviser", "people:person-create", "adviser"),
    A11yPage("people-detail-adviser", "people:person-detail", "adviser", kwargs=_PERSON),
    A11yPage("people-invitation-accept", "people:invitation-accept", kwargs=lambda w: {"token": w.invitation_token}),
]

FUZZ_PAGES = [("people:person-list", "adviser", ["q", "role", "state", "page"])]
