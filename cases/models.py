"""Cases: one door in, one door out.

A region sends a case to the county (region → county) or a council area sends one out to the regions
(county → regions). Every case passes the coordination unit, which routes it to council areas (Routing)
or sends it to regions (RegionRequest) and returns the answer. CaseEvent is the append-only trail.
"""

import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import ExpressionWrapper, Q
from django.urls import reverse
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from core.fields import URLField
from core.screening import ScreenedModel
from core.shared_cache import cache_get, cache_set
from core.uploads import UploadField
from core.validators import DOCUMENT_MAX_LENGTH, TEXT_MAX_LENGTH, single_line, text_validators
from regions.models import role_acted_in_label


class Case(ScreenedModel):
    # The built-in topics: seeded as cases.Topic rows (migration 0016) and labelled from the catalogues
    # in every language; advisers add their own topics as data (cases.models.Topic).
    class Topic(models.TextChoices):
        NTP = "ntp", _("National Transport Plan")
        REGIONAL_PLAN_STRATEGY = "regional_plan_strategy", _("Regional plan strategy")
        REGIONAL_PLAN = "regional_plan", _("Regional plan")
        CONCRETE_MATTER = "concrete_matter", _("Concrete matter")
        MEASURE_PACKAGE = "measure_package", _("Measure package")
        EARLY_DIALOGUE = "early_dialogue", _("Early societal dialogue")
        INSTRUMENTS = "instruments", _("The county's policy instruments")
        JOINT_INPUT = "joint_input", _("Joint input to the state")
        OTHER = "other", pgettext_lazy("case topic", "Other")  # "Annet"; accounts has "Annen"

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

    reference = models.CharField(
        _("reference"), max_length=20, unique=True, null=True, blank=True, validators=[single_line]
    )
    title = models.CharField(_("title"), max_length=255, validators=[single_line])
    description = models.TextField(
        _("description"), blank=True, max_length=TEXT_MAX_LENGTH, validators=text_validators(TEXT_MAX_LENGTH)
    )
    # A code of a cases.Topic (the services check it): no fixed choices, so advisers can add topics.
    topic = models.CharField(_("topic"), max_length=32, default=Topic.OTHER, validators=[single_line])
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
    received_at = models.DateTimeField(_("received at"), null=True, blank=True)
    answer_sent_at = models.DateTimeField(_("answer sent at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    final_answer = models.TextField(
        _("answer to the sender"), blank=True, max_length=TEXT_MAX_LENGTH, validators=text_validators(TEXT_MAX_LENGTH)
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_cases",
        verbose_name=_("assigned adviser"),
    )
    routing_problem = models.TextField(
        _("routing problem"),
        blank=True,
        help_text=_("Why the case cannot be routed yet. A flagged case stays in the inbox."),
        max_length=TEXT_MAX_LENGTH,
        validators=text_validators(TEXT_MAX_LENGTH),
    )
    # Whether a routing problem is set, kept by the database on every write: the inbox lanes and the
    # start pages' counts read the open cases from one index alone (case_open_desk), and a long text
    # cannot be part of an index.
    has_routing_problem = models.GeneratedField(
        expression=ExpressionWrapper(~Q(routing_problem=""), output_field=models.BooleanField()),
        output_field=models.BooleanField(),
        db_persist=True,
        verbose_name=_("has a routing problem"),
    )
    target_regions = models.ManyToManyField(
        "regions.Region",
        through="RegionRequest",
        blank=True,
        related_name="targeted_cases",
        verbose_name=_("target regions"),
    )
    priorities = models.ManyToManyField(
        "partnerships.Priority", blank=True, related_name="cases", verbose_name=_("agreement priorities")
    )
    instruments = models.ManyToManyField(
        "partnerships.Instrument", blank=True, related_name="cases", verbose_name=_("policy instruments")
    )
    # The anchoring strength as of the submission day, kept by cases.services (submission, anchorings,
    # membership changes through regions.hooks) so that tracking groups them instead of counting per
    # case; None before the first submission.
    members_on_submission = models.PositiveSmallIntegerField(
        _("member municipalities on the submission day"), null=True, blank=True, editable=False
    )
    councils_supporting = models.PositiveSmallIntegerField(
        _("member councils supporting"), null=True, blank=True, editable=False
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # The title (weight A) and description (B) as Norwegian words, for the case list's search. On
    # PostgreSQL the database writes it (a trigger, migration 0019) whenever the title or the
    # description is written, and indexes it; the search then reads the words, never parses the text
    # again. Unused on SQLite, which matches substrings.
    search_document = SearchVectorField(_("search document"), null=True, editable=False)

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status", "deadline"], name="case_status_deadline"),
            models.Index(fields=["origin_region", "status"], name="case_region_status"),
            # The case list's filters and its order (newest first); the text search has its own
            # full-text index on PostgreSQL (migration 0019).
            models.Index(fields=["topic", "status"], name="case_topic_status"),
            models.Index(fields=["direction", "status"], name="case_direction_status"),
            models.Index(fields=["submitted_at"], name="case_submitted_at"),
            models.Index(fields=["-created_at"], name="case_created_at_desc"),
            # The desk: what the inbox lanes and the start pages' counts read of the open cases (a few
            # thousand of a decade's 200,000), with what decides who may see them, from this index alone.
            models.Index(
                fields=[
                    "status",
                    "has_routing_problem",
                    "deadline",
                    "submitted_at",
                    "origin_region",
                    "origin_council_area",
                    "id",
                ],
                condition=Q(status__in=("submitted", "received", "routed", "answered", "returned")),  # OPEN_STATUSES
                name="case_open_desk",
            ),
            # Region leaders see the other regions' shared cases (cases.permissions.visible_case_filter).
            models.Index(fields=["visibility", "status"], name="case_visibility_status"),
            # Tracking's anchoring by topic and region: an index-only scan of the submitted cases.
            models.Index(
                fields=["topic", "origin_region", "councils_supporting", "members_on_submission"],
                condition=Q(direction="region_to_county", members_on_submission__gt=0) & ~Q(status="withdrawn"),
                name="case_anchoring_summary",
            ),
        ]
        constraints = [
            *ScreenedModel.Meta.constraints,
            models.CheckConstraint(
                condition=~Q(direction="region_to_county") | Q(origin_region__isnull=False),
                name="case_region_to_county_has_region",
                violation_error_message=_("A case from a region needs its origin region."),
            ),
            models.CheckConstraint(
                condition=~Q(direction="county_to_regions") | Q(origin_council_area__isnull=False),
                name="case_county_to_regions_has_area",
                violation_error_message=_("A case from the county needs its origin council area."),
            ),
        ]

    OPEN_STATUSES = ("submitted", "received", "routed", "answered", "returned")
    FINAL_STATUSES = ("closed", "withdrawn")

    def __str__(self):
        return f"{self.reference} {self.title}" if self.reference else self.title

    def get_absolute_url(self):
        return reverse("cases:case-detail", kwargs={"pk": self.pk})

    def get_topic_display(self):
        """The topic's name in the reader's language (the topics are data: cases.topics)."""
        return topic_label(self.topic)

    @property
    def is_open(self):
        return self.status in self.OPEN_STATUSES

    @property
    def is_from_region(self):
        return self.direction == self.Direction.REGION_TO_COUNTY


class ReferenceCounter(models.Model):
    """The last reference number handed out in a year; locked row by row when submitting."""

    year = models.PositiveIntegerField(_("year"), primary_key=True)
    last_number = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("reference counter")
        verbose_name_plural = _("reference counters")

    def __str__(self):
        return f"{self.year}: {self.last_number}"


class Topic(models.Model):
    """A case topic. The built-in ones (Case.Topic) are labelled from the catalogues; an adviser's own
    topic has its name in bokmål and nynorsk. An inactive topic is no longer offered for new cases,
    and the cases that have it keep it."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name (bokmål)"), max_length=200, validators=[single_line])
    name_nn = models.CharField(_("name (nynorsk)"), max_length=200, blank=True, validators=[single_line])
    active = models.BooleanField(_("offered for new cases"), default=True)
    order = models.PositiveIntegerField(_("order"), default=100)

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["order", "code"]

    def __str__(self):
        return self.label

    @property
    def builtin(self) -> bool:
        return self.code in Case.Topic.values

    @property
    def label(self) -> str:
        """The name in the reader's language: the catalogue's for a built-in topic, else bokmål or nynorsk."""
        if self.builtin:
            return str(Case.Topic(self.code).label)
        if (get_language() or "").startswith("nn") and self.name_nn:
            return self.name_nn
        return self.name


# The topics are read on every list of cases: kept in the shared cache (cleared by cases.topics.topics_changed)
# so that labelling a list takes no query per row.
TOPIC_CACHE_KEY = "cases.topics.v1"
TOPIC_CACHE_SECONDS = 300


def topic_rows(*, fresh: bool = False) -> list[dict]:
    """Every topic row (code, name, name_nn, active, order), from the cache or one query (always the
    query when fresh)."""
    rows = None if fresh else cache_get(TOPIC_CACHE_KEY)
    if rows is None:
        rows = list(Topic.objects.order_by("order", "code").values("code", "name", "name_nn", "active", "order"))
        if not fresh:
            cache_set(TOPIC_CACHE_KEY, rows, TOPIC_CACHE_SECONDS)
    return rows


def topic_row_label(row) -> str:
    if row["code"] in Case.Topic.values:
        return str(Case.Topic(row["code"]).label)
    if (get_language() or "").startswith("nn") and row["name_nn"]:
        return row["name_nn"]
    return row["name"]


def topic_label(code: str) -> str:
    """The topic's name in the reader's language; the code itself for a topic that does not exist."""
    if code in Case.Topic.values:
        return str(Case.Topic(code).label)
    for row in topic_rows():
        if row["code"] == code:
            return topic_row_label(row)
    return code


class TopicMapping(models.Model):
    """The council area the inbox suggests for a topic; advisers edit it."""

    topic = models.CharField(_("topic"), max_length=32, unique=True, validators=[single_line])
    council_area = models.ForeignKey(
        "regions.CouncilArea",
        on_delete=models.CASCADE,
        related_name="topic_mappings",
        verbose_name=_("suggested council area"),
    )

    class Meta:
        verbose_name = _("topic mapping")
        verbose_name_plural = _("topic mappings")
        ordering = ["topic"]

    def __str__(self):
        return f"{self.get_topic_display()} → {self.council_area}"

    def get_topic_display(self):
        return topic_label(self.topic)


class Routing(models.Model):
    """A case sent by the coordination unit to one council area, and that area's answer."""

    class State(models.TextChoices):
        PENDING = "pending", _("Awaiting acknowledgement")
        ACKNOWLEDGED = "acknowledged", _("Acknowledged")
        ANSWERED = "answered", _("Answered")
        CANCELLED = "cancelled", _("Cancelled")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="routings", verbose_name=_("case"))
    council_area = models.ForeignKey(
        "regions.CouncilArea", on_delete=models.PROTECT, related_name="routings", verbose_name=_("council area")
    )
    routed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("routed by")
    )
    routed_at = models.DateTimeField(_("routed at"))
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by"),
    )
    answer = models.TextField(
        _("answer"), blank=True, max_length=TEXT_MAX_LENGTH, validators=text_validators(TEXT_MAX_LENGTH)
    )
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.PENDING)

    class Meta:
        verbose_name = _("routing")
        verbose_name_plural = _("routings")
        ordering = ["routed_at", "pk"]
        # Tracking reads one period's routings (cases.selectors.tracking_period). Every case list of
        # someone who works for a council area asks "which cases were routed to these areas" (and not
        # cancelled), and their start page "which are still waiting for our answer": both are answered
        # from this index alone (an index-only scan, not a visit to every routing).
        indexes = [
            models.Index(fields=["routed_at"], name="routing_routed_at"),
            models.Index(fields=["council_area", "state", "case"], name="routing_area_state_case"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "council_area"],
                condition=~Q(state="cancelled"),
                name="routing_once_per_area",
                violation_error_message=_("The case is already routed to this council area."),
            ),
        ]

    def __str__(self):
        return f"{self.case} → {self.council_area}"

    @property
    def is_waiting(self):
        return self.state in (self.State.PENDING, self.State.ACKNOWLEDGED)


