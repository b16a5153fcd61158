"""Partnership agreements between a county and a municipal region.

An agreement is a pair (county, region) that refers to one version of the county's general part
(the same text for every region) and one version of the region's special part. Adopted parts are
never edited: a change makes a new version (with a changelog) that starts as a draft.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.fields import URLField
from core.screening import ScreenedModel
from core.uploads import UploadField
from core.validators import DOCUMENT_MAX_LENGTH, TEXT_MAX_LENGTH, single_line, text_validators
from regions.models import role_acted_in_label


class GeneralPart(models.Model):
    """One version of the county's general part (generell del)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        IN_CONSULTATION = "in_consultation", _("In consultation")
        ADOPTED = "adopted", _("Adopted")
        SUPERSEDED = "superseded", _("Superseded")

    county = models.ForeignKey(
        "regions.County", on_delete=models.PROTECT, related_name="general_parts", verbose_name=_("county")
    )
    version = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=200, validators=[single_line])
    changelog = models.TextField(
        _("changelog"), blank=True, max_length=TEXT_MAX_LENGTH, validators=text_validators(TEXT_MAX_LENGTH)
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    adopted_on = models.DateField(_("adopted on"), null=True, blank=True)
    adopting_body = models.CharField(_("adopting body"), max_length=200, blank=True, validators=[single_line])
    decision_reference = models.CharField(_("decision reference"), max_length=200, blank=True, validators=[single_line])
    previous = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("previous version")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )

    class Meta:
        verbose_name = _("general part")
        verbose_name_plural = _("general parts")
        ordering = ["county__number", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["county", "version"], name="general_part_unique_version"),
            models.UniqueConstraint(
                fields=["county"],
                condition=Q(status="adopted"),
                name="general_part_one_adopted",
                violation_error_message=_("The county already has an adopted general part."),
            ),
            models.CheckConstraint(
                condition=~Q(status="adopted") | (Q(adopted_on__isnull=False) & ~Q(decision_reference="")),
                name="general_part_adopted_has_decision",
                violation_error_message=_("Adoption requires a date and a decision reference."),
            ),
        ]

    def __str__(self):
        return _("%(title)s, version %(version)s") % {"title": self.title, "version": self.version}

    def get_absolute_url(self):
        return reverse("partnerships:general-part-detail", kwargs={"pk": self.pk})

    @property
    def is_locked(self):
        """Adopted and superseded versions are part of the record and never change."""
        return self.status in (self.Status.ADOPTED, self.Status.SUPERSEDED)


class GeneralPartSection(models.Model):
    """One section of a general part, in Markdown."""

    general_part = models.ForeignKey(
        GeneralPart, on_delete=models.CASCADE, related_name="sections", verbose_name=_("general part")
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    heading = models.CharField(_("heading"), max_length=200, validators=[single_line])
    body = models.TextField(
        _("text (Markdown)"),
        blank=True,
        max_length=DOCUMENT_MAX_LENGTH,
        validators=text_validators(DOCUMENT_MAX_LENGTH),
    )

    class Meta:
        verbose_name = _("general-part section")
        verbose_name_plural = _("general-part sections")
        ordering = ["general_part", "order", "pk"]

    def __str__(self):
        return self.heading


class WorkingGroupMember(models.Model):
    """A member of the working group that wrote a general-part version, and whom they represent."""

    general_part = models.ForeignKey(
        GeneralPart, on_delete=models.CASCADE, related_name="working_group", verbose_name=_("general part")
    )
    person = models.ForeignKey("regions.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("person"))
    represents_region = models.ForeignKey(
        "regions.Region",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("represents region"),
        help_text=_("Blank when the member represents the county."),
    )
    role = models.CharField(_("role in the group"), max_length=200, blank=True, validators=[single_line])

    class Meta:
        verbose_name = _("working-group member")
        verbose_name_plural = _("working-group members")
        ordering = ["general_part", "person__name"]

    def __str__(self):
        return str(self.person)


class StrategicPlan(models.Model):
    """One of the county's strategic plans a special part builds on."""

    class Kind(models.TextChoices):
        REGIONAL_PLAN_STRATEGY = "regional_plan_strategy", _("Regional plan strategy")
        REGIONAL_TRANSPORT_PLAN = "regional_transport_plan", _("Regional transport plan")
        REGIONAL_PLAN = "regional_plan", _("Regional plan")
        OTHER = "other", _("Other plan")

    county = models.ForeignKey(
        "regions.County", on_delete=models.PROTECT, related_name="strategic_plans", verbose_name=_("county")
    )
    title = models.CharField(_("title"), max_length=200, validators=[single_line])
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices, default=Kind.REGIONAL_PLAN)
    adopted_on = models.DateField(_("adopted on"), null=True, blank=True)
    url = URLField(_("link"), blank=True, validators=[single_line])

    class Meta:
        verbose_name = _("strategic plan")
        verbose_name_plural = _("strategic plans")
        ordering = ["title"]

    def __str__(self):
        return self.title


class Instrument(models.Model):
    """One of the county's policy instruments (virkemidler): a grant scheme, programme or plan."""

    class Kind(models.TextChoices):
        GRANT_SCHEME = "grant_scheme", _("Grant scheme")
        PROGRAMME = "programme", _("Programme")
        PLAN = "plan", _("Plan")

    name = models.CharField(_("name"), max_length=200, validators=[single_line])
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.GRANT_SCHEME)
    council_area = models.ForeignKey(
        "regions.CouncilArea",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="instruments",
        verbose_name=_("owning council area"),
    )
    description = models.TextField(
        _("description"), blank=True, max_length=TEXT_MAX_LENGTH, validators=text_validators(TEXT_MAX_LENGTH)
    )
    url = URLField(_("link"), blank=True, validators=[single_line])

    class Meta:
        verbose_name = _("policy instrument")
        verbose_name_plural = _("policy instruments")
        ordering = ["name"]

    def __str__(self):
        return self.name


