"""Single sign-on, end to end against a real OpenID Connect provider (tests/sso_provider, django-oauth-
toolkit with RS256) started in its own process: the portal's login page, the provider's login form, the
callback with a real signed ID token, and the person's start page. No token is mocked."""

import re
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
import requests
from django.urls import reverse

from accounts.models import User
from tests.factories import UserFactory
from tests.reliability.processes import spare_port
from tests.sso_provider.harness import AFTER_LOGOUT, CLIENT_ID, PASSWORD


@pytest.fixture
def provider_settings(settings, sso_provider):
    """The portal pointed at the test provider; call it again with overrides to change one setting."""

    def configure(**overrides):
        settings.OIDC_PROVIDERS = sso_provider.settings(**overrides)

    configure()
    return configure


class Browser:
    """One person's browser: the Django test client on the portal, requests on the provider."""

    def __init__(self, client):
        self.client = client
        self.provider = requests.Session()

    def provider_sign_in(self, authorize_url, username):
        """At the provider: the login form, then its (auto-approved) consent; the redirect back to the portal."""
        page = self.provider.get(authorize_url, timeout=10)
        assert "Test provider" in page.text, page.text
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        next_url = re.search(r'name="next" value="([^"]*)"', page.text).group(1).replace("&amp;", "&")
        answer = self.provider.post(
            page.url,
            data={"csrfmiddlewaretoken": token, "username": username, "password": PASSWORD, "next": next_url},
            allow_redirects=False,
            timeout=10,
        )
        return self.follow_provider(answer)

    def follow_provider(self, response):
        """Follow the provider's redirects until one leads back to the portal."""
        for _ in range(10):
            assert response.status_code == 302, response.text
            location = urljoin(response.url, response.headers["Location"])
            if location.startswith("http://testserver/"):
                return location
            response = self.provider.get(location, allow_redirects=False, timeout=10)
        raise AssertionError("the provider never sent the browser back to the portal")

    def start_sign_in(self, next_url=""):
        login_page = self.client.get(reverse("login") + (f"?next={next_url}" if next_url else ""))
        button = re.search(r'href="([^"]+)">Logg inn med Testleverandør<', login_page.content.decode())
        assert button, "the login page offers no 'Logg inn med Testleverandør' button"
        response = self.client.get(button.group(1).replace("&amp;", "&"))
        assert response.status_code == 302
        return response["Location"]

    def sign_in(self, username, next_url=""):
        """The whole walk; the portal's answer to the callback."""
        callback = self.provider_sign_in(self.start_sign_in(next_url), username)
        return self.client.get(callback)


def signed_in_user_id(client):
    return client.session.get("_auth_user_id")


@pytest.mark.django_db
def test_a_known_person_signs_in_through_the_provider_and_lands_on_their_start_page(client, leader, provider_settings):
    leader.email = "leder@example.no"
    leader.save(update_fields=["email"])

    response = Browser(client).sign_in("leader")

    assert response.status_code == 302 and response["Location"] == reverse("portal:home")
    home = client.get(response["Location"])
    assert home.status_code == 200
    assert home.context["user"] == leader
    assert f"Velkommen, {leader.first_name}" in home.content.decode()
    assert "Indre Østfold" in home.content.decode()  # the leader's own region
    # A password alone at the provider is no second factor.
    assert "second_factor_by_idp" not in client.session


@pytest.mark.django_db
def test_sign_in_returns_to_the_page_the_person_asked_for(client, leader, provider_settings):
    leader.email = "leder@example.no"
    leader.save(update_fields=["email"])

    response = Browser(client).sign_in("leader", next_url="/saker/")

    assert response.status_code == 302 and response["Location"] == "/saker/"
    assert signed_in_user_id(client) == str(leader.pk)


@pytest.mark.django_db
def test_an_unknown_person_is_told_to_get_an_invitation_and_nothing_is_created(client, leader, provider_settings):
    people_before = User.objects.count()

    response = Browser(client).sign_in("stranger")

    assert response.status_code == 403
    assert "må invitere deg" in response.content.decode()
    assert User.objects.count() == people_before
    assert not User.objects.filter(email__iexact="stranger@example.no").exists()
    assert signed_in_user_id(client) is None


@pytest.mark.django_db
def test_an_unverified_email_claim_signs_nobody_in(client, leader, provider_settings):
    leader.email = "leder@example.no"
    leader.save(update_fields=["email"])

    response = Browser(client).sign_in("unverified")

    assert response.status_code == 403
    assert "bekreftet e-postadressen" in response.content.decode()
    assert signed_in_user_id(client) is None


@pytest.mark.django_db
def test_a_deactivated_person_cannot_sign_in_through_the_provider(client, leader, provider_settings):
    User.objects.filter(pk=leader.pk).update(email="leder@example.no", is_active=False)

    response = Browser(client).sign_in("leader")

    assert response.status_code == 403
    assert signed_in_user_id(client) is None


