"""The case list's filters (django-filter)."""

import datetime

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import PortalFilterSet
from regions.models import CouncilArea, Region

from .models import Case, RegionRequest, Routing
from .selectors import by_key, case_search, ids_by_key, overdue_q
from .topics import topic_labels


class DateInput(forms.DateInput):
    input_type = "date"


def _start_of(day):
    """The instant a local (Europe/Oslo) day starts."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _council_area_label(area):
    """The area's name with its county (each county has its own "Samferdsel") and its period, if any."""
    name = f"{area.name}, {area.county.name}"
    if not area.valid_from and not area.valid_to:
        return name
    start = area.valid_from.year if area.valid_from else ""
    end = area.valid_to.year if area.valid_to else ""
    return f"{name} ({start}–{end})"


class CaseFilter(PortalFilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_text")
    region = django_filters.ModelChoiceFilter(label=_("Region"), queryset=Region.objects.all(), method="filter_region")
    council_area = django_filters.ModelChoiceFilter(
        label=_("Council area"), queryset=CouncilArea.objects.all(), method="filter_council_area"
    )
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Case.Status.choices)
    # Every topic, also those no longer offered for new cases (cases.topics; read when the form is built).
    topic = django_filters.ChoiceFilter(label=_("Topic"), choices=lambda: list(topic_labels().items()))
    direction = django_filters.ChoiceFilter(label=_("Direction"), choices=Case.Direction.choices)
    submitted_from = django_filters.DateFilter(
        label=_("Submitted from"), method="filter_submitted_from", widget=DateInput()
    )
    submitted_to = django_filters.DateFilter(label=_("Submitted to"), method="filter_submitted_to", widget=DateInput())
    overdue = django_filters.BooleanFilter(label=_("Overdue only"), method="filter_overdue", widget=forms.CheckboxInput)
    # From the agreement page's "every case under this priority": the priority's lineage, so every
    # version of it counts. Hidden, so the other filters keep it; the list names the priority.
    priority = django_filters.UUIDFilter(
        label=_("Agreement priority"),
        method="filter_priority",
        widget=forms.HiddenInput,
        error_messages={"invalid": _("The link's agreement priority is not valid. The list shows every case.")},
    )

    class Meta:
        model = Case
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The registry keeps each county's and each period's council areas; two with one name are told
        # apart by county and period.
        self.form.fields["council_area"].label_from_instance = _council_area_label
        self.form.fields["council_area"].queryset = CouncilArea.objects.select_related("county").order_by(
            "name", "county__number", "-valid_from"
        )

    def filter_text(self, queryset, name, value):
        return case_search(queryset, value)

    def filter_region(self, queryset, name, value):
        if not value:
            return queryset
        requested = ids_by_key(RegionRequest.objects.filter(region=value).values_list("case_id", flat=True))
        return queryset.filter(Q(origin_region=value) | by_key(requested))

    def filter_council_area(self, queryset, name, value):
        if not value:
            return queryset
        routed = Routing.objects.filter(council_area=value).exclude(state=Routing.State.CANCELLED)
        return queryset.filter(Q(pk__in=routed.values("case_id")) | Q(origin_council_area=value))

    # The dates are local days; compared as the instants they start at, so the index on submitted_at
    # serves them (a __date lookup converts every row's time first).
    def filter_submitted_from(self, queryset, name, value):
        return queryset.filter(submitted_at__gte=_start_of(value)) if value else queryset

    def filter_submitted_to(self, queryset, name, value):
        return queryset.filter(submitted_at__lt=_start_of(value + datetime.timedelta(days=1))) if value else queryset

    def filter_priority(self, queryset, name, value):
        if not value:
            return queryset
        tagged = Case.priorities.through.objects.filter(priority__lineage=value).values_list("case_id", flat=True)
        return queryset.filter(by_key(ids_by_key(tagged.distinct())))

    def filter_overdue(self, queryset, name, value):
        if value:
            return queryset.filter(overdue_q(timezone.localdate()))
        return queryset


def case_filter_for(*, user, data) -> CaseFilter:
    """The case list's filter over the cases the user may see, newest first, bound to `data` (a
    QueryDict; empty for the whole list)."""
    from .selectors import case_list_visible_to

    visible = case_list_visible_to(user=user).prefetch_related("routings__council_area")
    return CaseFilter(data or None, queryset=visible.order_by("-created_at"))


def filtered_cases(case_filter: CaseFilter):
    """What the filter lists: its result when the input is valid, otherwise the whole (visible) list,
    as the case list page shows it."""
    return case_filter.qs if case_filter.is_bound and case_filter.is_valid() else case_filter.queryset