class SpecialPart(models.Model):
    """One version of a region's special part (spesiell del) with one county."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        IN_NEGOTIATION = "in_negotiation", _("In negotiation")
        ADOPTED = "adopted", _("Adopted")
        SUPERSEDED = "superseded", _("Superseded")

    county = models.ForeignKey(
        "regions.County", on_delete=models.PROTECT, related_name="special_parts", verbose_name=_("county")
    )
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="special_parts", verbose_name=_("region")
    )
    version = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=200, validators=[single_line])
    introduction = models.TextField(
        _("introduction (Markdown)"),
        blank=True,
        max_length=DOCUMENT_MAX_LENGTH,
        validators=text_validators(DOCUMENT_MAX_LENGTH),
    )
    changelog = models.TextField(
        _("changelog"), blank=True, max_length=TEXT_MAX_LENGTH, validators=text_validators(TEXT_MAX_LENGTH)
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    adopted_on = models.DateField(_("adopted on"), null=True, blank=True)
    decision_reference = models.CharField(_("decision reference"), max_length=200, blank=True, validators=[single_line])
    strategic_plans = models.ManyToManyField(
        StrategicPlan, related_name="special_parts", blank=True, verbose_name=_("strategic plans it builds on")
    )
    previous = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("previous version")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )

    class Meta:
        verbose_name = _("special part")
        verbose_name_plural = _("special parts")
        ordering = ["region__name", "county__number", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["county", "region", "version"], name="special_part_unique_version"),
            models.CheckConstraint(
                condition=~Q(status="adopted") | (Q(adopted_on__isnull=False) & ~Q(decision_reference="")),
                name="special_part_adopted_has_decision",
                violation_error_message=_("Adoption requires a date and a decision reference."),
            ),
        ]

    def __str__(self):
        return _("%(title)s, version %(version)s") % {"title": self.title, "version": self.version}

    def get_absolute_url(self):
        return reverse("partnerships:special-part-detail", kwargs={"pk": self.pk})

    @property
    def is_locked(self):
        """Adopted and superseded versions are part of the record and never change."""
        return self.status in (self.Status.ADOPTED, self.Status.SUPERSEDED)

    @property
    def is_open_for_proposals(self):
        return self.status in (self.Status.DRAFT, self.Status.IN_NEGOTIATION)


class SpecialPartItem(models.Model):
    """Shared fields of the ordered lists in a special part."""

    order = models.PositiveIntegerField(_("order"), default=0)
    text = models.TextField(_("text"), max_length=TEXT_MAX_LENGTH, validators=text_validators(TEXT_MAX_LENGTH))
    # Stays the same when a new version copies the item, so tagged cases follow it across versions.
    lineage = models.UUIDField(_("lineage"), default=uuid.uuid4, editable=False)

    class Meta:
        abstract = True
        ordering = ["special_part", "order", "pk"]

    def __str__(self):
        return self.text[:80]


class Strength(SpecialPartItem):
    """One of the region's strengths (fortrinn)."""

    special_part = models.ForeignKey(
        SpecialPart, on_delete=models.CASCADE, related_name="strengths", verbose_name=_("special part")
    )

    class Meta(SpecialPartItem.Meta):
        verbose_name = _("strength")
        verbose_name_plural = _("strengths")


class Challenge(SpecialPartItem):
    """One of the region's challenges (utfordringer)."""

    special_part = models.ForeignKey(
        SpecialPart, on_delete=models.CASCADE, related_name="challenges", verbose_name=_("special part")
    )

    class Meta(SpecialPartItem.Meta):
        verbose_name = _("challenge")
        verbose_name_plural = _("challenges")


