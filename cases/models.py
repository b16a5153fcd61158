"""Cases: one door in, one door out. (Core fields; the cases issue extends this module.)"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Case(models.Model):
    class Topic(models.TextChoices):
        NTP = "ntp", _("National Transport Plan")
        REGIONAL_PLAN_STRATEGY = "regional_plan_strategy", _("Regional plan strategy")
        REGIONAL_PLAN = "regional_plan", _("Regional plan")
        CONCRETE_MATTER = "concrete_matter", _("Concrete matter")
        MEASURE_PACKAGE = "measure_package", _("Measure package")
        EARLY_DIALOGUE = "early_dialogue", _("Early societal dialogue")
        INSTRUMENTS = "instruments", _("The county's policy instruments")
        JOINT_INPUT = "joint_input", _("Joint input to the state")
        OTHER = "other", _("Other")

    class Direction(models.TextChoices):
        REGION_TO_COUNTY = "region_to_county", _("Region to county")
        COUNTY_TO_REGIONS = "county_to_regions", _("County to regions")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        RECEIVED = "received", _("Received by the coordination unit")
        ROUTED = "routed", _("Routed")
        ANSWERED = "answered", _("Answered")
        ANSWER_SENT = "answer_sent", _("Answer sent")
        CLOSED = "closed", _("Closed")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        RETURNED = "returned", _("Returned for more information")

    class Visibility(models.TextChoices):
        INTERNAL = "internal", _("Internal")
        SHARED = "shared", _("Shared with the region")

    class Urgency(models.TextChoices):
        NORMAL = "normal", _("Normal")
        URGENT = "urgent", _("Urgent")

    reference = models.CharField(_("reference"), max_length=20, unique=True, null=True, blank=True)
    title = models.CharField(_("title"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    topic = models.CharField(_("topic"), max_length=32, choices=Topic.choices, default=Topic.OTHER)
    direction = models.CharField(
        _("direction"), max_length=32, choices=Direction.choices, default=Direction.REGION_TO_COUNTY
    )
    origin_region = models.ForeignKey(
        "regions.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="originated_cases",
        verbose_name=_("origin region"),
    )
    origin_council_area = models.ForeignKey(
        "regions.CouncilArea",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="originated_cases",
        verbose_name=_("origin council area"),
    )
    urgency = models.CharField(_("urgency"), max_length=16, choices=Urgency.choices, default=Urgency.NORMAL)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=32, choices=Status.choices, default=Status.DRAFT)
    visibility = models.CharField(
        _("visibility"), max_length=16, choices=Visibility.choices, default=Visibility.INTERNAL
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="created_cases",
        verbose_name=_("created by"),
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.reference} {self.title}" if self.reference else self.title

    def get_absolute_url(self):
        return reverse("cases:case-detail", kwargs={"pk": self.pk})
