"""The partnership's money per region and year: income lines (the county, the municipalities, other
sources), allocations to the special part's priorities and to projects, payments, reported use, and
an append-only history of every change. Amounts are Decimal kroner (NOK, two decimals)."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.models import HistoryEntry
from core.validators import TEXT_MAX_LENGTH, single_line, text_validators

AMOUNT_MAX_DIGITS = 14
AMOUNT_DECIMALS = 2
FIRST_YEAR, LAST_YEAR = 2000, 2100


def amount_field(verbose_name):
    return models.DecimalField(
        verbose_name,
        max_digits=AMOUNT_MAX_DIGITS,
        decimal_places=AMOUNT_DECIMALS,
        validators=[MinValueValidator(Decimal("0.01"))],
    )


class FundYear(models.Model):
    """The partnership funds of one region for one year, under one county (the agreement's county)."""

    county = models.ForeignKey(
        "regions.County", on_delete=models.PROTECT, related_name="fund_years", verbose_name=_("county")
    )
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="fund_years", verbose_name=_("region")
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(FIRST_YEAR), MaxValueValidator(LAST_YEAR)]
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-year", "region__name"]
        verbose_name = _("fund year")
        verbose_name_plural = _("fund years")
        constraints = [
            models.UniqueConstraint(fields=["county", "region", "year"], name="funds_one_year_per_county_region"),
        ]
        indexes = [models.Index(fields=["county", "year"], name="funds_year_county_idx")]

    def __str__(self):
        return f"{self.region} {self.year}"

    def get_absolute_url(self):
        return reverse("funds:year-detail", kwargs={"pk": self.pk})


class Project(models.Model):
    """A project the region's funds can go to (a simple record: name, region, priority, description)."""

    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="fund_projects", verbose_name=_("region")
    )
    name = models.CharField(_("name"), max_length=200, validators=[single_line])
    priority = models.ForeignKey(
        "partnerships.Priority",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="fund_projects",
        verbose_name=_("priority"),
    )
    description = models.TextField(
        _("description"), blank=True, max_length=TEXT_MAX_LENGTH, validators=text_validators(TEXT_MAX_LENGTH)
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["region__name", "name"]
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        constraints = [models.UniqueConstraint(fields=["region", "name"], name="funds_project_name_per_region")]

    def __str__(self):
        return self.name


class Income(models.Model):
    """One line of income in a fund year: the county's or the municipalities' contribution, or another source."""

    class Source(models.TextChoices):
        COUNTY = "county", _("The county")
        MUNICIPALITIES = "municipalities", _("The municipalities")
        OTHER = "other", _("Other source")

    fund_year = models.ForeignKey(FundYear, on_delete=models.CASCADE, related_name="incomes", verbose_name=_("year"))
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    description = models.CharField(_("description"), max_length=200, blank=True, validators=[single_line])
    amount = amount_field(_("amount (NOK)"))

    class Meta:
        ordering = ["fund_year", "source", "pk"]
        verbose_name = _("income")
        verbose_name_plural = _("income lines")
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="funds_income_positive")]

    def __str__(self):
        return self.description or self.get_source_display()


class Allocation(models.Model):
    """Money of a fund year set aside for a priority of the special part or for a project."""

    fund_year = models.ForeignKey(
        FundYear, on_delete=models.CASCADE, related_name="allocations", verbose_name=_("year")
    )
    priority = models.ForeignKey(
        "partnerships.Priority",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="fund_allocations",
        verbose_name=_("priority"),
    )
    project = models.ForeignKey(
        Project, on_delete=models.PROTECT, null=True, blank=True, related_name="allocations", verbose_name=_("project")
    )
    description = models.CharField(_("description"), max_length=200, blank=True, validators=[single_line])
    amount = amount_field(_("amount (NOK)"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["fund_year", "pk"]
        verbose_name = _("allocation")
        verbose_name_plural = _("allocations")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="funds_allocation_positive"),
            models.CheckConstraint(
                condition=Q(priority__isnull=False) | Q(project__isnull=False), name="funds_allocation_has_target"
            ),
        ]

    def __str__(self):
        return self.description or str(self.project or self.priority)

    def clean(self):
        if self.priority_id is None and self.project_id is None:
            raise ValidationError(_("Choose a priority or a project for the allocation."))


class Payment(models.Model):
    """Money paid out on an allocation."""

    allocation = models.ForeignKey(
        Allocation, on_delete=models.CASCADE, related_name="payments", verbose_name=_("allocation")
    )
    paid_on = models.DateField(_("paid on"))
    amount = amount_field(_("amount (NOK)"))
    note = models.CharField(_("note"), max_length=200, blank=True, validators=[single_line])

    class Meta:
        ordering = ["allocation", "paid_on", "pk"]
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="funds_payment_positive")]

    def __str__(self):
        return f"{self.allocation} {self.paid_on}"


class UseReport(models.Model):
    """What the receiver reports the money of an allocation was used for."""

    allocation = models.ForeignKey(
        Allocation, on_delete=models.CASCADE, related_name="use_reports", verbose_name=_("allocation")
    )
    reported_on = models.DateField(_("reported on"))
    amount_used = models.DecimalField(
        _("amount used (NOK)"),
        max_digits=AMOUNT_MAX_DIGITS,
        decimal_places=AMOUNT_DECIMALS,
        validators=[MinValueValidator(Decimal("0"))],
    )
    text = models.TextField(_("report"), max_length=TEXT_MAX_LENGTH, validators=text_validators(TEXT_MAX_LENGTH))

    class Meta:
        ordering = ["allocation", "reported_on", "pk"]
        verbose_name = _("reported use")
        verbose_name_plural = _("reported use")
        constraints = [models.CheckConstraint(condition=Q(amount_used__gte=0), name="funds_use_not_negative")]

    def __str__(self):
        return f"{self.allocation} {self.reported_on}"


class FundEntry(HistoryEntry):
    """One change of a fund year (append-only): who, when, what, the old and the new value."""

    class Kind(models.TextChoices):
        YEAR = "year", _("Year")
        INCOME = "income", _("Income")
        ALLOCATION = "allocation", _("Allocation")
        PAYMENT = "payment", _("Payment")
        USE = "use", _("Reported use")

    fund_year = models.ForeignKey(FundYear, on_delete=models.CASCADE, related_name="entries", verbose_name=_("year"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)

    class Meta(HistoryEntry.Meta):
        indexes = [models.Index(fields=["fund_year", "-at"], name="funds_entry_year_at_idx")]
