"""The organisation registry: counties, municipalities, regions, membership over time, council
areas and appointments (who represents whom).

Every period is half-open: valid_from is the first day, valid_to the first day it no longer
holds (exclusive, the SSB-KLASS convention). A blank valid_to means "still valid".
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.fields import URLField
from core.validators import TEXT_MAX_LENGTH, single_line, text_validators

county_number_validator = RegexValidator(r"^\d{2}$", _("A county number has two digits."))
municipality_number_validator = RegexValidator(r"^\d{4}$", _("A municipality number has four digits."))


class Confidence(models.TextChoices):
    HIGH = "high", _("High")
    MEDIUM = "medium", _("Medium")
    LOW = "low", _("Low")


class Malform(models.TextChoices):
    """A municipality's or region's official language form (målform, after the Language Act's
    språkvedtak). Blank means not recorded."""

    BOKMAL = "bokmal", _("Bokmål")
    NYNORSK = "nynorsk", _("Nynorsk")
    NEUTRAL = "neutral", _("Neutral")


class PeriodQuerySet(models.QuerySet):
    def valid_on(self, day):
        """Rows whose half-open period [valid_from, valid_to) contains the day."""
        return self.filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=day),
            Q(valid_to__isnull=True) | Q(valid_to__gt=day),
        )


def period_constraint(name):
    return models.CheckConstraint(
        condition=Q(valid_to__isnull=True) | Q(valid_from__isnull=True) | Q(valid_to__gt=F("valid_from")),
        name=name,
        violation_error_message=_("The end date must be after the start date."),
    )


class County(models.Model):
    number = models.CharField(_("county number"), max_length=2, validators=[county_number_validator, single_line])
    name = models.CharField(_("name"), max_length=100, validators=[single_line])
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to (exclusive)"), null=True, blank=True)
    predecessors = models.ManyToManyField(
        "self", symmetrical=False, related_name="successors", blank=True, verbose_name=_("predecessors")
    )
    note = models.TextField(
        _("note"), blank=True, max_length=TEXT_MAX_LENGTH, validators=text_validators(TEXT_MAX_LENGTH)
    )

    objects = PeriodQuerySet.as_manager()

    class Meta:
        verbose_name = _("county")
        verbose_name_plural = _("counties")
        ordering = ["number", "valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["number", "name"], name="county_unique_number_name"),
            period_constraint("county_valid_period"),
        ]

    def __str__(self):
        return f"{self.number} {self.name}"

    def get_absolute_url(self):
        return reverse("regions:county-detail", kwargs={"pk": self.pk})


class Municipality(models.Model):
    number = models.CharField(
        _("municipality number"), max_length=4, validators=[municipality_number_validator, single_line]
    )
    name = models.CharField(_("name"), max_length=100, validators=[single_line])
    county = models.ForeignKey(
        County, on_delete=models.PROTECT, related_name="municipalities", verbose_name=_("county"), null=True, blank=True
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to (exclusive)"), null=True, blank=True)
    predecessors = models.ManyToManyField(
        "self", symmetrical=False, related_name="successors", blank=True, verbose_name=_("predecessors")
    )
    official_label = models.CharField(_("official label (SSB)"), max_length=100, blank=True, validators=[single_line])
    note = models.TextField(
        _("note"), blank=True, max_length=TEXT_MAX_LENGTH, validators=text_validators(TEXT_MAX_LENGTH)
    )
    malform = models.CharField(
        _("official language form"),
        max_length=8,
        choices=Malform.choices,
        blank=True,
        help_text=_("Blank: not recorded."),
    )
    malform_confidence = models.CharField(
        _("confidence of the language form"), max_length=8, choices=Confidence.choices, blank=True
    )
    malform_source = models.TextField(
        _("source of the language form"),
        blank=True,
        max_length=TEXT_MAX_LENGTH,
        validators=text_validators(TEXT_MAX_LENGTH),
    )

    objects = PeriodQuerySet.as_manager()

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["number", "valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["number", "valid_from"], name="municipality_unique_number_from"),
            period_constraint("municipality_valid_period"),
        ]

    def __str__(self):
        return f"{self.number} {self.name}"

    def get_absolute_url(self):
        return reverse("regions:municipality-detail", kwargs={"pk": self.pk})


class Region(models.Model):
    """A municipal region (kommuneregion / regionråd). The municipalities decide its members."""

    class OrganisationalModel(models.TextChoices):
        OWN_SECRETARIAT = "own_secretariat", _("Regional council with its own secretariat")
        COUNTY_COORDINATOR = "county_coordinator", _("Regional coordinator employed by the county")
        PARTNERSHIP = "partnership", _("Partnership arrangement in the regional council")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=200, validators=[single_line])
    slug = models.SlugField(_("short name"), max_length=100, unique=True)
    host_county = models.ForeignKey(
        County, on_delete=models.PROTECT, related_name="hosted_regions", verbose_name=_("host county")
    )
    partner_counties = models.ManyToManyField(
        County,
        related_name="partner_regions",
        blank=True,
        verbose_name=_("partner counties"),
        help_text=_("Counties the region has a partnership with (a region can span two counties)."),
    )
    description = models.TextField(
        _("description"), blank=True, max_length=TEXT_MAX_LENGTH, validators=text_validators(TEXT_MAX_LENGTH)
    )
    website = URLField(_("website"), blank=True, validators=[single_line])
    organisational_model = models.CharField(
        _("organisational model"),
        max_length=32,
        choices=OrganisationalModel.choices,
        default=OrganisationalModel.OWN_SECRETARIAT,
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to (exclusive)"), null=True, blank=True)
    confidence = models.CharField(_("confidence"), max_length=8, choices=Confidence.choices, default=Confidence.HIGH)
    notes = models.TextField(
        _("notes"), blank=True, max_length=TEXT_MAX_LENGTH, validators=text_validators(TEXT_MAX_LENGTH)
    )
    source = models.TextField(
        _("source"),
        blank=True,
        max_length=TEXT_MAX_LENGTH,
        validators=text_validators(TEXT_MAX_LENGTH),
        help_text=_("Where the facts about the region come from (addresses, documents)."),
    )
    malform = models.CharField(
        _("official language form"),
        max_length=8,
        choices=Malform.choices,
        blank=True,
        help_text=_(
            "Blank: not recorded. Nynorsk when every member that records a language form records nynorsk; "
            "what the county sends to the region is then written in nynorsk for people without their own choice."
        ),
    )
    malform_source = models.TextField(
        _("source of the language form"),
        blank=True,
        max_length=TEXT_MAX_LENGTH,
        validators=text_validators(TEXT_MAX_LENGTH),
    )

    objects = PeriodQuerySet.as_manager()

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["name"]
        constraints = [period_constraint("region_valid_period")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("regions:region-detail", kwargs={"slug": self.slug})


class RegionName(models.Model):
    """A region's official name for a period, with its source: Søndre Viken regionråd (by March 2021)
    was Søndre Østfold regionråd by November 2023. Region.name stays the short name of today."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="names", verbose_name=_("region"))
    name = models.CharField(_("name"), max_length=200, validators=[single_line])
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to (exclusive)"), null=True, blank=True)
    confidence = models.CharField(_("confidence"), max_length=8, choices=Confidence.choices, default=Confidence.HIGH)
    note = models.TextField(
        _("note"), blank=True, max_length=TEXT_MAX_LENGTH, validators=text_validators(TEXT_MAX_LENGTH)
    )
    source = models.TextField(
        _("source"), blank=True, max_length=TEXT_MAX_LENGTH, validators=text_validators(TEXT_MAX_LENGTH)
    )

    objects = PeriodQuerySet.as_manager()

    class Meta:
        verbose_name = _("name of a region")
        verbose_name_plural = _("names of regions")
        ordering = ["region__name", "valid_from"]
        constraints = [period_constraint("region_name_valid_period")]
        indexes = [models.Index(fields=["region", "valid_from"])]

    def __str__(self):
        return self.name


