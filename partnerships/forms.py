"""Input forms for partnership agreements; the services check the domain rules again."""

import django_filters
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import PortalFilterSet, PortalForm
from core.uploads import UploadFormField
from core.validators import DOCUMENT_MAX_LENGTH
from regions.models import County, Region

from .models import PROPOSABLE_SECTIONS, Instrument, SpecialPartSection, StrategicPlan

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
REQUIRED_DATE = {"required": _("Adoption requires a date."), "invalid": _("Enter a valid date.")}
REQUIRED_REFERENCE = {"required": _("Adoption requires a decision reference.")}


def _helper(label, form_tag=True):
    helper = FormHelper()
    helper.form_tag = form_tag
    if form_tag:
        helper.form_method = "post"
        helper.add_input(Submit("submit", label))
    return helper


class AgreementCreateForm(PortalForm):
    county = forms.ModelChoiceField(label=_("County"), queryset=County.objects.all())
    region = forms.ModelChoiceField(label=_("Region"), queryset=Region.objects.all())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Create draft agreement"))


class RevisionForm(PortalForm):
    changelog = forms.CharField(
        label=_("What changes in the new version?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Describe the change in the changelog.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Make a new version"))


class AgreementAdoptForm(PortalForm):
    county_adopted_on = forms.DateField(
        label=_("Adopted by the county on"), widget=DATE_WIDGET, error_messages=REQUIRED_DATE
    )
    county_decision_reference = forms.CharField(
        label=_("County decision reference"),
        max_length=200,
        help_text=_("For example the case number of the county council's decision."),
        error_messages=REQUIRED_REFERENCE,
    )
    region_adopted_on = forms.DateField(label=_("Adopted by the region on"), widget=DATE_WIDGET, required=False)
    region_decision_reference = forms.CharField(label=_("Region decision reference"), max_length=200, required=False)
    valid_from = forms.DateField(
        label=_("Valid from"), widget=DATE_WIDGET, required=False, help_text=_("Blank: the county's adoption date.")
    )
    valid_to = forms.DateField(
        label=_("Valid to (exclusive)"), widget=DATE_WIDGET, required=False, help_text=_("Blank: until replaced.")
    )
    signatories = forms.CharField(
        label=_("Signatories"), widget=forms.Textarea(attrs={"rows": 3}), required=False, help_text=_("One per line.")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Record adoption"))


class AgreementTermForm(PortalForm):
    term_starts_on = forms.DateField(label=_("Term starts on"), widget=DATE_WIDGET, required=False)
    term_ends_on = forms.DateField(label=_("Term ends on"), widget=DATE_WIDGET, required=False)
    revision_on = forms.DateField(
        label=_("Revision date"),
        widget=DATE_WIDGET,
        required=False,
        help_text=_(
            "The advisers and the region's leader are reminded 90 and 30 days before the end and the revision."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Save"))


class GeneralPartForm(PortalForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    changelog = forms.CharField(label=_("Changelog"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("", form_tag=False)


class GeneralPartCreateForm(PortalForm):
    county = forms.ModelChoiceField(label=_("County"), queryset=County.objects.all())
    title = forms.CharField(label=_("Title"), max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Create draft"))


class SectionForm(PortalForm):
    heading = forms.CharField(label=_("Heading"), max_length=200)
    body = forms.CharField(
        label=_("Text (Markdown)"),
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        max_length=DOCUMENT_MAX_LENGTH,
    )


SectionFormSet = forms.formset_factory(SectionForm, extra=1, can_delete=True)


class GeneralPartAdoptForm(PortalForm):
    adopted_on = forms.DateField(label=_("Adopted on"), widget=DATE_WIDGET, error_messages=REQUIRED_DATE)
    adopting_body = forms.CharField(label=_("Adopting body"), max_length=200, required=False)
    decision_reference = forms.CharField(
        label=_("Decision reference"), max_length=200, error_messages=REQUIRED_REFERENCE
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Record adoption"))


class SpecialPartForm(PortalForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    introduction = forms.CharField(
        label=_("Introduction (Markdown)"),
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        max_length=DOCUMENT_MAX_LENGTH,
    )
    strengths = forms.CharField(
        label=_("Strengths"), widget=forms.Textarea(attrs={"rows": 4}), required=False, help_text=_("One per line.")
    )
    challenges = forms.CharField(
        label=_("Challenges"), widget=forms.Textarea(attrs={"rows": 4}), required=False, help_text=_("One per line.")
    )
    priorities = forms.CharField(
        label=_("Priorities"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("One per line, most important first."),
    )
    strategic_plans = forms.ModelMultipleChoiceField(
        label=_("Strategic plans it builds on"),
        queryset=StrategicPlan.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    changelog = forms.CharField(label=_("Changelog"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, county=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["strategic_plans"].queryset = StrategicPlan.objects.filter(county=county)
        self.helper = _helper(_("Save draft"))


class InstrumentPriorityForm(PortalForm):
    instrument = forms.ModelChoiceField(label=_("Policy instrument"), queryset=Instrument.objects.all())
    justification = forms.CharField(label=_("Justification"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


InstrumentPriorityFormSet = forms.formset_factory(InstrumentPriorityForm, extra=2, can_delete=True)


class KnowledgeReferenceForm(PortalForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    owner = forms.ChoiceField(label=_("Owner"), choices=[("county", _("The county")), ("region", _("The region"))])
    url = forms.URLField(label=_("Link"), required=False, assume_scheme="https")
    attachment = UploadFormField(label=_("Attachment"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Add to the knowledge base"))

    def clean(self):
        data = super().clean()
        if not data.get("url") and not data.get("attachment"):
            raise forms.ValidationError(_("Give a link or an attachment."))
        return data


class CommentForm(PortalForm):
    section = forms.ChoiceField(label=_("Section"), choices=SpecialPartSection.choices)
    text = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("", form_tag=False)


class ProposalForm(PortalForm):
    section = forms.ChoiceField(
        label=_("Section"),
        choices=[(key, label) for key, label in SpecialPartSection.choices if key in PROPOSABLE_SECTIONS],
    )
    proposed_text = forms.CharField(
        label=_("Proposed text"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("For the lists: one item per line."),
        max_length=DOCUMENT_MAX_LENGTH,
        error_messages={"required": _("Write the proposed text.")},
    )
    justification = forms.CharField(label=_("Justification"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("", form_tag=False)


class DecisionForm(PortalForm):
    decision_note = forms.CharField(
        label=_("Reason for the decision"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class DiffForm(PortalForm):
    """Two versions to compare; the choices are the versions the user may read."""

    old = forms.TypedChoiceField(label=_("From version"), coerce=int)
    new = forms.TypedChoiceField(label=_("To version"), coerce=int)

    def __init__(self, *args, versions=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [
            (v.pk, _("Version %(version)s (%(status)s)") % {"version": v.version, "status": v.get_status_display()})
            for v in versions
        ]
        self.fields["old"].choices = choices
        self.fields["new"].choices = choices

    def clean(self):
        data = super().clean()
        if data.get("old") and data.get("old") == data.get("new"):
            raise forms.ValidationError(_("Choose two different versions."))
        return data


class OverviewFilter(PortalFilterSet):
    county = django_filters.ModelChoiceFilter(
        label=_("County"), queryset=County.objects.all(), method="filter_county", empty_label=_("All counties")
    )

    class Meta:
        model = Region
        fields = ["county"]

    def filter_county(self, queryset, name, value):
        from django.utils import timezone

        from regions.selectors import region_q_for_counties

        return queryset.filter(region_q_for_counties([value.pk], on=timezone.localdate()))
