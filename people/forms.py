import django_filters
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from accounts.forms import PortalSetPasswordForm
from core.forms import PortalFilterSet, PortalForm
from regions.models import Appointment, CouncilArea, County, Person, Region

from .permissions import can_give_role
from .selectors import PersonState, person_search
from .services import email_in_use

User = get_user_model()


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


def _helper(label, method="post"):
    helper = FormHelper()
    helper.form_method = method
    helper.add_input(Submit("submit", label))
    return helper


class PersonCreateForm(PortalForm):
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    email = forms.EmailField(label=_("E-mail"), max_length=254, help_text=_("The invitation is sent here."))
    organisation = forms.CharField(
        label=_("Organisation"), max_length=200, required=False, help_text=_("E.g. the municipality or the county.")
    )
    role = forms.ChoiceField(label=_("Role in the portal"), choices=User.Role.choices)
    language = forms.ChoiceField(
        label=_("Language"),
        choices=[("", _("The portal's default (bokmål)")), *User.Language.choices],
        required=False,
        help_text=_("The language of the invitation and of the person's pages."),
    )
    appointment_role = forms.ChoiceField(
        label=_("Appointment in the registry"),
        choices=[("", _("No appointment now")), *Appointment.Role.choices],
        required=False,
        help_text=_("What the person is appointed to: their rights for a region or council area follow it."),
    )
    region = forms.ModelChoiceField(label=_("Region"), queryset=Region.objects.order_by("name"), required=False)
    council_area = forms.ModelChoiceField(
        label=_("Council area"),
        queryset=CouncilArea.objects.select_related("county").order_by("name", "-valid_from"),
        required=False,
    )
    county = forms.ModelChoiceField(label=_("County"), queryset=County.objects.order_by("number"), required=False)
    valid_from = forms.DateField(label=_("Appointed from"), widget=DateInput(), required=False)
    invite = forms.BooleanField(label=_("Send the invitation now"), required=False, initial=True)
    # A person already in the registry (recorded in an election term, say) who is given a login: their
    # appointments then give their rights, and no second registry person is made.
    registry_person = forms.ModelChoiceField(
        queryset=Person.objects.filter(user__isnull=True), required=False, widget=forms.HiddenInput
    )

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor = actor
        self.helper = _helper(_("Create person"))

    def clean_email(self):
        email = self.cleaned_data["email"].strip()
        if email_in_use(email):
            raise forms.ValidationError(
                _("Another person already has this e-mail address. Search the list of people for it."),
                code="duplicate_email",
            )
        return email

    def clean_role(self):
        role = self.cleaned_data["role"]
        if not can_give_role(self.actor, role):
            raise forms.ValidationError(_("Only an administrator can make someone an administrator."))
        return role

    def clean(self):
        data = super().clean()
        if data.get("appointment_role") and not (data.get("region") or data.get("council_area") or data.get("county")):
            self.add_error("region", _("Choose the region, council area or county the appointment is for."))
        return data


class InvitationAcceptForm(PortalSetPasswordForm):
    submit_label = _("Save password and log in")


class PersonFilter(PortalFilterSet):
    """The list's filters, on people.selectors.person_list (whose `state` is computed in the query)."""

    q = django_filters.CharFilter(label=_("Search"), method="filter_text")
    role = django_filters.ChoiceFilter(label=_("Role"), choices=User.Role.choices)
    state = django_filters.ChoiceFilter(label=_("State"), choices=PersonState.choices)

    class Meta:
        model = User
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.form.helper = _helper(_("Filter"), method="get")

    def filter_text(self, queryset, name, value):
        return person_search(queryset, value)
