"""Input forms for input rounds; the services check the rules again."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from cases.models import Anchoring
from core.forms import PortalForm, offer_choices
from core.uploads import UploadFormField
from core.validators import TEXT_MAX_LENGTH
from regions.models import CouncilArea, County, Municipality, Region

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _helper(label):
    helper = FormHelper()
    helper.form_method = "post"
    helper.add_input(Submit("submit", label))
    return helper


class RoundOpenForm(PortalForm):
    county = forms.ModelChoiceField(label=_("County"), queryset=County.objects.all())
    title = forms.CharField(label=_("Title"), max_length=200, help_text=_("For example “Innspill til NTP 2029–2040”."))
    public_text = forms.CharField(
        label=_("Text of the round"), max_length=TEXT_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 6})
    )
    deadline = forms.DateField(label=_("Deadline"), widget=DATE_WIDGET)
    regions = forms.ModelMultipleChoiceField(
        label=_("Regions"), queryset=Region.objects.all(), widget=forms.CheckboxSelectMultiple
    )
    council_areas = forms.ModelMultipleChoiceField(
        label=_("Council areas"),
        queryset=CouncilArea.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, counties, regions, council_areas, **kwargs):
        super().__init__(*args, **kwargs)
        offer_choices(self.fields["county"], counties, County)
        self.fields["regions"].queryset = regions
        self.fields["council_areas"].queryset = council_areas
        self.helper = _helper(_("Open the round"))


class ContributionForm(PortalForm):
    text = forms.CharField(
        label=_("Contribution"),
        max_length=TEXT_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 12}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Save the draft"))


class AttachmentForm(PortalForm):
    file = UploadFormField(label=_("File"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Attach"))


class AnchoringForm(PortalForm):
    municipality = forms.ModelChoiceField(label=_("Municipality"), queryset=Municipality.objects.none())
    body = forms.ChoiceField(label=_("Body"), choices=Anchoring.Body.choices)
    stance = forms.ChoiceField(label=_("Stance"), choices=Anchoring.Stance.choices)
    decision_date = forms.DateField(label=_("Decision date"), required=False, widget=DATE_WIDGET)
    reference = forms.CharField(label=_("Reference"), max_length=200, required=False)

    def __init__(self, *args, municipalities, **kwargs):
        super().__init__(*args, **kwargs)
        offer_choices(self.fields["municipality"], municipalities, Municipality)
        self.helper = _helper(_("Record the anchoring"))


class SentForm(PortalForm):
    sent_on = forms.DateField(label=_("Sent on"), widget=DATE_WIDGET)
    sent_to = forms.CharField(label=_("Sent to"), max_length=200, help_text=_("For example the ministry."))
    sent_note = forms.CharField(
        label=_("What was sent"),
        max_length=TEXT_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Record"))
