"""Single sign-on through OpenID Connect (Authlib): the county's identity provider (e.g. Entra ID) and
ID-porten, configured by environment variables (settings.OIDC_PROVIDERS, see README "Single sign-on").

The flow is the authorization code flow with PKCE (S256) and a nonce; Authlib checks the state, the
ID token's signature against the provider's JWKS, its issuer, audience, expiry and nonce. The claims are
then matched to an EXISTING active person (by verified e-mail, or by the national identifier the county
chose); nobody is ever created here, so an unknown person is told to ask for an invitation.
"""

import logging
from dataclasses import dataclass

from authlib.integrations.base_client import MismatchingStateError, OAuthError
from authlib.integrations.django_client import OAuth
from django.conf import settings
from django.contrib.auth import login
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from .models import User

logger = logging.getLogger(__name__)

SESSION_PROVIDER = "oidc_provider"
SESSION_ID_TOKEN = "oidc_id_token"
SESSION_NEXT = "oidc_next"
# Read by accounts.twofactor.second_factor_satisfied(request): the provider asserted two factors.
SESSION_SECOND_FACTOR = "second_factor_by_idp"
# Authentication methods (RFC 8176) that mean more than a password.
MFA_AMR_VALUES = frozenset({"mfa", "otp", "hwk"})
# Only asymmetric signatures count: an HS256 token would be "signed" with the client secret.
ID_TOKEN_ALGORITHMS = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512"]


class SignInRefused(Exception):
    """The provider's answer cannot sign anyone in; `message` says why, in the person's language."""

    def __init__(self, message, *, status=400):
        super().__init__(str(message))
        self.message = message
        self.status = status


@dataclass(frozen=True)
class Provider:
    slug: str
    name: str
    discovery_url: str
    client_id: str
    client_secret: str
    scopes: str
    match_claim: str
    mfa_acr_values: tuple
    token_auth_method: str = "client_secret_basic"


def provider_list() -> list[Provider]:
    """The configured providers, in the order of OIDC_PROVIDERS (the login page's buttons)."""
    return [
        Provider(**{**config, "mfa_acr_values": tuple(config.get("mfa_acr_values", ()))})
        for config in getattr(settings, "OIDC_PROVIDERS", [])
    ]


def provider_get(slug: str) -> Provider:
    """The configured provider of that short name; 404 for any other."""
    for provider in provider_list():
        if provider.slug == slug:
            return provider
    raise Http404


_clients: dict = {}


def _client(provider: Provider):
    """The Authlib client of a provider; kept per configuration, so the discovery document and the
    JWKS are fetched once per process (a new key id makes Authlib fetch the JWKS again)."""
    client = _clients.get(provider)
    if client is None:
        oauth = OAuth()
        client = oauth.register(
            name=f"oidc_{provider.slug}",
            client_id=provider.client_id,
            client_secret=provider.client_secret,
            server_metadata_url=provider.discovery_url,
            client_kwargs={
                "scope": provider.scopes,
                "code_challenge_method": "S256",
                "token_endpoint_auth_method": provider.token_auth_method,
                "timeout": 10,
            },
        )
        _clients[provider] = client
    return client


def _metadata(provider: Provider) -> dict:
    try:
        metadata = _client(provider).load_server_metadata()
    except Exception as error:  # the provider is down or answers nonsense: a message, not a 500
        logger.warning("OIDC discovery for %s failed: %s", provider.slug, error)
        _clients.pop(provider, None)
        raise _unreachable(provider) from error
    # Never trust the provider's own list of algorithms further than the asymmetric ones (RS256, the
    # OpenID Connect default, if it names none of them: an empty list would let joserfc allow HS256).
    offered = metadata.get("id_token_signing_alg_values_supported") or []
    metadata["id_token_signing_alg_values_supported"] = [alg for alg in offered if alg in ID_TOKEN_ALGORITHMS] or [
        "RS256"
    ]
    return metadata


def _unreachable(provider: Provider) -> SignInRefused:
    return SignInRefused(
        _("%(name)s cannot be reached just now. Try again later, or log in with your password.")
        % {"name": provider.name},
        status=502,
    )


