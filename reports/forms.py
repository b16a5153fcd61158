from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import PortalForm, PortalModelForm, offer_choices
from regions.models import County

from .models import FIRST_YEAR, LAST_YEAR, ReportText


class ReportChoiceForm(PortalForm):
    county = forms.ModelChoiceField(label=_("County"), queryset=County.objects.all(), empty_label=_("Choose a county"))
    year = forms.IntegerField(label=_("Year"), min_value=FIRST_YEAR, max_value=LAST_YEAR)

    def __init__(self, *args, counties=None, **kwargs):
        super().__init__(*args, **kwargs)
        if counties is not None:
            offer_choices(self.fields["county"], counties, County)


class ReportTextForm(PortalModelForm):
    class Meta:
        model = ReportText
        fields = ["introduction", "assessment"]
        widgets = {"introduction": forms.Textarea(attrs={"rows": 6}), "assessment": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_method = "post"
        self.helper.add_input(Submit("submit", _("Save the text")))
