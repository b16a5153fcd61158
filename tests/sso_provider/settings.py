"""A tiny OpenID Connect provider for the single sign-on tests (django-oauth-toolkit, RS256).

It runs in its own process with its own SQLite file (tests/accounts/test_sso.py starts it); nothing
of the portal is installed here. SSO_PROVIDER_DIR holds its database, its RSA key and the people it
knows with their claims (people.json, written by the fixture).
"""

import json
import os
from pathlib import Path

STATE_DIR = Path(os.environ["SSO_PROVIDER_DIR"])

SECRET_KEY = "sso-provider-for-tests-only"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "tests.sso_provider.urls"
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "oauth2_provider",
]
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
]
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [Path(__file__).resolve().parent / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {"context_processors": ["django.template.context_processors.request"]},
    }
]
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": STATE_DIR / "provider.sqlite3"}}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
USE_TZ = True
LOGIN_URL = "/login/"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

OAUTH2_PROVIDER = {
    "OIDC_ENABLED": True,
    "OIDC_RSA_PRIVATE_KEY": (STATE_DIR / "key.pem").read_text() if (STATE_DIR / "key.pem").exists() else "",
    "OIDC_RP_INITIATED_LOGOUT_ENABLED": True,
    "OIDC_RP_INITIATED_LOGOUT_ALWAYS_PROMPT": False,
    "PKCE_REQUIRED": True,
    "SCOPES": {"openid": "OpenID Connect", "email": "E-mail", "profile": "Profile"},
    "OAUTH2_VALIDATOR_CLASS": "tests.sso_provider.validators.ClaimsValidator",
    "ALLOWED_REDIRECT_URI_SCHEMES": ["http", "https"],
}

# username -> extra claims of the ID token (email, email_verified, pid, amr, acr ...)
PEOPLE_CLAIMS = (
    {p["username"]: p.get("claims", {}) for p in json.loads((STATE_DIR / "people.json").read_text())}
    if (STATE_DIR / "people.json").exists()
    else {}
)

# Errors go to server.log beside the database, for whoever debugs a failing test.
LOGGING = {
    "version": 1,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"django.request": {"handlers": ["console"], "level": "ERROR"}},
}
