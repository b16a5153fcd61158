"""Input forms for the partnership funds; the services check the money rules again."""

import re
from decimal import Decimal

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import PortalForm, offer_choices
from partnerships.models import Priority
from regions.models import County, Region

from .models import AMOUNT_DECIMALS, AMOUNT_MAX_DIGITS, FIRST_YEAR, LAST_YEAR, Income, Project

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
AMOUNT_ERRORS = {
    "required": _("Enter an amount in kroner."),
    "invalid": _("Enter an amount in kroner."),
    "max_digits": _("The amount is too large."),
    "max_whole_digits": _("The amount is too large."),
    "max_decimal_places": _("Use at most two decimals (øre)."),
}


def _helper(label):
    helper = FormHelper()
    helper.form_method = "post"
    helper.add_input(Submit("submit", label))
    return helper


class AmountField(forms.DecimalField):
    """Kroner as people write them: "2 500 000,50", "2500000.50" or "2 500 000 kr"."""

    def to_python(self, value):
        if isinstance(value, str):
            value = re.sub(r"\s", "", value).removesuffix("kr").removesuffix("NOK")
        return super().to_python(value)


def amount_field(label, *, minimum="0.01"):
    return AmountField(
        label=label,
        max_digits=AMOUNT_MAX_DIGITS,
        decimal_places=AMOUNT_DECIMALS,
        min_value=Decimal(minimum),
        localize=True,
        error_messages={**AMOUNT_ERRORS, "min_value": _("The amount must be more than zero.")},
    )


class FundYearCreateForm(PortalForm):
    county = forms.ModelChoiceField(label=_("County"), queryset=County.objects.all())
    region = forms.ModelChoiceField(label=_("Region"), queryset=Region.objects.all())
    year = forms.IntegerField(label=_("Year"), min_value=FIRST_YEAR, max_value=LAST_YEAR)

    def __init__(self, *args, counties=None, regions=None, **kwargs):
        super().__init__(*args, **kwargs)
        if counties is not None:
            offer_choices(self.fields["county"], counties, County)
        if regions is not None:
            offer_choices(self.fields["region"], regions, Region)
        self.helper = _helper(_("Open the year"))


class IncomeForm(PortalForm):
    source = forms.ChoiceField(label=_("Source"), choices=Income.Source.choices)
    description = forms.CharField(label=_("Description"), max_length=200, required=False)
    amount = amount_field(_("Amount (NOK)"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Save"))


class IncomeUpdateForm(PortalForm):
    description = forms.CharField(label=_("Description"), max_length=200, required=False)
    amount = amount_field(_("Amount (NOK)"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Save"))


class AllocationForm(PortalForm):
    priority = forms.ModelChoiceField(label=_("Priority"), queryset=Priority.objects.none(), required=False)
    project = forms.ModelChoiceField(label=_("Project"), queryset=Project.objects.none(), required=False)
    description = forms.CharField(label=_("Description"), max_length=200, required=False)
    amount = amount_field(_("Amount (NOK)"))

    def __init__(self, *args, priorities, projects, **kwargs):
        super().__init__(*args, **kwargs)
        offer_choices(self.fields["priority"], priorities, Priority)
        offer_choices(self.fields["project"], projects, Project)
        self.helper = _helper(_("Allocate"))

    def clean(self):
        data = super().clean()
        if not data.get("priority") and not data.get("project"):
            raise forms.ValidationError(_("Choose a priority or a project for the allocation."))
        return data


class AllocationUpdateForm(PortalForm):
    description = forms.CharField(label=_("Description"), max_length=200, required=False)
    amount = amount_field(_("Amount (NOK)"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Save"))


class ProjectForm(PortalForm):
    name = forms.CharField(label=_("Name"), max_length=200)
    priority = forms.ModelChoiceField(label=_("Priority"), queryset=Priority.objects.none(), required=False)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, priorities, **kwargs):
        super().__init__(*args, **kwargs)
        offer_choices(self.fields["priority"], priorities, Priority)
        self.helper = _helper(_("Add project"))


class PaymentForm(PortalForm):
    paid_on = forms.DateField(label=_("Paid on"), widget=DATE_WIDGET)
    amount = amount_field(_("Amount (NOK)"))
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Record payment"))


class UseReportForm(PortalForm):
    reported_on = forms.DateField(label=_("Reported on"), widget=DATE_WIDGET)
    amount_used = amount_field(_("Amount used (NOK)"), minimum="0")
    text = forms.CharField(label=_("What the money was used for"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["amount_used"].error_messages["min_value"] = _("The amount used cannot be negative.")
        self.helper = _helper(_("Record use"))


class OverviewForm(PortalForm):
    county = forms.ModelChoiceField(label=_("County"), queryset=County.objects.all(), empty_label=_("Choose a county"))
    year = forms.IntegerField(label=_("Year"), min_value=FIRST_YEAR, max_value=LAST_YEAR)

    def __init__(self, *args, counties=None, **kwargs):
        super().__init__(*args, **kwargs)
        if counties is not None:
            offer_choices(self.fields["county"], counties, County)
