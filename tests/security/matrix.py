"""What each role must get for each URL: the allow-list for anonymous users, expected statuses, and
the objects for URL patterns with arguments. Apps add theirs in tests/<app>/quality.py."""

import inspect
from pathlib import Path

from django.apps import apps
from django.contrib.auth.tokens import default_token_generator
from django.contrib.contenttypes.models import ContentType
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from .extensions import collect_dict, collect_set

# Anonymous users may open these; everything else must send them to the login page.
PUBLIC_URL_NAMES = {
    "login",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "set_language",
    "healthz",
    "portal:accessibility",
    "admin:login",
    "meetings:feed",  # calendar subscription: the secret token in the URL is the credential
    "sso_login",  # single sign-on: off to the identity provider (accounts/oidc.py)
    "sso_callback",  # single sign-on: the identity provider's answer
}

ANY_LOGGED_IN = ("adviser", "leader_a", "leader_b", "staff", "admin")
ADVISERS = ("adviser", "admin")  # accounts.permissions.is_adviser: administrators act as advisers
DENIED = (302, 403, 404)

# url name -> {role or "default": status or tuple of allowed statuses}
FOUNDATION_EXPECTED = {
    "healthz": {"default": (200, 503)},  # 503 until beat has written a heartbeat
    "set_language": {"default": (200, 204, 302)},
    "login": {"default": 302},  # already logged in: on to the start page
    "logout": {"default": 405},  # POST only
    "password_change": {"default": 200},
    "password_change_done": {"default": 200},
    "password_reset": {"default": 200},
    "password_reset_done": {"default": 200},
    # A valid link moves the token out of the URL (302); the user's own link is void once they log in.
    "password_reset_confirm": {"default": (200, 302)},
    "admin:login": {"admin": 302, "default": 200},  # non-staff see "not authorised for this site"
    "password_reset_complete": {"default": 200},
    # No identity provider is configured in the world: the provider's name is unknown.
    "sso_login": {"default": 404},
    "sso_callback": {"default": 404},
    "portal:home": {"default": 200},
    "portal:accessibility": {"default": 200},
    "notifications:list": {"default": 200},
    "notifications:mark-read": {"default": 405},
    "regions:index": {"default": 200},
    "partnerships:index": {"default": 200},
    "meetings:index": {"default": 200},
    "cases:index": {"default": 200},
    "cases:inbox": {"adviser": 200, "admin": 200, "default": DENIED},
    "cases:tracking": {"adviser": 200, "admin": 200, "default": (200, *DENIED)},
}


def _admin_object_kwargs(model_label, arg):
    def build(world):
        app_label, model_name = model_label
        model = apps.get_model(app_label, model_name)
        obj = model._default_manager.order_by("pk").first()
        return None if obj is None else {arg: str(obj.pk)}

    return build


def _reset_kwargs(world):
    user = world.user("leader_a")
    return {"uidb64": urlsafe_base64_encode(force_bytes(user.pk)), "token": default_token_generator.make_token(user)}


def _view_on_site_kwargs(world):
    region = world.region_a
    return {"content_type_id": ContentType.objects.get_for_model(region).pk, "object_id": region.pk}


def foundation_url_kwargs(endpoints):
    """Arguments for the foundation's patterns: admin pages of the first object of each model, and so on."""
    kwargs = {
        "password_reset_confirm": _reset_kwargs,
        "admin:view_on_site": _view_on_site_kwargs,
        "admin:app_list": lambda world: {"app_label": "accounts"},
        "admin:auth_user_password_change": _admin_object_kwargs(("accounts", "user"), "id"),
        "sso_login": lambda world: {"provider": "entra"},
        "sso_callback": lambda world: {"provider": "entra"},
    }
    for endpoint in endpoints:
        name = endpoint.name
        if name.startswith("admin:") and name.rsplit("_", 1)[-1] in ("change", "delete", "history"):
            model = name.removeprefix("admin:").rsplit("_", 1)[0]
            for app_config in apps.get_app_configs():
                if model.startswith(app_config.label + "_"):
                    label = (app_config.label, model.removeprefix(app_config.label + "_"))
                    kwargs.setdefault(name, _admin_object_kwargs(label, "object_id"))
    return kwargs


def sample_is_enough(endpoint):
    """Patterns whose sample URL needs no real object: the admin's catch-all and its old-style
    object URLs (they only redirect to the change page)."""
    return endpoint.name.startswith("<unnamed admin/")


def public_url_names():
    return PUBLIC_URL_NAMES | collect_set("PUBLIC_URL_NAMES")


def expected_statuses():
    return {**FOUNDATION_EXPECTED, **collect_dict("EXPECTED_STATUS")}


def app_url_kwargs():
    return collect_dict("URL_KWARGS")


# --- 404 or 403 (docs/adr/0004-404-not-403.md) ------------------------------------------------------

# The registry is public: every logged-in user sees these (regions.permissions.can_view_registry).
PUBLIC_MODELS = {("regions", "region"), ("regions", "municipality"), ("regions", "county"), ("regions", "councilarea")}

# url name -> the world object the URL is about: a world attribute name, a callable of the world,
# MISSING (an id that exists nowhere: 404 for everyone) or NO_OBJECT (arguments that name no object).
MISSING = "missing"
NO_OBJECT = "no object"


def url_objects():
    return {
        "password_reset_confirm": NO_OBJECT,
        "sso_login": NO_OBJECT,
        "sso_callback": NO_OBJECT,
        **collect_dict("URL_OBJECTS"),
    }


def access_functions() -> dict:
    """{model class: its access function}: every `<entity>_get_for_user(*, user, pk) -> Model` in the
    apps' selectors.py and permissions.py, found by its return annotation."""
    from core.checks import project_app_configs

    found = {}
    for config in project_app_configs():
        for layer in ("selectors", "permissions"):
            if not Path(config.path, f"{layer}.py").exists():
                continue
            module = __import__(f"{config.name}.{layer}", fromlist=[layer])
            for name, function in inspect.getmembers(module, inspect.isfunction):
                if not name.endswith("_get_for_user") or function.__module__ != module.__name__:
                    continue
                signature = inspect.signature(function)
                if set(signature.parameters) != {"user", "pk"}:
                    continue
                model = signature.return_annotation
                if isinstance(model, type) and hasattr(model, "_meta"):
                    found[model] = function
    return found


def url_object(world, spec):
    """The object a URL_OBJECTS entry names (None for MISSING)."""
    if spec == MISSING:
        return None
    return getattr(world, spec) if isinstance(spec, str) else spec(world)


def can_see(user, obj, access) -> bool:
    """Whether the user sees the object, as its app's access function decides (the registry: always)."""
    from django.http import Http404

    if obj is None:
        return False
    if (obj._meta.app_label, obj._meta.model_name) in PUBLIC_MODELS:
        return True
    function = access.get(type(obj))
    assert function is not None, f"{type(obj).__name__} has no <entity>_get_for_user(*, user, pk) -> Model"
    try:
        function(user=user, pk=obj.pk)
    except Http404:
        return False
    return True
