from django.conf import settings
from oauth2_provider.oauth2_validators import OAuth2Validator


class ClaimsValidator(OAuth2Validator):
    """Puts each test person's configured claims into their ID token, whatever the scope."""

    oidc_claim_scope = None

    def get_additional_claims(self, request):
        return dict(settings.PEOPLE_CLAIMS.get(request.user.username, {}))