@pytest.mark.django_db
def test_a_tampered_state_is_refused_with_a_clear_message(client, leader, provider_settings):
    leader.email = "leder@example.no"
    leader.save(update_fields=["email"])
    browser = Browser(client)
    callback = browser.provider_sign_in(browser.start_sign_in(), "leader")
    query = parse_qs(urlsplit(callback).query)
    tampered = f"{urlsplit(callback).path}?code={query['code'][0]}&state=tampered{query['state'][0]}"

    response = client.get(tampered)

    assert response.status_code == 400
    assert "hører ikke til en innlogging" in response.content.decode()
    assert signed_in_user_id(client) is None
    # The real answer still works afterwards only once: a replayed callback is refused too.
    assert client.get(callback).status_code == 302
    client.logout()
    assert client.get(callback).status_code == 400


@pytest.mark.django_db
def test_a_national_identifier_claim_signs_in_the_person_with_that_identifier(client, provider_settings):
    provider_settings(match_claim="pid", token_auth_method="client_secret_post")
    citizen = UserFactory(username="citizen", email="", national_id="24079012345", role=User.Role.ADVISER)
    UserFactory(username="namesake", email="citizen@example.no")

    response = Browser(client).sign_in("citizen")

    assert response.status_code == 302
    assert signed_in_user_id(client) == str(citizen.pk)
    # acr idporten-loa-high is configured as two factors.
    assert client.session["second_factor_by_idp"] is True


@pytest.mark.django_db
def test_multi_factor_at_the_provider_counts_as_the_second_factor(client, adviser, provider_settings):
    response = Browser(client).sign_in("adviser")

    assert response.status_code == 302
    assert signed_in_user_id(client) == str(adviser.pk)
    assert client.session["second_factor_by_idp"] is True


@pytest.mark.django_db
def test_logging_out_ends_the_portal_session_and_the_providers(client, adviser, provider_settings):
    browser = Browser(client)
    browser.sign_in("adviser")

    page = client.post(reverse("logout"))

    assert page.status_code == 200
    assert signed_in_user_id(client) is None
    assert client.get(reverse("portal:home")).status_code == 302  # back to the login page
    link = re.search(r'href="([^"]+)" data-sso-logout', page.content.decode()).group(1).replace("&amp;", "&")
    assert "id_token_hint=" in link
    # Following the link ends the provider's session and comes back to the portal's login page.
    assert browser.follow_provider(browser.provider.get(link, allow_redirects=False, timeout=10)).startswith(
        AFTER_LOGOUT
    )
    again = browser.provider.get(browser.start_sign_in(), timeout=10)
    assert "Test provider" in again.text  # the provider asks for the password again


@pytest.mark.django_db
def test_password_login_stays_beside_single_sign_on(client, provider_settings):
    page = client.get(reverse("login")).content.decode()

    assert 'name="password"' in page
    assert "Logg inn med Testleverandør" in page


@pytest.mark.django_db
def test_an_unreachable_provider_gives_a_message_not_an_error(client, provider_settings):
    provider_settings(discovery_url=f"http://127.0.0.1:{spare_port()}/.well-known/openid-configuration")

    response = client.get(reverse("sso_login", kwargs={"provider": "test"}))

    assert response.status_code == 502
    assert "kan ikke nås" in response.content.decode()


@pytest.mark.django_db
def test_an_unknown_provider_name_is_not_found(client, provider_settings):
    assert client.get(reverse("sso_login", kwargs={"provider": "other"})).status_code == 404
    assert client.get(reverse("sso_callback", kwargs={"provider": "other"})).status_code == 404


@pytest.mark.django_db
def test_a_callback_without_a_started_sign_in_or_with_a_refusal_is_a_message(client, provider_settings):
    callback = reverse("sso_callback", kwargs={"provider": "test"})

    bare = client.get(callback)
    refused = client.get(callback, {"error": "access_denied", "state": "x"})

    assert bare.status_code == 400 and "hører ikke til en innlogging" in bare.content.decode()
    assert refused.status_code == 400 and "bekreftet ikke innloggingen" in refused.content.decode()
    assert signed_in_user_id(client) is None


@pytest.mark.django_db
def test_two_people_with_the_address_sign_nobody_in(client, leader, provider_settings):
    User.objects.filter(pk=leader.pk).update(email="leder@example.no")
    UserFactory(username="twin", email="LEDER@example.no")

    response = Browser(client).sign_in("leader")

    assert response.status_code == 403
    assert signed_in_user_id(client) is None


@pytest.mark.django_db
def test_a_password_lockout_does_not_stop_the_persons_own_provider_sign_in(client, leader, provider_settings):
    User.objects.filter(pk=leader.pk).update(email="leder@example.no")
    for _ in range(6):
        client.post(reverse("login"), {"username": "leader", "password": "feil-passord"})
    assert client.post(reverse("login"), {"username": "leader", "password": "Passord-for-test-1"}).status_code == 429

    response = Browser(client).sign_in("leader")

    assert response.status_code == 302
    assert signed_in_user_id(client) == str(leader.pk)


@pytest.mark.django_db
def test_an_id_token_signed_with_the_client_secret_instead_of_the_providers_key_is_refused(
    client, adviser, provider_settings
):
    provider_settings(client_id=f"{CLIENT_ID}-hs256")

    response = Browser(client).sign_in("adviser")

    assert response.status_code == 400
    assert "kunne ikke bekreftes" in response.content.decode()
    assert signed_in_user_id(client) is None