class RegionOrganisationModel(models.Model):
    """How a region's cooperation with the county was organised, for a period (dated, with its source):
    the four Hedmark regions had coordinators employed by the county until Innlandet moved all ten
    regions to partnership agreements in 2020."""

    region = models.ForeignKey(
        Region, on_delete=models.CASCADE, related_name="organisation_models", verbose_name=_("region")
    )
    model = models.CharField(_("organisational model"), max_length=32, choices=Region.OrganisationalModel.choices)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to (exclusive)"), null=True, blank=True)
    confidence = models.CharField(_("confidence"), max_length=8, choices=Confidence.choices, default=Confidence.HIGH)
    note = models.TextField(
        _("note"), blank=True, max_length=TEXT_MAX_LENGTH, validators=text_validators(TEXT_MAX_LENGTH)
    )
    source = models.TextField(
        _("source"), blank=True, max_length=TEXT_MAX_LENGTH, validators=text_validators(TEXT_MAX_LENGTH)
    )

    objects = PeriodQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisational model of a region")
        verbose_name_plural = _("organisational models of regions")
        ordering = ["region__name", "valid_from"]
        constraints = [period_constraint("organisation_model_valid_period")]
        indexes = [models.Index(fields=["region", "valid_from"])]

    def __str__(self):
        return f"{self.region} – {self.get_model_display()}"