def sign_in_redirect(request, provider: Provider, *, redirect_uri: str):
    """The redirect to the provider's authorization endpoint (state, nonce and PKCE kept in the session)."""
    _metadata(provider)
    try:
        return _client(provider).authorize_redirect(request, redirect_uri)
    except Exception as error:  # a discovery document without an authorization endpoint
        logger.warning("OIDC sign-in at %s could not start: %s", provider.slug, error)
        raise _unreachable(provider) from error


def sign_in_complete(request, provider: Provider) -> User:
    """Check the provider's answer on the callback and sign the matching person in.

    Raises SignInRefused (nothing changed, nobody signed in) for a refused or tampered answer or an
    unknown person."""
    _metadata(provider)
    try:
        token = _client(provider).authorize_access_token(request)
    except MismatchingStateError as error:
        raise SignInRefused(
            _(
                "The sign-in could not be completed: the answer from %(name)s does not belong to a sign-in "
                "started in this browser, or it has expired. Start again from the login page."
            )
            % {"name": provider.name}
        ) from error
    except OAuthError as error:
        logger.info("OIDC sign-in at %s refused: %s", provider.slug, error)
        raise SignInRefused(
            _("%(name)s did not confirm the sign-in. Start again from the login page.") % {"name": provider.name}
        ) from error
    except Exception as error:  # a bad signature, nonce, issuer or audience; a network error
        logger.warning("OIDC callback from %s failed: %s", provider.slug, error)
        raise SignInRefused(
            _(
                "The sign-in could not be completed: the answer from %(name)s could not be verified. "
                "Start again from the login page."
            )
            % {"name": provider.name}
        ) from error
    claims = token.get("userinfo")
    if not claims:
        raise SignInRefused(_("%(name)s sent no identity. Start again from the login page.") % {"name": provider.name})
    user = person_for_claims(provider=provider, claims=claims)
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    request.session[SESSION_PROVIDER] = provider.slug
    request.session[SESSION_ID_TOKEN] = token.get("id_token", "")
    if claims_assert_second_factor(provider=provider, claims=claims):
        request.session[SESSION_SECOND_FACTOR] = True
    return user


def person_for_claims(*, provider: Provider, claims: dict) -> User:
    """The one active person the claims name, by verified e-mail (case-insensitive) or by the national
    identifier claim; SignInRefused (403) for anyone else. Never creates a person."""
    if provider.match_claim == "email":
        email = str(claims.get("email") or "").strip()
        # Entra ID states ownership of the address's domain in xms_edov instead of email_verified.
        verified = claims.get("email_verified") in (True, "true") or claims.get("xms_edov") in (True, "true", "1")
        if not email or not verified:
            raise SignInRefused(
                _("%(name)s did not confirm your e-mail address, so the portal cannot tell who you are.")
                % {"name": provider.name},
                status=403,
            )
        people = list(User.objects.filter(is_active=True, email__iexact=email)[:2])
    else:
        value = str(claims.get(provider.match_claim) or "").strip()
        people = list(User.objects.filter(is_active=True, national_id=value)[:2]) if value else []
    if len(people) != 1:
        raise SignInRefused(
            _(
                "You are not registered in Regionportalen. A county adviser must invite you before you can "
                "log in. Contact the coordination unit."
            ),
            status=403,
        )
    return people[0]


def claims_assert_second_factor(*, provider: Provider, claims: dict) -> bool:
    """True if the provider says the person signed in with more than a password (amr, or a configured acr)."""
    amr = claims.get("amr") or []
    if isinstance(amr, str):
        amr = [amr]
    if MFA_AMR_VALUES.intersection(str(value) for value in amr):
        return True
    return bool(provider.mfa_acr_values) and str(claims.get("acr") or "") in provider.mfa_acr_values


def sign_out_url(request, *, post_logout_redirect_uri: str) -> str:
    """The provider's end-session address for a person who signed in through it ("" if none); read
    before the portal's session ends (it holds the ID token hint)."""
    slug = request.session.get(SESSION_PROVIDER)
    if not slug:
        return ""
    try:
        provider = provider_get(slug)
        metadata = _metadata(provider)
    except (Http404, SignInRefused):
        return ""
    if not metadata.get("end_session_endpoint"):
        return ""
    return _client(provider).create_logout_url(
        post_logout_redirect_uri=post_logout_redirect_uri,
        id_token_hint=request.session.get(SESSION_ID_TOKEN) or None,
        client_id=provider.client_id,
    )["url"]