class RegionRequest(models.Model):
    """A county → regions case sent to one region, and that region's answer."""

    class State(models.TextChoices):
        PENDING = "pending", _("Awaiting answer")
        ANSWERED = "answered", _("Answered")
        CANCELLED = "cancelled", _("Cancelled")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="region_requests", verbose_name=_("case"))
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="case_requests", verbose_name=_("region")
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("sent by")
    )
    sent_at = models.DateTimeField(_("sent at"))
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by"),
    )
    answer = models.TextField(
        _("answer"), blank=True, max_length=TEXT_MAX_LENGTH, validators=text_validators(TEXT_MAX_LENGTH)
    )
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.PENDING)

    class Meta:
        verbose_name = _("request to a region")
        verbose_name_plural = _("requests to regions")
        ordering = ["region__name"]
        constraints = [
            models.UniqueConstraint(fields=["case", "region"], name="region_request_once_per_region"),
        ]
        # "Which cases were sent to these regions" (and not cancelled), on every case list of a region's
        # people and advisers, and "which still wait for our answer" on a leader's start page: answered
        # from the index alone.
        indexes = [models.Index(fields=["region", "state", "case"], name="region_request_open_case")]

    def __str__(self):
        return f"{self.case} → {self.region}"


class CaseEvent(models.Model):
    """One step in a case's trail: who did what, when, from and to which status. Never changed."""

    class Action(models.TextChoices):
        CREATED = "created", _("Created")
        UPDATED = "updated", _("Updated")
        SUBMITTED = "submitted", _("Submitted")
        RECEIVED = "received", _("Received")
        ASSIGNED = "assigned", _("Assigned")
        FLAGGED = "flagged", _("Flagged as not routable")
        ROUTED = "routed", _("Routed")
        ACKNOWLEDGED = "acknowledged", _("Acknowledged")
        ROUTING_ANSWERED = "routing_answered", _("Council area answered")
        SENT_TO_REGIONS = "sent_to_regions", _("Sent to regions")
        REGION_ANSWERED = "region_answered", _("Region answered")
        ANSWERED = "answered", _("All answers in")
        ANSWER_SENT = "answer_sent", _("Answer sent")
        CLOSED = "closed", _("Closed")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        RETURNED = "returned", _("Returned for more information")
        ATTACHMENT_ADDED = "attachment_added", _("Attachment added")
        ANCHORING_RECORDED = "anchoring_recorded", _("Anchoring recorded")
        ANCHORING_REMOVED = "anchoring_removed", _("Anchoring removed")
        AGENDA_ADDED = "agenda_added", _("Put on a meeting agenda")
        MEETING_OUTCOME = "meeting_outcome", _("Outcome of a meeting")
        REFERENCE_GROUP_INPUT = "reference_group_input", _("Input from the reference group")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events", verbose_name=_("case"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    # The role the actor acted in (regions.selectors.role_acted_in): a region's leader or its secretariat,
    # council-area staff, adviser. Kept as it was then: the appointment may end, the record stays.
    actor_role = models.CharField(_("acted as"), max_length=32, blank=True, validators=[single_line])
    action = models.CharField(_("action"), max_length=32, choices=Action.choices)
    from_status = models.CharField(_("from status"), max_length=32, choices=Case.Status.choices, blank=True)
    to_status = models.CharField(_("to status"), max_length=32, choices=Case.Status.choices, blank=True)
    visibility = models.CharField(
        _("visibility"), max_length=16, choices=Case.Visibility.choices, default=Case.Visibility.SHARED
    )
    comment = models.TextField(
        _("comment"), blank=True, max_length=DOCUMENT_MAX_LENGTH, validators=text_validators(DOCUMENT_MAX_LENGTH)
    )
    created_at = models.DateTimeField(_("at"))
    # What a step recorded by an app above cases keeps for the page to say it in the reader's language
    # and for that app to tell who may read it (meetings: {"meeting": id, "meeting_label": str,
    # "agenda_item": id, "outcome": code}). Empty for the case's own steps.
    detail = models.JSONField(_("detail"), default=dict, blank=True, editable=False)

    class Meta:
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.case} {self.get_action_display()}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("Case events are append-only.")
        super().save(*args, **kwargs)

    @property
    def actor_role_display(self):
        """The recorded role in the reader's language."""
        return role_acted_in_label(self.actor_role)

    @property
    def heading_display(self):
        """The line a meeting's step opens with, in the reader's language ("Decided in <meeting>");
        empty for the case's own steps."""
        meeting = (self.detail or {}).get("meeting_label", "")
        if self.action == self.Action.MEETING_OUTCOME:
            outcome = self.detail.get("outcome")
            if outcome == "decision":
                return _("Decided in %(meeting)s") % {"meeting": meeting}
            if outcome == "information":
                return _("Presented for information in %(meeting)s") % {"meeting": meeting}
            return _("Discussed in %(meeting)s") % {"meeting": meeting}
        if self.action == self.Action.REFERENCE_GROUP_INPUT:
            return _("The reference group's input from %(meeting)s (it advises, it does not decide)") % {
                "meeting": meeting
            }
        return ""

    @property
    def comment_display(self):
        """The comment as a reader sees it: an edit records the names of the changed fields, shown by
        their labels in the reader's language ("tittel, beskrivelse", not "title, description")."""
        if self.action != self.Action.UPDATED or not self.comment:
            return self.comment
        labels = []
        for name in (part.strip() for part in self.comment.split(",")):
            try:
                labels.append(str(Case._meta.get_field(name).verbose_name))
            except FieldDoesNotExist:
                labels.append(name)
        return ", ".join(labels)