class RegionCounty(models.Model):
    """A county's relation to a region for a period: the host county (one at a time) or a partner
    county (a county with members in the region or a partnership with it). Viken hosts its regions
    2020-2023; Østfold, Akershus and Buskerud from 2024-01-01. A region without any of these rows
    falls back on its undated host_county and partner_counties."""

    class Role(models.TextChoices):
        HOST = "host", _("Host county")
        PARTNER = "partner", _("Partner county")

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="county_links", verbose_name=_("region"))
    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="region_links", verbose_name=_("county"))
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.HOST)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to (exclusive)"), null=True, blank=True)
    confidence = models.CharField(_("confidence"), max_length=8, choices=Confidence.choices, default=Confidence.HIGH)
    source = models.TextField(
        _("source"), blank=True, max_length=TEXT_MAX_LENGTH, validators=text_validators(TEXT_MAX_LENGTH)
    )
    note = models.TextField(
        _("note"), blank=True, max_length=TEXT_MAX_LENGTH, validators=text_validators(TEXT_MAX_LENGTH)
    )

    objects = PeriodQuerySet.as_manager()

    class Meta:
        verbose_name = _("region's county")
        verbose_name_plural = _("regions' counties")
        ordering = ["valid_from", "role", "county__number"]
        constraints = [
            models.UniqueConstraint(fields=["region", "county", "valid_from"], name="region_county_unique_from"),
            period_constraint("region_county_valid_period"),
        ]
        indexes = [models.Index(fields=["county", "valid_from"]), models.Index(fields=["region", "valid_from"])]

    def __str__(self):
        return f"{self.region} – {self.county} ({self.get_role_display()})"

    def clean(self):
        """One host county at a time, and one row per county and region at a time (the admin's forms and
        the services call full_clean)."""
        super().clean()
        if not self.region_id or not self.county_id:
            return
        others = RegionCounty.objects.filter(region_id=self.region_id).exclude(pk=self.pk)
        if self.valid_to is not None:
            others = others.filter(Q(valid_from__isnull=True) | Q(valid_from__lt=self.valid_to))
        if self.valid_from is not None:
            others = others.filter(Q(valid_to__isnull=True) | Q(valid_to__gt=self.valid_from))
        if self.role == self.Role.HOST and others.filter(role=self.Role.HOST).exists():
            raise ValidationError(_("The region already has a host county in this period."))
        if others.filter(county_id=self.county_id).exists():
            raise ValidationError(_("The county is already linked with the region in this period."))


