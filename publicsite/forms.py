"""The public search form (GET)."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import PortalForm


class SearchForm(PortalForm):
    q = forms.CharField(label=_("Search for"), max_length=100, required=False)
    hva = forms.ChoiceField(
        label=_("In"),
        choices=[("saker", _("Cases")), ("moter", _("Meetings")), ("avtaler", _("Agreements"))],
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.disable_csrf = True
        self.helper.form_class = "row g-3 align-items-end"
        self.helper.add_input(Submit("submit", _("Search")))
