"""The base of every form of the portal: whatever a user (or a script) posts, a form answers with an
error message, never a server error, and lets through only text the portal can store and export.

PortalFormMixin applies core.validators to each field of the form, including the fields a form adds
in its __init__ after the base class has run (they are hardened as they are put into form.fields):

* every text field refuses control characters (a one-line input also refuses line breaks; a textarea
  allows line breaks and tabs) and has a maximum length (LINE_MAX_LENGTH or TEXT_MAX_LENGTH unless
  the field names its own, or 200 for a link as in the models), shown in the message and in the
  input's maxlength;
* every whole-number field without bounds is bounded to what the database stores, and every date
  lies between EARLIEST_DATE and LATEST_DATE, so no value overflows a query or the date arithmetic.

Ids of objects (ModelChoiceField, ModelMultipleChoiceField) need nothing here: core.lookups makes an
id no row can have (out of the column's range, or not a whole number) match nothing, so it is an
unknown choice like any other. A view that reads an id without a form uses posted_id().

tests/test_text_rules.py proves that every form class of the project inherits the mixin.
"""

import django_filters
from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.validators import (
    MaxLengthValidator,
    MaxValueValidator,
    MinValueValidator,
    ProhibitNullCharactersValidator,
)
from django.db.models import QuerySet
from django.forms.models import ModelChoiceIterator

from .validators import (
    LINE_MAX_LENGTH,
    TEXT_MAX_LENGTH,
    ControlCharacterValidator,
    DateRangeValidator,
    LengthLimitValidator,
)

# The defaults of the model fields a one-line form field usually stands for.
URL_MAX_LENGTH = 200  # models.URLField
EMAIL_MAX_LENGTH = 254  # models.EmailField
# A 32-bit signed integer: what every integer column holds on every database the portal runs on.
INTEGER_MIN, INTEGER_MAX = -(2**31), 2**31 - 1


def posted_id(value) -> int | None:
    """An object id read from a query string or a raw POST value: a whole number of ASCII digits an
    id column can hold, else None. (str.isdigit() also accepts "²", which int() refuses.)"""
    text = str(value if value is not None else "").strip()
    if not (text.isascii() and text.isdigit()):
        return None
    number = int(text)
    return number if 0 < number <= 2**63 - 1 else None


def _harden_text(field):
    multiline = isinstance(field.widget, forms.Textarea)
    if field.max_length is None:
        if isinstance(field, forms.URLField):
            field.max_length = URL_MAX_LENGTH
        elif isinstance(field, forms.EmailField):
            field.max_length = EMAIL_MAX_LENGTH
        else:
            field.max_length = TEXT_MAX_LENGTH if multiline else LINE_MAX_LENGTH
        if not field.widget.is_hidden:
            field.widget.attrs.setdefault("maxlength", str(field.max_length))
    # One message for the limit, ours; and ours covers the null character too.
    field.validators = [
        v
        for v in field.validators
        if not isinstance(v, (MaxLengthValidator, ProhibitNullCharactersValidator, ControlCharacterValidator))
    ]
    field.validators += [ControlCharacterValidator(multiline=multiline), LengthLimitValidator(field.max_length)]


def _harden_number(field):
    if field.min_value is None:
        field.min_value = INTEGER_MIN
        field.validators.append(MinValueValidator(INTEGER_MIN))
    if field.max_value is None:
        field.max_value = INTEGER_MAX
        field.validators.append(MaxValueValidator(INTEGER_MAX))


def harden_field(field):
    """Apply the portal's input rules to one form field (idempotent)."""
    if getattr(field, "portal_hardened", False):
        return field
    if isinstance(field, forms.CharField):
        _harden_text(field)
    elif isinstance(field, forms.IntegerField) and not isinstance(field, (forms.FloatField, forms.DecimalField)):
        _harden_number(field)
    elif isinstance(field, (forms.DateField, forms.DateTimeField)):
        field.validators.append(DateRangeValidator())
    elif isinstance(field, forms.MultiValueField):  # e.g. SplitDateTimeField
        for subfield in field.fields:
            harden_field(subfield)
    field.portal_hardened = True
    return field


class _HardenedFields(dict):
    """form.fields that hardens each field put into it, so fields added in a form's __init__ (after
    the base class has copied the declared ones) follow the same rules."""

    def __init__(self, fields):
        super().__init__()
        for name, field in fields.items():
            self[name] = field

    def __setitem__(self, name, field):
        super().__setitem__(name, harden_field(field))

    def update(self, *args, **kwargs):
        for name, field in dict(*args, **kwargs).items():
            self[name] = field

    def setdefault(self, name, field=None):
        if name not in self:
            self[name] = field
        return self[name]


class PortalFormMixin:
    """Mix into every form class (before Django's form class): see the module docstring."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields = _HardenedFields(self.fields)

    def full_clean(self):
        # A form that replaced form.fields wholesale after __init__ is still checked.
        if not isinstance(self.fields, _HardenedFields):
            self.fields = _HardenedFields(self.fields)
        super().full_clean()


class PortalForm(PortalFormMixin, forms.Form):
    """The portal's forms.Form."""


class PortalModelForm(PortalFormMixin, forms.ModelForm):
    """The portal's forms.ModelForm (the model's validators run as well, in _post_clean)."""


class PortalFilterSet(django_filters.FilterSet):
    """The portal's FilterSet: its form is a PortalForm whatever Meta.form says."""

    def get_form_class(self):
        form_class = super().get_form_class()
        if issubclass(form_class, PortalFormMixin):
            return form_class
        return type(form_class.__name__, (PortalFormMixin, form_class), {})


# --- a service's refusal, shown to the user -------------------------------------------------------


def add_service_errors(form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: each field's errors beside the field, the rest
    (and errors for fields the form does not show) at the top."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def call_service(form, call) -> bool:
    """Call a service (a function of no arguments); if it refuses with a ValidationError, its errors go
    on the form. True when it succeeded."""
    try:
        call()
    except ValidationError as error:
        add_service_errors(form, error)
        return False
    return True


def message_service_errors(request, error: ValidationError) -> None:
    """A refusal of a step that has no form of its own (a button): each reason as an error message."""
    for text in error.messages:
        messages.error(request, text)


def call_service_messages(request, call) -> bool:
    """call_service() for a step that has no form of its own (a button): its refusals become error
    messages. True when it succeeded."""
    try:
        call()
    except ValidationError as error:
        message_service_errors(request, error)
        return False
    return True


# --- choices from objects the view has already read ---------------------------------------------


class ListedChoices(ModelChoiceIterator):
    """The choices of a model choice field from objects the view has already read."""

    def __init__(self, field, objects):
        super().__init__(field)
        self.objects = objects

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.objects:
            yield self.choice(obj)

    def __len__(self):
        return len(self.objects) + (self.field.empty_label is not None)

    def __bool__(self):
        return self.field.empty_label is not None or bool(self.objects)


def offer_choices(field, objects, model):
    """Offer a queryset as it is, or a list already read without another query when the form is shown; a
    posted value is checked against the listed objects all the same."""
    if isinstance(objects, QuerySet):
        field.queryset = objects
        return
    objects = list(objects)
    field.iterator = lambda field: ListedChoices(field, objects)
    field.queryset = model.objects.filter(pk__in=[obj.pk for obj in objects])
