"""Set up the provider's people and the portal's client application (run with the provider's settings).

python -m tests.sso_provider.setup_provider create CLIENT_ID CLIENT_SECRET REDIRECT_URI POST_LOGOUT_URI
python -m tests.sso_provider.setup_provider add REDIRECT_URI POST_LOGOUT_URI
"""

import json
import sys

import django


def create(client_id, client_secret, redirect_uri, post_logout_uri):
    from django.conf import settings
    from django.contrib.auth.models import User
    from oauth2_provider.models import Application

    for person in json.loads((settings.STATE_DIR / "people.json").read_text()):
        User.objects.create_user(username=person["username"], password=person["password"])
    common = {
        "client_type": Application.CLIENT_CONFIDENTIAL,
        "authorization_grant_type": Application.GRANT_AUTHORIZATION_CODE,
        "redirect_uris": redirect_uri,
        "post_logout_redirect_uris": post_logout_uri,
        "skip_authorization": True,
    }
    Application.objects.create(
        name="Regionportalen", client_id=client_id, client_secret=client_secret, algorithm="RS256", **common
    )
    # A client whose ID tokens are HS256, "signed" with its secret: the portal must refuse them.
    Application.objects.create(
        name="Regionportalen HS256",
        client_id=f"{client_id}-hs256",
        client_secret=client_secret,
        hash_client_secret=False,
        algorithm="HS256",
        **common,
    )


def add(redirect_uri, post_logout_uri):
    from oauth2_provider.models import Application

    for application in Application.objects.all():
        application.redirect_uris = f"{application.redirect_uris} {redirect_uri}"
        application.post_logout_redirect_uris = f"{application.post_logout_redirect_uris} {post_logout_uri}"
        application.save(update_fields=["redirect_uris", "post_logout_redirect_uris"])


if __name__ == "__main__":
    django.setup()
    {"create": create, "add": add}[sys.argv[1]](*sys.argv[2:])
