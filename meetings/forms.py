from datetime import datetime

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import PortalForm, PortalModelForm, offer_choices
from regions.models import CouncilArea, Person, Region

from .models import (
    OSLO,
    AgendaItem,
    Meeting,
    MeetingKind,
    MeetingSeries,
    MinutesEntry,
    Participant,
    lead_days_validator,
    parse_rrule,
)


def _helper(label):
    helper = FormHelper()
    helper.add_input(Submit("submit", label))
    return helper


class DateInput(forms.DateInput):
    input_type = "date"


class TimeInput(forms.TimeInput):
    input_type = "time"


class FilterForm(PortalForm):
    region = forms.ModelChoiceField(
        label=_("Region"), queryset=Region.objects.all(), required=False, empty_label=_("All regions")
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", _("All kinds")), *MeetingKind.choices], required=False)
    councillor = forms.ModelChoiceField(
        label=_("County councillor"), queryset=Person.objects.none(), required=False, empty_label=_("All councillors")
    )

    def __init__(self, *args, councillors=None, **kwargs):
        super().__init__(*args, **kwargs)
        if councillors is not None:
            self.fields["councillor"].queryset = councillors


class SeriesForm(PortalModelForm):
    video_link = forms.URLField(label=_("Video link"), required=False, assume_scheme="https")
    exceptions = forms.CharField(
        label=_("Exceptions"),
        required=False,
        help_text=_("Dates without a meeting, one per line (YYYY-MM-DD)."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    class Meta:
        model = MeetingSeries
        fields = [
            "title",
            "kind",
            "region",
            "body",
            "rrule",
            "first_date",
            "start_time",
            "duration_minutes",
            "location",
            "video_link",
            "agenda_cutoff_days",
            "reminder_lead_days",
        ]
        widgets = {"first_date": DateInput(), "start_time": TimeInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Create series"))

    def clean_exceptions(self):
        days = []
        for line in self.cleaned_data.get("exceptions", "").replace(",", "\n").splitlines():
            if not line.strip():
                continue
            try:
                days.append(datetime.strptime(line.strip(), "%Y-%m-%d").date().isoformat())
            except ValueError:
                raise forms.ValidationError(
                    _("%(value)s is not a date (YYYY-MM-DD).") % {"value": line.strip()}
                ) from None
        return days

    def clean(self):
        data = super().clean()
        if data.get("rrule") and data.get("first_date") and data.get("start_time"):
            try:
                parse_rrule(data["rrule"], datetime.combine(data["first_date"], data["start_time"]))
            except forms.ValidationError as error:
                self.add_error("rrule", error)
        return data


class MeetingTimesMixin(PortalForm):
    date = forms.DateField(label=_("Date"), widget=DateInput())
    start_time = forms.TimeField(label=_("Starts"), widget=TimeInput())
    end_time = forms.TimeField(label=_("Ends"), widget=TimeInput())

    def clean(self):
        data = super().clean()
        if data.get("date") and data.get("start_time") and data.get("end_time"):
            data["start"] = datetime.combine(data["date"], data["start_time"], tzinfo=OSLO)
            data["end"] = datetime.combine(data["date"], data["end_time"], tzinfo=OSLO)
            if data["end"] <= data["start"]:
                self.add_error("end_time", _("The meeting must end after it starts."))
        return data


class MeetingForm(MeetingTimesMixin, PortalForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=MeetingKind.choices)
    region = forms.ModelChoiceField(label=_("Region"), queryset=Region.objects.all(), required=False)
    body = forms.CharField(label=_("Other body"), max_length=200, required=False)
    location = forms.CharField(label=_("Location"), max_length=255, required=False)
    video_link = forms.URLField(label=_("Video link"), required=False, assume_scheme="https")
    agenda_cutoff_days = forms.IntegerField(
        label=_("Agenda cut-off (days before)"), min_value=0, max_value=90, initial=7
    )
    reminder_lead_days = forms.CharField(
        label=_("Reminder lead times (days)"),
        initial="7,1",
        validators=[lead_days_validator],
    )
    field_order = ["title", "kind", "region", "body", "date", "start_time", "end_time"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Create meeting"))

    def clean(self):
        data = super().clean()
        if not data.get("region") and not data.get("body"):
            self.add_error("region", _("Choose a region or name the body the meeting belongs to."))
        return data


class MeetingMoveForm(MeetingTimesMixin, PortalForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Move meeting"))


class MeetingEditForm(PortalForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    location = forms.CharField(label=_("Location"), max_length=255, required=False)
    video_link = forms.URLField(label=_("Video link"), required=False, assume_scheme="https")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Save"))


class CancelForm(PortalForm):
    reason = forms.CharField(label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Cancel the meeting"))


class AgendaItemForm(PortalForm):
    title = forms.CharField(label=_("Title"), max_length=255)
    lane = forms.ChoiceField(label=_("Lane"), choices=AgendaItem.Lane.choices)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    reason = forms.CharField(
        label=_("Why after the cut-off"),
        required=False,
        help_text=_("Required for an urgent case added after the agenda cut-off."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, submit_label=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(submit_label or _("Add item"))


class AgendaItemDetailedForm(AgendaItemForm):
    presenter_side = forms.ChoiceField(label=_("Presented by"), choices=AgendaItem.PresenterSide.choices)
    council_area = forms.ModelChoiceField(label=_("Council area"), queryset=CouncilArea.objects.all(), required=False)
    minutes_allotted = forms.IntegerField(label=_("Minutes allotted"), min_value=1, max_value=600, required=False)


class ParticipantForm(PortalForm):
    person = forms.ModelChoiceField(label=_("Person"), queryset=Person.objects.all())
    side = forms.ChoiceField(
        label=_("Side"), choices=[("", _("From the appointment")), *Participant.Side.choices], required=False
    )
    guest_reason = forms.CharField(
        label=_("Why a guest is invited"),
        required=False,
        help_text=_("Only for someone with no current appointment in the region."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Invite"))


class MinutesForm(PortalForm):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=MinutesEntry.Outcome.choices)
    text = forms.CharField(label=_("Minutes"), required=False, widget=forms.Textarea(attrs={"rows": 4}))


class CaseMoveForm(PortalForm):
    """Move the case on with the meeting's decision (meetings.services.minutes_case_move)."""

    MOVES = [
        ("answer", _("Send the decision to the sender as the county's answer")),
        ("answer_close", _("Send the decision as the answer and close the case")),
        ("close", _("Close the case (its answer is already sent), noting the decision")),
    ]

    move = forms.ChoiceField(label=_("Move the case on with the decision"), choices=MOVES, widget=forms.RadioSelect)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


class ReferenceInputForm(PortalForm):
    agenda_item = forms.ModelChoiceField(label=_("Agenda item"), queryset=AgendaItem.objects.none())
    text = forms.CharField(label=_("Input from the reference group"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agenda_item"].queryset = AgendaItem.objects.filter(meeting=meeting, case__isnull=False)
        self.helper = _helper(_("Attach to the case"))


class CaseAgendaForm(PortalForm):
    """The case page's "put on a meeting agenda": an upcoming meeting of the case's region and a lane."""

    LANES = [("planned", _("Planned process")), ("urgent", _("Urgent case"))]

    meeting = forms.ModelChoiceField(label=_("Meeting"), queryset=None)
    lane = forms.ChoiceField(label=_("Lane"), choices=LANES)
    reason = forms.CharField(
        label=_("Reason (urgent after the cut-off)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, meetings, **kwargs):
        """meetings: a queryset, or a list already read."""
        super().__init__(*args, **kwargs)
        offer_choices(self.fields["meeting"], meetings, Meeting)
        self.helper = FormHelper()
        self.helper.form_tag = False
