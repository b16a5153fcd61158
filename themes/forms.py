"""Input forms for theme groups; the services check the rules again."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from cases.models import Topic
from core.forms import PortalForm, offer_choices
from core.validators import TEXT_MAX_LENGTH
from meetings.models import Meeting
from regions.models import County, Region

from .models import ThemeGroup


def _helper(label):
    helper = FormHelper()
    helper.form_method = "post"
    helper.add_input(Submit("submit", label))
    return helper


class GroupFilterForm(PortalForm):
    county = forms.ModelChoiceField(
        label=_("County"), queryset=County.objects.all(), required=False, empty_label=_("All counties")
    )
    region = forms.ModelChoiceField(
        label=_("Member region"), queryset=Region.objects.all(), required=False, empty_label=_("All regions")
    )

    def __init__(self, *args, counties=None, regions=None, **kwargs):
        super().__init__(*args, **kwargs)
        if counties is not None:
            offer_choices(self.fields["county"], counties, County)
        if regions is not None:
            offer_choices(self.fields["region"], regions, Region)


class _GroupFields(PortalForm):
    name = forms.CharField(label=_("Name"), max_length=200)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 4}), required=False, max_length=TEXT_MAX_LENGTH
    )
    topic = forms.ModelChoiceField(label=_("Case topic"), queryset=Topic.objects.none(), required=False)


class ThemeGroupCreateForm(_GroupFields):
    county = forms.ModelChoiceField(label=_("County"), queryset=County.objects.all())
    regions = forms.ModelMultipleChoiceField(
        label=_("Member regions"), queryset=Region.objects.all(), widget=forms.CheckboxSelectMultiple
    )
    lead_region = forms.ModelChoiceField(label=_("Lead region"), queryset=Region.objects.all())

    field_order = ["county", "name", "description", "topic", "regions", "lead_region"]

    def __init__(self, *args, counties, regions, topics, **kwargs):
        super().__init__(*args, **kwargs)
        offer_choices(self.fields["county"], counties, County)
        offer_choices(self.fields["regions"], regions, Region)
        offer_choices(self.fields["lead_region"], regions, Region)
        offer_choices(self.fields["topic"], topics, Topic)
        self.helper = _helper(_("Create the theme group"))


class ThemeGroupEditForm(_GroupFields):
    lead_region = forms.ModelChoiceField(label=_("Lead region"), queryset=Region.objects.none())

    def __init__(self, *args, members, topics, **kwargs):
        super().__init__(*args, **kwargs)
        offer_choices(self.fields["lead_region"], members, Region)
        offer_choices(self.fields["topic"], topics, Topic)
        self.helper = _helper(_("Save"))

    @staticmethod
    def initial_for(group: ThemeGroup) -> dict:
        return {
            "name": group.name,
            "description": group.description,
            "topic": group.topic_id,
            "lead_region": group.lead_region_id,
        }


class MemberAddForm(PortalForm):
    region = forms.ModelChoiceField(label=_("Region"), queryset=Region.objects.none())

    def __init__(self, *args, regions, **kwargs):
        super().__init__(*args, **kwargs)
        offer_choices(self.fields["region"], regions, Region)
        self.helper = _helper(_("Add the region"))


class CaseAddForm(PortalForm):
    reference = forms.CharField(
        label=_("Case reference"), max_length=20, help_text=_("The case's reference, for example 2026-0012.")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Add the case"))


class MeetingAddForm(PortalForm):
    meeting = forms.ModelChoiceField(label=_("Meeting"), queryset=Meeting.objects.none())

    def __init__(self, *args, meetings, **kwargs):
        super().__init__(*args, **kwargs)
        offer_choices(self.fields["meeting"], meetings, Meeting)
        self.helper = _helper(_("Link the meeting"))
