"""The portal's input rules hold for the whole class, not for the fields someone remembered.

* Every form class of the project (forms, model forms, filter sets, the login and password forms)
  inherits core.forms.PortalFormMixin, so its text fields refuse control characters and have a limit,
  its number fields are bounded and its dates lie in range.
* Every text field of every model of the project has a maximum and the control-character rule
  (one line: no line break; several lines: line breaks and tabs only), so full_clean() in the
  services, the Django admin and imports refuse what the forms refuse. A new field that skips them
  fails here without anyone naming it.
* The messages are Norwegian and say the limit.
"""

import importlib
import pkgutil

import django_filters
import pytest
from django import forms
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import models
from django.utils import translation

from core.forms import PortalFilterSet, PortalForm, PortalFormMixin
from core.validators import (
    ControlCharacterValidator,
    LengthLimitValidator,
    forbidden_character,
    printable,
    spreadsheet_cell,
)

PROJECT_APPS = ("accounts", "core", "notifications", "regions", "partnerships", "meetings", "cases")

# Text fields that hold no typed text, each with the reason.
EXEMPT = {
    "accounts.User.password": "a password hash, written by Django's hashers",
    "accounts.User.username": "Django's UnicodeUsernameValidator allows letters, digits and @.+-_ only",
    "notifications.Message": "the outbox's own bookkeeping (keys, kinds, tokens, errors): read-only in the admin, "
    "written only by the outbox, which makes its e-mail headers single-line itself",
}


def _import_project_modules():
    for app in PROJECT_APPS:
        package = importlib.import_module(app)
        for info in pkgutil.walk_packages(package.__path__, f"{app}."):
            if ".migrations" not in info.name:
                importlib.import_module(info.name)


def _subclasses(base):
    found, queue = set(), [base]
    while queue:
        for cls in queue.pop().__subclasses__():
            if cls not in found:
                found.add(cls)
                queue.append(cls)
    return found


def _project_classes(base):
    _import_project_modules()
    return sorted(
        (cls for cls in _subclasses(base) if cls.__module__.split(".")[0] in PROJECT_APPS),
        key=lambda cls: f"{cls.__module__}.{cls.__qualname__}",
    )


def test_every_form_class_of_the_project_applies_the_portal_input_rules():
    form_classes = _project_classes(forms.BaseForm)
    assert len(form_classes) > 40  # every app's forms were found
    missing = [f"{c.__module__}.{c.__qualname__}" for c in form_classes if not issubclass(c, PortalFormMixin)]
    assert not missing, f"forms that do not inherit core.forms.PortalFormMixin: {missing}"


def test_every_filter_set_of_the_project_builds_a_portal_form():
    filter_sets = _project_classes(django_filters.FilterSet)
    assert filter_sets
    missing = [f"{c.__module__}.{c.__qualname__}" for c in filter_sets if not issubclass(c, PortalFilterSet)]
    assert not missing, f"filter sets that do not inherit core.forms.PortalFilterSet: {missing}"


def _text_fields():
    for model in apps.get_models():
        meta = model._meta
        if meta.app_label not in PROJECT_APPS or meta.proxy or meta.label in EXEMPT:
            continue
        for field in meta.concrete_fields:
            if not isinstance(field, (models.CharField, models.TextField)):
                continue
            if field.choices or not field.editable or f"{meta.label}.{field.name}" in EXEMPT:
                continue  # choices allow only their values; not editable: never typed
            if isinstance(field, models.SlugField):
                continue  # validate_slug allows [-a-zA-Z0-9_] only
            yield model, field


TEXT_FIELDS = list(_text_fields())


def test_the_model_text_fields_are_found():
    names = {f"{model._meta.label}.{field.name}" for model, field in TEXT_FIELDS}
    assert {"cases.Case.title", "cases.Case.description", "partnerships.GeneralPartSection.body"} <= names
    assert len(names) > 80


@pytest.mark.parametrize("model,field", TEXT_FIELDS, ids=[f"{m._meta.label}.{f.name}" for m, f in TEXT_FIELDS])
def test_every_model_text_field_has_a_limit_and_the_control_character_rule(model, field):
    multiline = isinstance(field, models.TextField)
    rules = [v for v in field.validators if isinstance(v, ControlCharacterValidator)]
    assert rules == [ControlCharacterValidator(multiline=multiline)], (
        "add validators=[single_line] (CharField) or text_validators(limit) (TextField) from core.validators"
    )
    assert field.max_length, "give the field a max_length"
    if multiline:
        limits = [v.limit_value for v in field.validators if isinstance(v, LengthLimitValidator)]
        assert limits == [field.max_length], "a TextField's max_length is only a hint: add text_validators(limit)"