class RegionMembership(models.Model):
    """A municipality's membership of a region for a period. Double membership and members from
    other counties are allowed; overlapping periods for the same pair are not."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("municipality")
    )
    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("region"))
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to (exclusive)"), null=True, blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decision_reference = models.CharField(_("decision reference"), max_length=200, blank=True, validators=[single_line])
    confidence = models.CharField(_("confidence"), max_length=8, choices=Confidence.choices, default=Confidence.HIGH)
    note = models.TextField(
        _("note"), blank=True, max_length=TEXT_MAX_LENGTH, validators=text_validators(TEXT_MAX_LENGTH)
    )
    source_note = models.TextField(
        _("source note"),
        blank=True,
        max_length=TEXT_MAX_LENGTH,
        validators=text_validators(TEXT_MAX_LENGTH),
        help_text=_(
            "What the research source says, quoted as written (in English); shown labelled, apart from the note."
        ),
    )

    objects = PeriodQuerySet.as_manager()

    class Meta:
        verbose_name = _("region membership")
        verbose_name_plural = _("region memberships")
        ordering = ["region__name", "municipality__number", "valid_from"]
        constraints = [period_constraint("membership_valid_period")]
        indexes = [models.Index(fields=["region", "valid_from"]), models.Index(fields=["municipality", "valid_from"])]

    def __str__(self):
        return f"{self.municipality} – {self.region}"


class Person(models.Model):
    """Someone who can be appointed; may have a user account to log in with."""

    name = models.CharField(_("name"), max_length=200, validators=[single_line])
    email = models.EmailField(_("e-mail"), blank=True, validators=[single_line])
    phone = models.CharField(_("phone"), max_length=32, blank=True, validators=[single_line])
    title = models.CharField(_("title"), max_length=200, blank=True, validators=[single_line])
    party = models.CharField(_("party"), max_length=50, blank=True, validators=[single_line])
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
        verbose_name=_("user account"),
    )

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["name"]

    def __str__(self):
        return self.name


class CouncilAreaQuerySet(PeriodQuerySet):
    def valid_on(self, day):
        """Council areas of the county on the day; rows kept only because they were recorded in error
        (not a portfolio of this county) never are."""
        return super().valid_on(day).filter(not_a_portfolio=False)


class CouncilArea(models.Model):
    """A portfolio (rådsområde) of the county executive, headed by a county councillor."""

    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="council_areas", verbose_name=_("county"))
    name = models.CharField(_("name"), max_length=200, validators=[single_line])
    slug = models.SlugField(_("short name"), max_length=100)
    description = models.TextField(
        _("description"), blank=True, max_length=TEXT_MAX_LENGTH, validators=text_validators(TEXT_MAX_LENGTH)
    )
    councillor = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="headed_council_areas",
        verbose_name=_("county councillor"),
    )
    party = models.CharField(_("party"), max_length=50, blank=True, validators=[single_line])
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to (exclusive)"), null=True, blank=True)
    period_note = models.CharField(_("period as recorded"), max_length=200, blank=True, validators=[single_line])
    confidence = models.CharField(_("confidence"), max_length=8, choices=Confidence.choices, default=Confidence.HIGH)
    source = models.TextField(
        _("source"), blank=True, max_length=TEXT_MAX_LENGTH, validators=text_validators(TEXT_MAX_LENGTH)
    )
    not_a_portfolio = models.BooleanField(
        _("not a portfolio of this county"),
        default=False,
        help_text=_("Recorded in error: kept (cases may refer to it) but never offered or counted as a council area."),
    )
    note = models.TextField(
        _("note"), blank=True, max_length=TEXT_MAX_LENGTH, validators=text_validators(TEXT_MAX_LENGTH)
    )

    objects = CouncilAreaQuerySet.as_manager()

    class Meta:
        verbose_name = _("council area")
        verbose_name_plural = _("council areas")
        ordering = ["county__number", "name", "valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["county", "slug", "valid_from"], name="council_area_unique_slug"),
            period_constraint("council_area_valid_period"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("regions:council-area-detail", kwargs={"pk": self.pk})


class ElectionTerm(models.Model):
    """A county council's election term (valgperiode), e.g. 2023–2027: for it the county council elects
    two representatives per region (one from the position, one from the opposition) and the county
    executive appoints one county councillor per region. The term's appointments end with it unless
    renewed into the next term."""

    county = models.ForeignKey(
        County, on_delete=models.PROTECT, related_name="election_terms", verbose_name=_("county")
    )
    name = models.CharField(_("name"), max_length=20, validators=[single_line], help_text=_("For example 2023–2027."))
    valid_from = models.DateField(_("term starts"))
    valid_to = models.DateField(_("term ends (first day after)"))
    election_date = models.DateField(
        _("election date"),
        null=True,
        blank=True,
        help_text=_("The day the county council elected the representatives (for example 13 February 2020)."),
    )
    note = models.TextField(
        _("note"), blank=True, max_length=TEXT_MAX_LENGTH, validators=text_validators(TEXT_MAX_LENGTH)
    )

    objects = PeriodQuerySet.as_manager()

    class Meta:
        verbose_name = _("election term")
        verbose_name_plural = _("election terms")
        ordering = ["county__number", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["county", "valid_from"], name="election_term_unique_start"),
            models.CheckConstraint(
                condition=Q(valid_to__gt=F("valid_from")),
                name="election_term_valid_period",
                violation_error_message=_("The end date must be after the start date."),
            ),
        ]

    def __str__(self):
        return f"{self.county.name} {self.name}"

    def get_absolute_url(self):
        return reverse("regions:term-detail", kwargs={"pk": self.pk})


class TermException(models.Model):
    """The county decided otherwise than two elected representatives and one appointed councillor for
    a region in a term (the seed's rule): the reason, kept with the term."""

    term = models.ForeignKey(
        ElectionTerm, on_delete=models.CASCADE, related_name="exceptions", verbose_name=_("election term")
    )
    region = models.ForeignKey(
        Region, on_delete=models.CASCADE, related_name="term_exceptions", verbose_name=_("region")
    )
    reason = models.TextField(_("reason"), max_length=TEXT_MAX_LENGTH, validators=text_validators(TEXT_MAX_LENGTH))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        verbose_name = _("exception for a term")
        verbose_name_plural = _("exceptions for a term")
        constraints = [models.UniqueConstraint(fields=["term", "region"], name="term_exception_unique_region")]

    def __str__(self):
        return f"{self.term} – {self.region}"


class Appointment(models.Model):
    """Who represents whom, for a period: the basis of access rights for leaders and staff."""

    class Role(models.TextChoices):
        COUNTY_COUNCIL_REPRESENTATIVE = "county_council_rep", _("County council representative")
        COUNTY_COUNCILLOR = "county_councillor", _("County councillor for the region")
        ADMINISTRATIVE_PARTICIPANT = "admin_participant", _("Administrative participant")
        REGION_COUNCIL_LEADER = "region_leader", _("Region council leader")
        REGION_SECRETARIAT = "region_secretariat", _("Region secretariat")
        REGIONAL_COORDINATOR = "regional_coordinator", _("Regional coordinator")
        COUNCIL_AREA_STAFF = "council_area_staff", _("Council-area staff")
        COORDINATION_ADVISER = "coordination_adviser", _("Adviser in the coordination unit")

    class AppointedBy(models.TextChoices):
        COUNTY_COUNCIL = "county_council", _("County council")
        COUNTY_EXECUTIVE = "county_executive", _("County executive")
        REGION = "region", _("Region")
        COUNTY_ADMINISTRATION = "county_administration", _("County administration")

    class Side(models.TextChoices):
        POSITION = "position", _("Position")
        OPPOSITION = "opposition", _("Opposition")

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="appointments", verbose_name=_("person"))
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    region = models.ForeignKey(
        Region, on_delete=models.CASCADE, null=True, blank=True, related_name="appointments", verbose_name=_("region")
    )
    council_area = models.ForeignKey(
        CouncilArea,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="appointments",
        verbose_name=_("council area"),
    )
    county = models.ForeignKey(
        County, on_delete=models.PROTECT, null=True, blank=True, related_name="appointments", verbose_name=_("county")
    )
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to (exclusive)"), null=True, blank=True)
    appointed_by = models.CharField(_("appointed by"), max_length=32, choices=AppointedBy.choices, blank=True)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    decision_reference = models.CharField(_("decision reference"), max_length=200, blank=True, validators=[single_line])
    party = models.CharField(_("party"), max_length=50, blank=True, validators=[single_line])
    side = models.CharField(_("position or opposition"), max_length=16, choices=Side.choices, blank=True)
    note = models.TextField(
        _("note"), blank=True, max_length=TEXT_MAX_LENGTH, validators=text_validators(TEXT_MAX_LENGTH)
    )
    # The election term the appointment was recorded for (county council representatives and county
    # councillors): it ends with the term unless renewed into the next one.
    term = models.ForeignKey(
        ElectionTerm,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="appointments",
        verbose_name=_("election term"),
    )

    objects = PeriodQuerySet.as_manager()

    class Meta:
        verbose_name = _("appointment")
        verbose_name_plural = _("appointments")
        ordering = ["-valid_from"]
        constraints = [
            period_constraint("appointment_valid_period"),
            models.CheckConstraint(
                condition=Q(region__isnull=False) | Q(council_area__isnull=False) | Q(county__isnull=False),
                name="appointment_has_target",
                violation_error_message=_("An appointment must be for a region, a council area or a county."),
            ),
            models.CheckConstraint(
                condition=~Q(role="county_council_rep") | Q(side__in=["position", "opposition"]),
                name="appointment_rep_has_side",
                violation_error_message=_("A county council representative is from the position or the opposition."),
            ),
        ]

    def __str__(self):
        target = self.region or self.council_area or self.county
        return f"{self.person} – {self.get_role_display()} – {target}"


