"""The adviser's own text in the yearly report to the county council: one row per county and year.
The figures are never stored; they are read afresh from the apps' selectors each time."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.validators import TEXT_MAX_LENGTH, text_validators

FIRST_YEAR, LAST_YEAR = 2000, 2100


class ReportText(models.Model):
    county = models.ForeignKey(
        "regions.County", on_delete=models.CASCADE, related_name="report_texts", verbose_name=_("county")
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(FIRST_YEAR), MaxValueValidator(LAST_YEAR)]
    )
    introduction = models.TextField(
        _("introduction"), blank=True, max_length=TEXT_MAX_LENGTH, validators=text_validators(TEXT_MAX_LENGTH)
    )
    assessment = models.TextField(
        _("the administration's assessment"),
        blank=True,
        max_length=TEXT_MAX_LENGTH,
        validators=text_validators(TEXT_MAX_LENGTH),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("updated by"),
    )

    class Meta:
        verbose_name = _("report text")
        verbose_name_plural = _("report texts")
        constraints = [models.UniqueConstraint(fields=["county", "year"], name="reports_text_one_per_county_year")]

    def __str__(self):
        return f"{self.county} {self.year}"