def attachment_path(instance, filename):
    """Kept because migration 0002 names it; the field now uses core.uploads.UploadField's own random
    name under cases/."""
    suffix = PurePosixPath(filename).suffix.lower()
    return f"cases/{uuid.uuid4().hex}{suffix}"


class Attachment(ScreenedModel):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("case"))
    file = UploadField(_("file"), folder="cases")
    original_name = models.CharField(_("file name"), max_length=255, validators=[single_line])
    content_type = models.CharField(_("content type"), max_length=100, validators=[single_line])
    size = models.PositiveBigIntegerField(_("size in bytes"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("uploaded by")
    )
    uploaded_at = models.DateTimeField(_("uploaded at"))

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["uploaded_at", "pk"]
        constraints = ScreenedModel.Meta.constraints

    def __str__(self):
        return self.original_name

    def get_absolute_url(self):
        return reverse("cases:attachment-download", kwargs={"pk": self.pk})

    def get_download_url(self):
        """The file's url (core.uploads.UploadField): the permission-checked download view."""
        return self.get_absolute_url()


class Anchoring(models.Model):
    """How a member municipality has treated the region's position on a case."""

    class Body(models.TextChoices):
        COUNCIL = "council", _("Municipal council")
        EXECUTIVE = "executive", _("Executive committee")
        MAYOR = "mayor", _("Mayor")

    class Stance(models.TextChoices):
        SUPPORTS = "supports", _("Supports")
        AGAINST = "against", _("Against")
        AMENDED = "amended", _("Amended")
        NOT_TREATED = "not_treated", _("Not treated")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="anchorings", verbose_name=_("case"))
    municipality = models.ForeignKey(
        "regions.Municipality", on_delete=models.PROTECT, related_name="case_anchorings", verbose_name=_("municipality")
    )
    body = models.CharField(_("body"), max_length=16, choices=Body.choices, default=Body.COUNCIL)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    reference = models.CharField(_("reference"), max_length=200, blank=True, validators=[single_line])
    link = URLField(_("link"), blank=True, validators=[single_line])
    stance = models.CharField(_("stance"), max_length=16, choices=Stance.choices, default=Stance.NOT_TREATED)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        verbose_name = _("anchoring")
        verbose_name_plural = _("anchorings")
        ordering = ["municipality__number", "body"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "municipality", "body"],
                name="anchoring_once_per_body",
                violation_error_message=_("This body's treatment is already recorded for the municipality."),
            ),
        ]

    def __str__(self):
        return f"{self.municipality} {self.get_body_display()}: {self.get_stance_display()}"


class CaseExport(models.Model):
    """A case list export too large to build during the request: built by a Celery job into private
    storage, then offered to its owner (and no one else) by a link in a notification."""

    class State(models.TextChoices):
        PENDING = "pending", _("Being prepared")
        READY = "ready", _("Ready")

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("owner")
    )
    query = models.TextField(
        _("filters"), blank=True, max_length=TEXT_MAX_LENGTH, validators=text_validators(TEXT_MAX_LENGTH)
    )
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.PENDING)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    file = UploadField(_("file"), folder="exports", blank=True)
    created_at = models.DateTimeField(_("created at"))
    started_at = models.DateTimeField(_("build started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("case export")
        verbose_name_plural = _("case exports")
        ordering = ["-created_at", "pk"]
        indexes = [models.Index(fields=["state", "created_at"], name="case_export_state_created")]

    def __str__(self):
        return f"{self.owner} {self.created_at:%Y-%m-%d %H:%M}"

    def get_absolute_url(self):
        return reverse("cases:export-download", kwargs={"pk": self.pk})

    def get_download_url(self):
        """The file's url (core.uploads.UploadField): the owner-only download view."""
        return self.get_absolute_url()
