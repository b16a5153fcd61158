"""Input rounds to the state: an adviser opens a round (e.g. "Innspill til NTP 2029-2040") with a
deadline for chosen regions and council areas; each region writes one contribution (text, attachments,
anchoring in its member municipalities, as a case); the adviser assembles one joint document and
records what was sent to the state and when."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cases.models import Anchoring
from core.uploads import UploadField
from core.validators import TEXT_MAX_LENGTH, single_line, text_validators


class Round(models.Model):
    """One round of joint input to the state, under one county."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    county = models.ForeignKey(
        "regions.County", on_delete=models.PROTECT, related_name="input_rounds", verbose_name=_("county")
    )
    title = models.CharField(_("title"), max_length=200, validators=[single_line])
    public_text = models.TextField(
        _("text of the round"), max_length=TEXT_MAX_LENGTH, validators=text_validators(TEXT_MAX_LENGTH)
    )
    deadline = models.DateField(_("deadline"))
    regions = models.ManyToManyField("regions.Region", related_name="input_rounds", verbose_name=_("regions"))
    council_areas = models.ManyToManyField(
        "regions.CouncilArea", blank=True, related_name="input_rounds", verbose_name=_("council areas")
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.OPEN)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("opened by")
    )
    opened_at = models.DateTimeField(_("opened at"))
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    sent_on = models.DateField(_("sent to the state on"), null=True, blank=True)
    sent_to = models.CharField(_("sent to"), max_length=200, blank=True, validators=[single_line])
    sent_note = models.TextField(
        _("what was sent"), blank=True, max_length=TEXT_MAX_LENGTH, validators=text_validators(TEXT_MAX_LENGTH)
    )
    sent_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sending recorded by"),
    )

    class Meta:
        ordering = ["-deadline", "-pk"]
        verbose_name = _("input round")
        verbose_name_plural = _("input rounds")
        indexes = [models.Index(fields=["county", "-deadline"], name="rounds_county_deadline_idx")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("rounds:round-detail", kwargs={"pk": self.pk})


class Contribution(models.Model):
    """One region's contribution to a round: a draft the region side edits, then submitted."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="contributions", verbose_name=_("round"))
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="round_contributions", verbose_name=_("region")
    )
    text = models.TextField(
        _("contribution"), blank=True, max_length=TEXT_MAX_LENGTH, validators=text_validators(TEXT_MAX_LENGTH)
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("written by")
    )
    updated_at = models.DateTimeField(_("updated at"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)

    class Meta:
        ordering = ["round", "region__name"]
        verbose_name = _("contribution")
        verbose_name_plural = _("contributions")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "region"],
                name="rounds_one_contribution_per_region",
                violation_error_message=_("The region already has a contribution to this round."),
            )
        ]

    def __str__(self):
        return f"{self.region} – {self.round}"

    def get_absolute_url(self):
        return reverse("rounds:contribution-detail", kwargs={"pk": self.pk})


class ContributionAttachment(models.Model):
    """A file attached to a contribution, checked by core.uploads and served only through the portal."""

    contribution = models.ForeignKey(
        Contribution, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("contribution")
    )
    file = UploadField(_("file"), folder="rounds")
    original_name = models.CharField(_("file name"), max_length=255, validators=[single_line])
    content_type = models.CharField(_("content type"), max_length=100, validators=[single_line])
    size = models.PositiveBigIntegerField(_("size in bytes"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("uploaded by")
    )
    uploaded_at = models.DateTimeField(_("uploaded at"))

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self):
        return self.original_name

    def get_absolute_url(self):
        return reverse("rounds:attachment-download", kwargs={"pk": self.pk})

    def get_download_url(self):
        return self.get_absolute_url()


class ContributionAnchoring(models.Model):
    """How a member municipality treated the region's contribution (the bodies and stances of a case's
    anchoring, cases.Anchoring)."""

    contribution = models.ForeignKey(
        Contribution, on_delete=models.CASCADE, related_name="anchorings", verbose_name=_("contribution")
    )
    municipality = models.ForeignKey(
        "regions.Municipality",
        on_delete=models.PROTECT,
        related_name="round_anchorings",
        verbose_name=_("municipality"),
    )
    body = models.CharField(_("body"), max_length=16, choices=Anchoring.Body.choices, default=Anchoring.Body.COUNCIL)
    stance = models.CharField(
        _("stance"), max_length=16, choices=Anchoring.Stance.choices, default=Anchoring.Stance.NOT_TREATED
    )
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    reference = models.CharField(_("reference"), max_length=200, blank=True, validators=[single_line])
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        ordering = ["municipality__number", "body"]
        verbose_name = _("anchoring")
        verbose_name_plural = _("anchorings")
        constraints = [
            models.UniqueConstraint(
                fields=["contribution", "municipality", "body"],
                name="rounds_anchoring_once_per_body",
                violation_error_message=_("This body's treatment is already recorded for the municipality."),
            )
        ]

    def __str__(self):
        return f"{self.municipality} {self.get_body_display()}: {self.get_stance_display()}"
