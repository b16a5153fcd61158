"""Input forms for cases. Messages are English msgids translated to bokmål."""

from crispy_forms.helper import FormHelper
from django import forms
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.permissions import is_adviser
from core.forms import PortalForm, offer_choices
from core.uploads import UploadFormField
from regions.models import CouncilArea, Municipality, Region
from regions.selectors import (
    council_area_list_in_scope,
    council_area_list_staffed_by,
    region_ids_led_now,
    region_list_in_scope,
    region_list_led_by,
)

from .models import Anchoring, Case
from .topics import topic_choices


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def _helper():
    helper = FormHelper()
    helper.form_tag = False
    return helper


class _PriorityChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        """ "Indre Østfold: Grønn næring"; a priority of an agreement not yet adopted says so."""
        part = obj.special_part
        label = f"{part.region.name}: {obj.text}"
        if part.status != "adopted":
            label += f" ({part.get_status_display().lower()})"
        return label


def _current_special_parts(special_part_model, regions):
    """Per region the special part whose priorities a case is tagged with: the adopted one, or, while
    none is adopted, the newest draft (so a draft under negotiation never doubles the adopted list)."""
    parts = special_part_model.objects.exclude(status="superseded")
    if regions is not None:
        parts = parts.filter(region__in=regions)
    chosen = {}
    for pk, region_id, status in parts.order_by("pk").values_list("pk", "region_id", "status"):
        adopted = chosen.get(region_id, (None, ""))[1] == "adopted"
        if status == "adopted" or not adopted:
            chosen[region_id] = (pk, status)
    return [pk for pk, _status in chosen.values()]


def _tag_fields(form, *, regions=None, case=None):
    """Tag fields for partnership priorities and instruments, once the partnerships app has them.
    Only the priorities of each region's current special part are offered (the adopted one, or the
    newest draft while none is adopted), plus those the case is already tagged with; a region leader
    sees only the priorities of the regions they lead."""
    for name in ("priorities", "instruments"):
        try:
            field = Case._meta.get_field(name)
        except Exception:
            continue
        queryset = field.related_model.objects.all()
        field_class = forms.ModelMultipleChoiceField
        if name == "priorities":
            field_class = _PriorityChoiceField
            parts = _current_special_parts(field.related_model._meta.get_field("special_part").related_model, regions)
            queryset = queryset.select_related("special_part__region").filter(special_part__in=parts)
            if case is not None and case.pk:
                queryset = queryset | field.related_model.objects.filter(cases=case)
            queryset = queryset.distinct().order_by("special_part__region__name", "special_part__pk", "pk")
        if not queryset.exists():
            continue  # a group of checkboxes with nothing to tick only confuses (and names no control)
        form.fields[name] = field_class(
            queryset=queryset,
            required=False,
            label=capfirst(field.verbose_name),
            widget=forms.CheckboxSelectMultiple,
        )


