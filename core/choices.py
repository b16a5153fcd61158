"""`get_FOO_display()` for the portal's models without translating every label of the field.

Django's `Model._get_FIELD_display` builds a dict of the field's choices on every call, and hashing each
(value, label) pair evaluates each lazy label: a case's status (12 labels) costs 12 translations, and a
list of 50 cases 600, about 1.3 ms of a 25 ms page; the timeline's events (40 actions) more. Here the
value is looked up among the choices and only its own label is translated, at the call, in the
reader's language, with the same answer (the value itself when it is not a choice).

CoreConfig.ready() installs it on every model of the project's apps (`install`): a new model or field
is covered without naming it, and tests/test_choice_display.py checks that none is left out.
"""

from functools import partialmethod

from django.conf import settings
from django.db.models import Model
from django.utils.encoding import force_str


def choice_display(instance, field):
    value = getattr(instance, field.attname)
    for choice, label in field.flatchoices:
        if choice == value:
            return force_str(label, strings_only=True)
    return force_str(value, strings_only=True)


def is_djangos_own(method) -> bool:
    """Whether a get_FOO_display attribute is the one Django made (not the model's own method)."""
    return isinstance(method, partialmethod) and method.func is Model._get_FIELD_display


def declared(model, name):
    """The attribute `name` as the class (or the nearest parent declaring it) holds it, unbound."""
    return next((klass.__dict__[name] for klass in model.__mro__ if name in klass.__dict__), None)


def project_models(all_models):
    root = str(settings.BASE_DIR)
    return [model for model in all_models if model._meta.app_config.path.startswith(root)]


def install(models):
    """Replace the get_FOO_display Django made on each model with choice_display (a model's own
    get_FOO_display, such as Case.get_topic_display, stays)."""
    for model in models:
        for field in model._meta.local_fields:
            name = f"get_{field.name}_display"
            if field.choices is not None and is_djangos_own(model.__dict__.get(name)):
                setattr(model, name, partialmethod(choice_display, field=field))
