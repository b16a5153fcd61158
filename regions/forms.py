"""Forms of the registry pages. Validation of periods and overlaps lives in the services; the
views turn their ValidationError into errors on these forms."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import PortalForm
from core.uploads import CsvUploadFormField

from .models import Appointment, Confidence, CouncilArea, County, Municipality, Person, Region


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def _helper(label, method="post"):
    helper = FormHelper()
    helper.form_method = method
    helper.add_input(Submit("submit", label))
    return helper


class OverviewForm(PortalForm):
    """The date and county of the county overview (GET)."""

    dato = forms.DateField(label=_("Date"), widget=DateInput(), required=False)
    fylke = forms.TypedChoiceField(label=_("County"), coerce=int, required=False)

    def __init__(self, *args, counties, **kwargs):
        """counties: a list already read (the choices are rendered without another query)."""
        super().__init__(*args, **kwargs)
        self.fields["fylke"].choices = [(county.pk, str(county)) for county in counties]
        self.helper = _helper(_("Show"), method="get")
        self.helper.form_class = "row g-3 align-items-end"
        self.helper.disable_csrf = True


class MembershipStartForm(PortalForm):
    municipality = forms.ModelChoiceField(
        label=_("Municipality"), queryset=Municipality.objects.select_related("county").order_by("number")
    )
    region = forms.ModelChoiceField(label=_("Region"), queryset=Region.objects.order_by("name"))
    valid_from = forms.DateField(label=_("Member from"), widget=DateInput())
    valid_to = forms.DateField(
        label=_("Member until (first day outside)"),
        widget=DateInput(),
        required=False,
        help_text=_("Leave empty while the membership lasts."),
    )
    decided_on = forms.DateField(label=_("Decided on"), widget=DateInput(), required=False)
    decision_reference = forms.CharField(label=_("Decision reference"), max_length=200, required=False)
    confidence = forms.ChoiceField(label=_("Confidence"), choices=Confidence.choices, initial=Confidence.HIGH)
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Start membership"))


class MembershipEndForm(PortalForm):
    valid_to = forms.DateField(
        label=_("End date"),
        widget=DateInput(),
        help_text=_("The first day the municipality is no longer a member."),
    )
    decided_on = forms.DateField(label=_("Decided on"), widget=DateInput(), required=False)
    decision_reference = forms.CharField(label=_("Decision reference"), max_length=200, required=False)
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("End membership"))


class MembershipMoveForm(PortalForm):
    to_region = forms.ModelChoiceField(label=_("New region"), queryset=Region.objects.order_by("name"))
    on = forms.DateField(label=_("Move date"), widget=DateInput(), help_text=_("The first day in the new region."))
    decided_on = forms.DateField(label=_("Decided on"), widget=DateInput(), required=False)
    decision_reference = forms.CharField(label=_("Decision reference"), max_length=200, required=False)
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Move membership"))


class AppointmentStartForm(PortalForm):
    person = forms.ModelChoiceField(label=_("Person"), queryset=Person.objects.order_by("name"))
    role = forms.ChoiceField(label=_("Role"), choices=Appointment.Role.choices)
    region = forms.ModelChoiceField(label=_("Region"), queryset=Region.objects.order_by("name"), required=False)
    council_area = forms.ModelChoiceField(
        label=_("Council area"),
        queryset=CouncilArea.objects.select_related("county").order_by("name", "-valid_from"),
        required=False,
    )
    county = forms.ModelChoiceField(label=_("County"), queryset=County.objects.order_by("number"), required=False)
    side = forms.ChoiceField(
        label=_("Position or opposition"),
        choices=[("", "---------"), *Appointment.Side.choices],
        required=False,
        help_text=_("Only for county council representatives."),
    )
    party = forms.CharField(label=_("Party"), max_length=50, required=False)
    valid_from = forms.DateField(label=_("From"), widget=DateInput())
    valid_to = forms.DateField(
        label=_("Until (first day outside)"),
        widget=DateInput(),
        required=False,
        help_text=_("Leave empty while the appointment lasts."),
    )
    appointed_by = forms.ChoiceField(
        label=_("Appointed by"), choices=[("", "---------"), *Appointment.AppointedBy.choices], required=False
    )
    decision_date = forms.DateField(label=_("Decision date"), widget=DateInput(), required=False)
    decision_reference = forms.CharField(label=_("Decision reference"), max_length=200, required=False)
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Appoint"))


class AppointmentEndForm(PortalForm):
    valid_to = forms.DateField(
        label=_("End date"), widget=DateInput(), help_text=_("The first day the person no longer holds the role.")
    )
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("End appointment"))


# --- election terms (issue 14) --------------------------------------------------------------------


class TermForm(PortalForm):
    """A new election term for a county."""

    county = forms.ModelChoiceField(label=_("County"), queryset=County.objects.order_by("number"))
    name = forms.CharField(label=_("Name"), max_length=20, help_text=_("For example 2023–2027."))
    valid_from = forms.DateField(label=_("Term starts"), widget=DateInput())
    valid_to = forms.DateField(
        label=_("Term ends (first day after)"),
        widget=DateInput(),
        help_text=_("The term's appointments end on this day unless they are renewed."),
    )
    election_date = forms.DateField(
        label=_("Election date"),
        widget=DateInput(),
        required=False,
        help_text=_("The day the county council elected the representatives (for example 13 February 2020)."),
    )
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Create the term"))


class TermRowForm(PortalForm):
    """One region's row of a term's grid: for each place an existing person or a new name, and a party;
    the reason when the county decided otherwise than the rule. The people are listed once for the whole
    grid (person_choices), so the page needs no query per row."""

    SLOTS = ("position", "opposition", "councillor")

    region = forms.IntegerField(widget=forms.HiddenInput())
    exception = forms.CharField(label=_("Exception (why)"), max_length=1000, required=False)

    def __init__(self, *args, person_choices=(), people=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.people = people or {}
        for slot in self.SLOTS:
            self.fields[f"{slot}_person"] = forms.TypedChoiceField(
                label=_("Person"),
                choices=[("", _("(none, or new below)")), *person_choices],
                coerce=int,
                required=False,
            )
            self.fields[f"{slot}_name"] = forms.CharField(
                label=_("or a new person's name"), max_length=200, required=False
            )
            self.fields[f"{slot}_party"] = forms.CharField(label=_("Party"), max_length=50, required=False)

    def slot_fields(self):
        return [(slot, self[f"{slot}_person"], self[f"{slot}_name"], self[f"{slot}_party"]) for slot in self.SLOTS]


TermGridFormSet = forms.formset_factory(TermRowForm, extra=0)


class TermImportForm(PortalForm):
    """A term's CSV file, uploaded or pasted as text (the columns are explained on the page)."""

    csv_file = CsvUploadFormField(label=_("The CSV file"), required=False)
    csv_text = forms.CharField(
        label=_("Or paste the CSV file's content"),
        widget=forms.Textarea(attrs={"rows": 12}),
        max_length=100_000,
        required=False,
        help_text=_("Columns: region;plass;navn;parti;unntak (plass is posisjon, opposisjon or fylkesråd)."),
    )
    confirmed = forms.BooleanField(widget=forms.HiddenInput(), required=False)

    def clean(self):
        data = super().clean()
        upload = data.get("csv_file")
        if upload:
            upload.seek(0)
            data["csv_text"] = upload.read().decode("utf-8-sig")  # checked as UTF-8 text by the field
        if not data.get("csv_text", "").strip() and not self.errors:
            raise forms.ValidationError(_("Upload the CSV file or paste its content."), code="required")
        return data

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Preview"))