class CaseForm(PortalForm):
    title = forms.CharField(label=_("Title"), max_length=255)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 6}), required=False)
    # No topic is chosen for the user: the suggested council area follows from it.
    topic = forms.ChoiceField(label=_("Topic"), choices=[("", _("Choose a topic"))])
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Case.Urgency.choices)
    deadline = forms.DateField(label=_("Deadline"), required=False, widget=DateInput())
    visibility = forms.ChoiceField(
        label=_("Visibility"),
        choices=Case.Visibility.choices,
        help_text=_("Internal: only your region, the coordination unit and the council areas. Shared: every region."),
    )

    def __init__(self, *args, user, case=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.case = case
        # The topics are data (cases.topics): the active ones, and the case's own even if no longer offered.
        self.fields["topic"].choices = [("", _("Choose a topic")), *topic_choices(current=case.topic if case else None)]
        self.sender = None  # the one region or council area a new case can come from, when there is one
        self.helper = _helper()
        if case is None:
            adviser = is_adviser(user)
            # An adviser writes on behalf of the regions and council areas of their county (every
            # current one with the national view); others for what they lead or staff.
            regions = region_list_in_scope(user=user) if adviser else region_list_led_by(user=user)
            areas = council_area_list_in_scope(user=user) if adviser else council_area_list_staffed_by(user=user)
            directions = []
            if regions.exists():
                directions.append(Case.Direction.REGION_TO_COUNTY)
            if areas.exists():
                directions.append(Case.Direction.COUNTY_TO_REGIONS)
            self.fields["direction"] = forms.ChoiceField(
                label=_("Direction"),
                choices=[(d.value, d.label) for d in directions],
            )
            self.fields["origin_region"] = forms.ModelChoiceField(
                label=_("From region"), queryset=regions, required=False
            )
            self.fields["origin_council_area"] = forms.ModelChoiceField(
                label=_("From council area"), queryset=areas, required=False
            )
            # What has one possible answer is not asked: a leader of one region sends from it, to the
            # county; the page says so instead of showing a list with one option.
            if len(directions) == 1:
                self.fields["direction"].initial = directions[0].value
                self.fields["direction"].widget = forms.HiddenInput()
            for name, queryset in (("origin_region", regions), ("origin_council_area", areas)):
                if not queryset.exists():
                    del self.fields[name]  # a leader has no council area to choose and staff no region
                elif queryset.count() == 1 and len(directions) == 1:
                    self.fields[name].initial = self.sender = queryset.first()
                    self.fields[name].widget = forms.HiddenInput()
                elif queryset.count() == 1:
                    self.fields[name].initial = queryset.first()
            self.fields["attachment"] = UploadFormField(label=_("Attachment"), required=False)
        leader = bool(region_ids_led_now(user=user)) and not is_adviser(user)
        _tag_fields(self, regions=region_list_led_by(user=user) if leader else None, case=case)

    def clean_deadline(self):
        deadline = self.cleaned_data.get("deadline")
        unchanged = self.case is not None and deadline == self.case.deadline
        if deadline and not unchanged and deadline < timezone.localdate():
            raise forms.ValidationError(_("The deadline cannot be in the past."))
        return deadline

    def clean(self):
        data = super().clean()
        if self.case is None:
            if data.get("direction") == Case.Direction.REGION_TO_COUNTY and not data.get("origin_region"):
                self.add_error("origin_region", _("Choose the region the case comes from."))
            if data.get("direction") == Case.Direction.COUNTY_TO_REGIONS and not data.get("origin_council_area"):
                self.add_error("origin_council_area", _("Choose the council area the case comes from."))
        return data


class _CouncilAreaChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        """ "Samferdsel, Innlandet": a region in two counties has two of each."""
        return f"{obj.name}, {obj.county.name}"


class RouteForm(PortalForm):
    council_areas = _CouncilAreaChoiceField(
        label=_("Council areas"), queryset=CouncilArea.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    comment = forms.CharField(
        label=_("Message with the routing"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Read by the council areas you route to and by the sender of the case."),
    )

    def __init__(self, *args, council_areas, **kwargs):
        """council_areas: where the case may go (cases.selectors.council_areas_for_routing), a queryset or
        the list already read; any other area posted is refused as an invalid choice."""
        super().__init__(*args, **kwargs)
        offer_choices(self.fields["council_areas"], council_areas, CouncilArea)
        self.helper = _helper()


class RegionsSendForm(PortalForm):
    all_regions = forms.BooleanField(label=_("Send to every region"), required=False)
    regions = forms.ModelMultipleChoiceField(
        label=_("Regions"), queryset=Region.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    comment = forms.CharField(
        label=_("Message to the regions"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Read by the regions you send the case to and by the council area that sent it."),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        # The adviser's county's regions (regions.selectors.county_scope_for); every current region otherwise.
        today = timezone.localdate()
        regions = region_list_in_scope(user=user, on=today) if user is not None else Region.objects.valid_on(today)
        self.fields["regions"].queryset = regions
        self.helper = _helper()

    def clean(self):
        data = super().clean()
        if not data.get("all_regions") and not data.get("regions"):
            raise forms.ValidationError(_("Choose at least one region, or send to every region."))
        return data


class TextForm(PortalForm):
    """One required text: an answer, a reason or a problem description."""

    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, label=None, required=True, **kwargs):
        super().__init__(*args, **kwargs)
        if label:
            self.fields["text"].label = label
        self.fields["text"].required = required
        self.helper = _helper()


class AssignForm(PortalForm):
    assignee = forms.ModelChoiceField(label=_("Adviser"), queryset=User.objects.none(), required=False)

    def __init__(self, *args, advisers, **kwargs):
        """advisers: who may be made responsible (cases.selectors.advisers_for_case)."""
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = advisers
        self.helper = _helper()


class AttachmentForm(PortalForm):
    file = UploadFormField(label=_("File"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()


class AnchoringForm(PortalForm):
    municipality = forms.ModelChoiceField(label=_("Municipality"), queryset=None)
    body = forms.ChoiceField(label=_("Body"), choices=Anchoring.Body.choices)
    stance = forms.ChoiceField(label=_("Stance"), choices=Anchoring.Stance.choices)
    decision_date = forms.DateField(label=_("Decision date"), required=False, widget=DateInput())
    reference = forms.CharField(label=_("Reference"), max_length=200, required=False)
    link = forms.URLField(label=_("Link"), required=False, assume_scheme="https")
    deadline = forms.DateField(label=_("Deadline for treatment"), required=False, widget=DateInput())

    def __init__(self, *args, municipalities, **kwargs):
        """municipalities: a queryset, or a list already read."""
        super().__init__(*args, **kwargs)
        offer_choices(self.fields["municipality"], municipalities, Municipality)
        self.helper = _helper()


class TopicMappingForm(PortalForm):
    def __init__(self, *args, suggestions, **kwargs):
        super().__init__(*args, **kwargs)
        areas = CouncilArea.objects.valid_on(timezone.localdate())
        for value, label in topic_choices():
            self.fields[f"topic_{value}"] = forms.ModelChoiceField(
                label=label, queryset=areas, required=False, initial=suggestions.get(value)
            )
        self.helper = _helper()


class TopicForm(PortalForm):
    name = forms.CharField(label=_("Name (bokmål)"), max_length=200, required=False)
    name_nn = forms.CharField(label=_("Name (nynorsk)"), max_length=200, required=False)
    order = forms.IntegerField(label=_("Order"), min_value=0, max_value=10_000, initial=100)
    active = forms.BooleanField(label=_("Offered for new cases"), required=False, initial=True)

    def __init__(self, *args, topic=None, **kwargs):
        super().__init__(*args, **kwargs)
        if topic is None:
            del self.fields["active"]
            self.fields["name"].required = True
        elif topic.builtin:
            # A built-in topic is named by the catalogues in every language.
            del self.fields["name"]
            del self.fields["name_nn"]
        self.helper = _helper()


class TrackingPeriodForm(PortalForm):
    """The tracking page's period: the last twelve months, or one of the last calendar years."""

    aar = forms.TypedChoiceField(label=_("Period"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, today, years, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("The last twelve months"))]
        choices += [(str(year), str(year)) for year in range(today.year, today.year - years, -1)]
        self.fields["aar"].choices = choices