def _refusal(model, field, value):
    obj = model()
    setattr(obj, field.attname, value)
    others = [f.name for f in model._meta.fields if f.name != field.name]
    with translation.override("nb"):
        try:
            obj.clean_fields(exclude=others)
        except ValidationError as error:
            return " ".join(error.message_dict.get(field.name, []))
    return None


@pytest.mark.parametrize("model,field", TEXT_FIELDS, ids=[f"{m._meta.label}.{f.name}" for m, f in TEXT_FIELDS])
def test_full_clean_refuses_hostile_text_in_every_model_text_field(model, field):
    """What the admin, the services and imports run: a Norwegian refusal for each kind of hostile text."""
    assert "kontrolltegnet (U+001B)" in _refusal(model, field, "Tittel\x1b[31m")
    assert "kontrolltegnet (U+0000)" in _refusal(model, field, "Tittel\x00")
    too_long = "x" * (field.max_length + 1)
    assert "Skriv høyst" in _refusal(model, field, too_long)
    if isinstance(field, models.TextField):
        assert _refusal(model, field, "Linje én\r\nLinje to\n\tmed innrykk") in (None, "")
    else:
        assert "én linje" in _refusal(model, field, "Linje én\nLinje to")


@pytest.mark.django_db
def test_the_reference_data_follows_the_text_rules():
    """The loader writes without full_clean(): its data must still pass the rules the forms apply."""
    call_command("load_reference_data", verbosity=0)
    problems = []
    for model in {model for model, _field in TEXT_FIELDS}:
        names = [f.name for m, f in TEXT_FIELDS if m is model]
        for obj in model._default_manager.all():
            try:
                obj.clean_fields(exclude=[f.name for f in model._meta.fields if f.name not in names])
            except ValidationError as error:
                problems.append(f"{model._meta.label} {obj.pk}: {error.message_dict}")
    assert not problems, problems[:10]


class _LateFieldForm(PortalForm):
    """A form that adds its fields in __init__, after the base class has run (as most portal forms do)."""

    title = forms.CharField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["note"] = forms.CharField(widget=forms.Textarea, required=False)
        self.fields["count"] = forms.IntegerField(required=False)
        self.fields["day"] = forms.DateField(required=False)


def _errors(data):
    with translation.override("nb"):
        form = _LateFieldForm(data)
        form.is_valid()
        return {name: " ".join(errors) for name, errors in form.errors.items()}


def test_a_form_field_added_in_init_follows_the_rules_too():
    assert _errors({"title": "Tittel", "note": "Linje én\r\nLinje to\tmed tab"}) == {}
    errors = _errors(
        {"title": "Tittel\nmed linjeskift", "note": "x" * 10_001, "count": "99999999999999999999", "day": "9999-12-31"}
    )
    assert errors["title"] == "Skriv dette på én linje, uten linjeskift."
    assert errors["note"] == "Skriv høyst 10\xa0000 tegn (teksten har 10\xa0001)."
    assert "mindre enn eller lik 2147483647" in errors["count"]
    assert errors["day"] == "Skriv en dato mellom 01.01.1800 og 31.12.2199."
    assert _errors({"title": "Tittel\x07"})["title"] == "Fjern det usynlige kontrolltegnet (U+0007) fra teksten."


def test_the_form_says_the_limit_to_the_browser():
    form = _LateFieldForm()
    assert form.fields["title"].widget.attrs["maxlength"] == "255"
    assert form.fields["note"].widget.attrs["maxlength"] == "10000"


def test_a_line_break_from_the_browser_counts_as_one_character():
    """The browser's maxlength counts a line break once but sends it as CR LF."""
    LengthLimitValidator(10)("12345\r\n789")  # 10 characters as the user typed them
    with pytest.raises(ValidationError):
        LengthLimitValidator(10)("12345\r\n78901")


def test_printable_keeps_good_text_and_drops_control_characters():
    assert printable("Fylkesvei 120 – «gang- og sykkelvei»\nLinje to\tTab") == (
        "Fylkesvei 120 – «gang- og sykkelvei»\nLinje to\tTab"
    )
    assert printable("A\x00\x01\x0b\x1b\x7f\x85\ufffeB") == "AB"
    assert printable("Linje én\r\nLinje to\u2028tre\tfire", multiline=False) == "Linje én Linje to tre fire"
    assert forbidden_character(printable("x\x1b\u2029y", multiline=False), multiline=False) is None


def test_a_spreadsheet_cell_is_never_a_formula():
    assert spreadsheet_cell("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert spreadsheet_cell("\x01=SUM(A1)") == "'=SUM(A1)"
    assert spreadsheet_cell("Fylkesvei 120") == "Fylkesvei 120"