class Priority(SpecialPartItem):
    """One of the special part's prioritised items (satsinger); cases are tagged with these."""

    special_part = models.ForeignKey(
        SpecialPart, on_delete=models.CASCADE, related_name="priorities", verbose_name=_("special part")
    )

    class Meta(SpecialPartItem.Meta):
        verbose_name = _("priority")
        verbose_name_plural = _("priorities")
        # Cases are found by lineage: the agreement page's lists and the case list's priority filter.
        indexes = [models.Index(fields=["lineage"], name="priority_lineage")]


class KnowledgeReference(models.Model):
    """A document of the county's or the region's knowledge base (kunnskapsgrunnlag)."""

    special_part = models.ForeignKey(
        SpecialPart, on_delete=models.CASCADE, related_name="knowledge_references", verbose_name=_("special part")
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    title = models.CharField(_("title"), max_length=200, validators=[single_line])
    owner_county = models.ForeignKey(
        "regions.County",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("owner county"),
    )
    owner_region = models.ForeignKey(
        "regions.Region",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("owner region"),
    )
    url = URLField(_("link"), blank=True, validators=[single_line])
    attachment = UploadField(_("attachment"), folder="partnerships/knowledge", blank=True)

    class Meta:
        verbose_name = _("knowledge-base reference")
        verbose_name_plural = _("knowledge-base references")
        ordering = ["special_part", "order", "pk"]

    def __str__(self):
        return self.title

    @property
    def owner(self):
        return self.owner_region or self.owner_county

    def get_download_url(self):
        """The attachment's url (core.uploads.UploadField): the permission-checked download view."""
        return reverse("partnerships:knowledge-download", kwargs={"pk": self.pk})


class InstrumentPriority(models.Model):
    """A policy instrument in a special part's prioritised list, with the justification."""

    special_part = models.ForeignKey(
        SpecialPart, on_delete=models.CASCADE, related_name="instrument_priorities", verbose_name=_("special part")
    )
    instrument = models.ForeignKey(
        Instrument, on_delete=models.PROTECT, related_name="priorities_in", verbose_name=_("policy instrument")
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    justification = models.TextField(
        _("justification"), blank=True, max_length=TEXT_MAX_LENGTH, validators=text_validators(TEXT_MAX_LENGTH)
    )

    class Meta:
        verbose_name = _("prioritised instrument")
        verbose_name_plural = _("prioritised instruments")
        ordering = ["special_part", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["special_part", "instrument"], name="instrument_priority_once"),
        ]

    def __str__(self):
        return str(self.instrument)


class Agreement(ScreenedModel):
    """A partnership agreement: one county and one region, one general part and one special part."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        IN_NEGOTIATION = "in_negotiation", _("In negotiation")
        ADOPTED = "adopted", _("Adopted")
        SUPERSEDED = "superseded", _("Superseded")
        TERMINATED = "terminated", _("Terminated")

    county = models.ForeignKey(
        "regions.County", on_delete=models.PROTECT, related_name="agreements", verbose_name=_("county")
    )
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="agreements", verbose_name=_("region")
    )
    general_part = models.ForeignKey(
        GeneralPart, on_delete=models.PROTECT, related_name="agreements", verbose_name=_("general part")
    )
    special_part = models.ForeignKey(
        SpecialPart, on_delete=models.PROTECT, related_name="agreements", verbose_name=_("special part")
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    replaces = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="replaced_by",
        verbose_name=_("replaces agreement"),
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to (exclusive)"), null=True, blank=True)
    county_adopted_on = models.DateField(_("adopted by the county on"), null=True, blank=True)
    county_decision_reference = models.CharField(
        _("county decision reference"), max_length=200, blank=True, validators=[single_line]
    )
    region_adopted_on = models.DateField(_("adopted by the region on"), null=True, blank=True)
    region_decision_reference = models.CharField(
        _("region decision reference"), max_length=200, blank=True, validators=[single_line]
    )
    signatories = models.TextField(
        _("signatories"),
        blank=True,
        help_text=_("One name and title per line."),
        max_length=TEXT_MAX_LENGTH,
        validators=text_validators(TEXT_MAX_LENGTH),
    )
    # The agreed term and when it is to be revised (issue 16, item 5); reminders before both go
    # through the outbox (partnerships.services.agreement_set_term).
    term_starts_on = models.DateField(_("term starts on"), null=True, blank=True)
    term_ends_on = models.DateField(_("term ends on"), null=True, blank=True)
    revision_on = models.DateField(_("revision date"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("partnership agreement")
        verbose_name_plural = _("partnership agreements")
        ordering = ["region__name", "county__number", "-created_at"]
        constraints = [
            *ScreenedModel.Meta.constraints,
            # One adopted agreement per county and region at a time (on PostgreSQL an exclusion
            # constraint in 0002 also refuses overlapping validity periods).
            models.UniqueConstraint(
                fields=["county", "region"],
                condition=Q(status="adopted"),
                name="agreement_one_adopted_per_pair",
                violation_error_message=_("The region already has an adopted agreement with this county."),
            ),
            models.CheckConstraint(
                condition=~Q(status="adopted")
                | (Q(county_adopted_on__isnull=False) & ~Q(county_decision_reference="") & Q(valid_from__isnull=False)),
                name="agreement_adopted_has_decision",
                violation_error_message=_("Adoption requires a date and a decision reference."),
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_from__isnull=True) | Q(valid_to__gt=F("valid_from")),
                name="agreement_valid_period",
                violation_error_message=_("The end date must be after the start date."),
            ),
            models.CheckConstraint(
                condition=Q(term_ends_on__isnull=True)
                | Q(term_starts_on__isnull=True)
                | Q(term_ends_on__gt=F("term_starts_on")),
                name="agreement_term_period",
                violation_error_message=_("The term must end after it starts."),
            ),
        ]

    def __str__(self):
        return _("Partnership agreement %(county)s – %(region)s") % {
            "county": self.county.name,
            "region": self.region.name,
        }

    def get_absolute_url(self):
        return reverse("partnerships:agreement-detail", kwargs={"pk": self.pk})

    @property
    def readoption_due(self):
        """Adopted on a general part that a newer adopted version has superseded: must be re-adopted."""
        return self.status == self.Status.ADOPTED and self.general_part.status == GeneralPart.Status.SUPERSEDED


class SpecialPartSection(models.TextChoices):
    """The sections of a special part that can be commented on."""

    INTRODUCTION = "introduction", _("Introduction")
    STRENGTHS = "strengths", _("Strengths")
    CHALLENGES = "challenges", _("Challenges")
    PRIORITIES = "priorities", _("Priorities")
    KNOWLEDGE = "knowledge", _("Knowledge base")
    PLANS = "plans", _("Strategic plans")
    INSTRUMENTS = "instruments", _("Prioritised policy instruments")


# Sections whose text a proposal can replace (the lists are one item per line).
PROPOSABLE_SECTIONS = ("introduction", "strengths", "challenges", "priorities")


class Comment(models.Model):
    """A comment on a section of a special part during negotiation; kept for the record."""

    special_part = models.ForeignKey(
        SpecialPart, on_delete=models.CASCADE, related_name="comments", verbose_name=_("special part")
    )
    section = models.CharField(_("section"), max_length=20, choices=SpecialPartSection.choices)
    text = models.TextField(_("comment"), max_length=TEXT_MAX_LENGTH, validators=text_validators(TEXT_MAX_LENGTH))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("author")
    )
    # The role the person acted in then (regions.selectors.role_acted_in), kept when the appointment ends.
    author_role = models.CharField(_("acted as"), max_length=32, blank=True, validators=[single_line])
    created_at = models.DateTimeField(_("written at"))

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["special_part", "created_at", "pk"]

    def __str__(self):
        return self.text[:80]

    @property
    def author_role_display(self):
        """The recorded role in the reader's language."""
        return role_acted_in_label(self.author_role)


class Proposal(models.Model):
    """A proposed new text for a section of a draft special part; an adviser accepts or rejects it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")

    special_part = models.ForeignKey(
        SpecialPart, on_delete=models.CASCADE, related_name="proposals", verbose_name=_("special part")
    )
    section = models.CharField(
        _("section"),
        max_length=20,
        choices=[(key, label) for key, label in SpecialPartSection.choices if key in PROPOSABLE_SECTIONS],
    )
    current_text = models.TextField(
        _("text when proposed"),
        blank=True,
        max_length=DOCUMENT_MAX_LENGTH,
        validators=text_validators(DOCUMENT_MAX_LENGTH),
    )
    proposed_text = models.TextField(
        _("proposed text"), max_length=DOCUMENT_MAX_LENGTH, validators=text_validators(DOCUMENT_MAX_LENGTH)
    )
    justification = models.TextField(
        _("justification"), blank=True, max_length=TEXT_MAX_LENGTH, validators=text_validators(TEXT_MAX_LENGTH)
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("proposed by")
    )
    # The role the person acted in then (regions.selectors.role_acted_in), kept when the appointment ends.
    author_role = models.CharField(_("acted as"), max_length=32, blank=True, validators=[single_line])
    created_at = models.DateTimeField(_("proposed at"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(
        _("reason for the decision"),
        blank=True,
        max_length=TEXT_MAX_LENGTH,
        validators=text_validators(TEXT_MAX_LENGTH),
    )

    class Meta:
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        ordering = ["special_part", "created_at", "pk"]

    def __str__(self):
        return _("Proposal for %(section)s") % {"section": self.get_section_display()}

    @property
    def author_role_display(self):
        """The recorded role in the reader's language."""
        return role_acted_in_label(self.author_role)
