"""Screening (skjerming) under the Freedom of Information Act (offentleglova), shared by every app that
holds documents the public may ask for: cases and their attachments, agenda items and minutes, adopted
partnership agreements.

Each such object carries `access` (not set: what its kind usually is; public; exempt), the legal basis
of an exemption (one of the usual paragraphs, or free text) and whether its title is screened too (with
the title to show instead). What "not set" means is each app's rule, written once in its public
selector (`public_cases()`, `public_agenda_items()`, ...): everything public-facing reads through those.
"""

from crispy_forms.helper import FormHelper
from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .forms import PortalForm
from .validators import single_line

SCREENED_TITLE_MAX_LENGTH = 255


class Access(models.TextChoices):
    DEFAULT = "", _("As usual for its kind")
    PUBLIC = "public", _("Public")
    EXEMPT = "exempt", _("Exempt from public access")


class LegalBasis(models.TextChoices):
    """The bases for exemption the coordination unit uses most (offentleglova, forvaltningsloven)."""

    NONE = "", _("No legal basis")
    OFFL_13_FVL_13 = "offl_13_fvl_13", "offl. § 13 jf. fvl. § 13"
    OFFL_14 = "offl_14", "offl. § 14"
    OFFL_15 = "offl_15", "offl. § 15"
    OFFL_23 = "offl_23", "offl. § 23"
    OFFL_5 = "offl_5", _("offl. § 5 (deferred access)")
    OTHER = "other", _("Other (write it out)")


def screening_errors(*, access, legal_basis, legal_basis_text, title_screened, screened_title) -> dict:
    """What is wrong with a screening, by field: an exemption names its legal basis, "other" is written
    out, a screened title has the title to show instead. (A legal basis left on a screening that is no
    longer an exemption is simply dropped by screening_apply.)"""
    errors = {}
    if access == Access.EXEMPT and not legal_basis:
        errors["legal_basis"] = _("Choose the legal basis for the exemption.")
    if access == Access.EXEMPT and legal_basis == LegalBasis.OTHER and not (legal_basis_text or "").strip():
        errors["legal_basis_text"] = _("Write out the legal basis.")
    if title_screened and not (screened_title or "").strip():
        errors["screened_title"] = _("Write the title to show instead of the screened one.")
    return errors


class ScreenedModel(models.Model):
    """The screening fields of a document the public may ask for (abstract)."""

    access = models.CharField(_("public access"), max_length=16, choices=Access.choices, default="", blank=True)
    legal_basis = models.CharField(
        _("legal basis for exemption"), max_length=32, choices=LegalBasis.choices, default="", blank=True
    )
    legal_basis_text = models.CharField(_("legal basis (text)"), max_length=200, blank=True, validators=[single_line])
    title_screened = models.BooleanField(_("title screened"), default=False)
    screened_title = models.CharField(
        _("title shown instead"), max_length=SCREENED_TITLE_MAX_LENGTH, blank=True, validators=[single_line]
    )
    screened_at = models.DateTimeField(_("screening set at"), null=True, blank=True)

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=~Q(access="exempt") | ~Q(legal_basis=""),
                name="%(app_label)s_%(class)s_exempt_has_basis",
                violation_error_message=_("Choose the legal basis for the exemption."),
            ),
            models.CheckConstraint(
                condition=Q(title_screened=False) | ~Q(screened_title=""),
                name="%(app_label)s_%(class)s_screened_title_given",
                violation_error_message=_("Write the title to show instead of the screened one."),
            ),
        ]

    def clean(self):
        super().clean()
        errors = screening_errors(
            access=self.access,
            legal_basis=self.legal_basis,
            legal_basis_text=self.legal_basis_text,
            title_screened=self.title_screened,
            screened_title=self.screened_title,
        )
        if errors:
            raise ValidationError(errors)

    @property
    def is_exempt(self) -> bool:
        return self.access == Access.EXEMPT

    @property
    def legal_basis_display(self) -> str:
        """The legal basis as written in a journal: the paragraph, or the free text."""
        if self.legal_basis == LegalBasis.OTHER:
            return self.legal_basis_text
        if self.legal_basis:
            text = str(self.get_legal_basis_display())
            return f"{text}: {self.legal_basis_text}" if self.legal_basis_text else text
        return ""


def public_title(obj, title: str) -> str:
    """The title the public sees: the screened title when the title is screened."""
    return obj.screened_title if obj.title_screened else title


SCREENING_FIELDS = ("access", "legal_basis", "legal_basis_text", "title_screened", "screened_title")


class ScreeningForm(PortalForm):
    """An adviser sets the screening of one object (the same form on every page that offers it)."""

    access = forms.ChoiceField(label=_("Public access"), choices=Access.choices, required=False)
    legal_basis = forms.ChoiceField(label=_("Legal basis for exemption"), choices=LegalBasis.choices, required=False)
    legal_basis_text = forms.CharField(
        label=_("Legal basis (text)"),
        required=False,
        max_length=200,
        help_text=_("For example the paragraph and letter, or the basis when none of the list fits."),
    )
    title_screened = forms.BooleanField(label=_("Screen the title too"), required=False)
    screened_title = forms.CharField(
        label=_("Title shown instead"), required=False, max_length=SCREENED_TITLE_MAX_LENGTH
    )

    def __init__(self, *args, instance=None, prefix=None, **kwargs):
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {name: getattr(instance, name) for name in SCREENING_FIELDS}
        super().__init__(*args, prefix=prefix, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean(self):
        data = super().clean()
        for field, message in screening_errors(**{name: data.get(name) for name in SCREENING_FIELDS}).items():
            self.add_error(field, message)
        return data


def screening_apply(obj, *, now, **values) -> None:
    """Write a screening on obj (the app's service has checked the actor): refused with the same
    Norwegian messages as the form, nothing changed."""
    for name in SCREENING_FIELDS:
        setattr(obj, name, values.get(name) or ("" if name != "title_screened" else False))
    if obj.access != Access.EXEMPT:
        obj.legal_basis, obj.legal_basis_text = "", ""
    if not obj.title_screened:
        obj.screened_title = ""
    obj.screened_at = now
    obj.full_clean()
    obj.save(update_fields=[*SCREENING_FIELDS, "screened_at"])


def screening_form_refusal(form) -> ValidationError:
    """A refused screening form as messages for the page it was posted from ("Legal basis: ...")."""
    return ValidationError(
        [
            f"{form.fields[name].label}: {error}" if name in form.fields else str(error)
            for name, errors in form.errors.items()
            for error in errors
        ]
    )
