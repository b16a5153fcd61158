"""The archive list's filters (django-filter); each filter has its index (ArchiveMessage.Meta)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from core.forms import PortalFilterSet

from .models import ArchiveMessage


class ArchiveMessageFilter(PortalFilterSet):
    state = django_filters.ChoiceFilter(label=_("State"), choices=ArchiveMessage.State.choices)
    cause = django_filters.ChoiceFilter(label=_("Cause"), choices=ArchiveMessage.Cause.choices)

    class Meta:
        model = ArchiveMessage
        fields = []