def role_acted_in_label(value: str) -> str:
    """The reader's words for a recorded role acted in (regions.selectors.role_acted_in): an appointment's
    role, or a portal role such as adviser; "" for none."""
    from django.contrib.auth import get_user_model

    for choices in (Appointment.Role, get_user_model().Role):
        if value in choices.values:
            return choices(value).label
    return value


# The seed's rule: per term and region the county council elects two representatives, one from the
# position and one from the opposition, and the county executive appoints one county councillor.
TERM_SLOTS = {
    "position": (Appointment.Role.COUNTY_COUNCIL_REPRESENTATIVE, Appointment.Side.POSITION),
    "opposition": (Appointment.Role.COUNTY_COUNCIL_REPRESENTATIVE, Appointment.Side.OPPOSITION),
    "councillor": (Appointment.Role.COUNTY_COUNCILLOR, ""),
}
TERM_SLOT_APPOINTED_BY = {
    "position": Appointment.AppointedBy.COUNTY_COUNCIL,
    "opposition": Appointment.AppointedBy.COUNTY_COUNCIL,
    "councillor": Appointment.AppointedBy.COUNTY_EXECUTIVE,
}


def term_slot_label(slot):
    return {
        "position": _("representative from the position"),
        "opposition": _("representative from the opposition"),
        "councillor": _("county councillor"),
    }[slot]


def term_slot_of(appointment) -> str:
    """The place in a term's grid an appointment fills ("" for another role)."""
    for slot, (role, side) in TERM_SLOTS.items():
        if appointment.role == role and appointment.side == side:
            return slot
    return ""


# The shapes of a term's rows, as the grid and the CSV file give them to regions.services.term_record.


@dataclass
class SlotEntry:
    """One place of a region's row: an existing person, or a new one by name; the party."""

    person: Person | None = None
    name: str = ""
    party: str = ""

    @property
    def empty(self) -> bool:
        return self.person is None and not self.name.strip()

    def key(self):
        return ("pk", self.person.pk) if self.person is not None else ("name", self.name.strip().casefold())


@dataclass
class TermRow:
    """A region's row of a term: its three places and, when the county decided otherwise, why."""

    region: Region
    slots: dict = field(default_factory=dict)  # slot -> SlotEntry
    exception: str = ""


@dataclass
class TermCsvResult:
    rows: list  # TermRow, one per region named in the file
    errors: list  # (line number or None, message)
