"""Create the provider's people and the portal's client application (run inside the provider's settings).

Usage: python -m tests.sso_provider.setup_provider CLIENT_ID CLIENT_SECRET REDIRECT_URI POST_LOGOUT_URI
"""

import json
import sys

import django


def main(client_id, client_secret, redirect_uri, post_logout_uri):
    django.setup()
    from django.conf import settings
    from django.contrib.auth.models import User
    from oauth2_provider.models import Application

    for person in json.loads((settings.STATE_DIR / "people.json").read_text()):
        User.objects.create_user(username=person["username"], password=person["password"])
    Application.objects.create(
        name="Regionportalen",
        client_id=client_id,
        client_secret=client_secret,
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=redirect_uri,
        post_logout_redirect_uris=post_logout_uri,
        algorithm=Application.RS256_ALGORITHM,
        skip_authorization=True,
    )


if __name__ == "__main__":
    main(*sys.argv[1:5])
