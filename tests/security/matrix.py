"""What each role must get for each URL: the allow-list for anonymous users, expected statuses, and
the objects for URL patterns with arguments. Apps add theirs in tests/<app>/quality.py."""

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
