"""Shared core: the organisation's identity, the topic taxonomy, stored documents, the change log.

Congress and press content live in the `events` and `press` plugins; nothing here knows them.
"""

import uuid

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, ObjectList, TabbedInterface
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField
from wagtail.images import get_image_model_string
from wagtail.search import index


class Topic(index.Indexed, models.Model):
    """A theme the association works on (housing, medical deserts, ZAN…).

    One flat, slugged list shared by sessions and communiqués, so a partner site can follow
    « logement » across congresses and press releases alike.
    """

    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True, allow_unicode=False)
    description = models.TextField(_("description"), blank=True)

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("description")]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["name"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")

    def __str__(self) -> str:
        return self.name


@register_setting(icon="group")
class OrganisationSettings(BaseSiteSetting):
    """Who publishes: the association's identity, reused by communiqués, feeds and JSON-LD."""

    name = models.CharField(_("name"), max_length=255, blank=True)
    acronym = models.CharField(_("acronym"), max_length=30, blank=True)
    tagline = models.CharField(_("tagline"), max_length=255, blank=True)
    boilerplate = RichTextField(
        _("about the association"),
        blank=True,
        features=["bold", "italic", "link"],
        help_text=_("The « about » paragraph printed at the end of every communiqué."),
    )
    logo = models.ForeignKey(
        get_image_model_string(),
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    website = models.URLField(_("website"), blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    street_address = models.CharField(_("street address"), max_length=255, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=10, blank=True)
    locality = models.CharField(_("town"), max_length=100, blank=True)
    country = models.CharField(_("country"), max_length=2, default="FR")

    identity_panels = [
        FieldPanel("name"),
        FieldPanel("acronym"),
        FieldPanel("tagline"),
        FieldPanel("logo"),
        FieldPanel("boilerplate"),
    ]
    contact_panels = [
        FieldPanel("website"),
        FieldPanel("email"),
        MultiFieldPanel(
            [
                FieldPanel("street_address"),
                FieldPanel("postal_code"),
                FieldPanel("locality"),
                FieldPanel("country"),
            ],
            heading=_("Postal address"),
        ),
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(identity_panels, heading=_("Identity")),
            ObjectList(contact_panels, heading=_("Contact")),
        ]
    )

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisation")

    def __str__(self) -> str:
        return self.name or str(self._meta.verbose_name)


@register_setting(icon="view")
class PreviewSettings(BaseSiteSetting):
    """Where editors preview drafts in a partner's own layout (`cms.consumers.preview`)."""

    url_template = models.CharField(
        _("partner preview URL"),
        max_length=500,
        blank=True,
        help_text=_(
            "For example https://partenaire.example/apercu?token={token}. The partner site "
            "fetches /api/v1/preview/?token=… to show the draft."
        ),
    )

    class Meta:
        verbose_name = _("headless preview")
        verbose_name_plural = _("headless preview")


class PreviewSnapshot(models.Model):
    """The content an editor was previewing, frozen, for one signed, expiring token."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    content_json = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["created_at"])]

    def __str__(self) -> str:
        return str(self.id)


class StoredDocument(index.Indexed, models.Model):
    """One API document, rendered once when its source was published and served as bytes.

    Readers (API, feeds, exports, archive) never serialize pages: they read `body` (the detail
    representation) or `item` (the list representation) and the columns lists filter and sort
    on. `cms.pipeline` writes these rows; nothing else does.
    """

    kind = models.CharField(max_length=30)
    object_id = models.CharField(max_length=64)
    source = models.CharField(max_length=100, db_index=True)
    locale = models.CharField(max_length=10, default="fr")
    body = models.BinaryField()
    item = models.BinaryField()
    etag = models.CharField(max_length=70)
    last_modified = models.DateTimeField()
    rendered_at = models.DateTimeField(auto_now=True)
    path = models.CharField(max_length=255, blank=True, db_index=True)
    title = models.CharField(max_length=255)
    sort_title = models.CharField(max_length=255)
    sort_date = models.DateTimeField(null=True)
    date_start = models.DateTimeField(null=True)
    date_end = models.DateTimeField(null=True)
    year = models.PositiveIntegerField(null=True)
    number = models.PositiveIntegerField(null=True)
    archived = models.BooleanField(default=False)
    expires_at = models.DateTimeField(null=True)
    # The earliest moment something the document embeds expires (a speaker, an edition): the
    # scheduler re-renders the source then, so an expired relation never lingers inside it.
    refresh_at = models.DateTimeField(null=True, db_index=True)
    search_text = models.TextField(blank=True)

    search_fields = [
        index.SearchField("search_text"),
        index.SearchField("title", boost=3),
        index.FilterField("kind"),
        index.FilterField("locale"),
    ]
    # The pipeline indexes what it writes in bulk, once per batch (`cms.pipeline.store`):
    # one index write per saved row cost more than rendering the document.
    search_auto_update = False

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="unique_document")
        ]
        indexes = [
            # covering the filters and the count: the row itself holds the large JSON bytes
            models.Index(
                fields=["kind", "sort_date", "date_start", "date_end", "expires_at"],
                name="document_dates",
            ),
            # the count of a list: visibility and date filters and the id (for the link
            # semi-join) without touching the wide rows, which hold the summary inline
            models.Index(
                fields=["kind", "expires_at", "date_start", "date_end", "id"],
                name="document_count",
            ),
            models.Index(fields=["kind", "sort_title"]),
            models.Index(fields=["kind", "last_modified"]),
        ]
        verbose_name = _("API document")
        verbose_name_plural = _("API documents")

    def __str__(self) -> str:
        return f"{self.kind}:{self.object_id}"


class DocumentLink(models.Model):
    """A filterable relation of a document: ("topic", "logement"), ("speaker", "12")…

    Filters become an indexed `IN (SELECT …)` on this table instead of JSON parsing.
    """

    document = models.ForeignKey(StoredDocument, on_delete=models.CASCADE, related_name="links")
    key = models.CharField(max_length=30)
    value = models.CharField(max_length=100)

    class Meta:
        indexes = [
            # covering: a filter's `IN (SELECT document_id …)` reads the index only
            models.Index(fields=["key", "value", "document"], name="document_link_lookup"),
        ]

    def __str__(self) -> str:
        return f"{self.key}={self.value}"


class DocumentDependency(models.Model):
    """ "This document shows data of `target`": when `target` changes, the document is re-rendered.

    Targets are source keys (`page:12`, `cms.topic:3`), not foreign keys, so that a deleted
    object still finds the documents that showed it.
    """

    document = models.ForeignKey(
        StoredDocument, on_delete=models.CASCADE, related_name="dependencies"
    )
    target = models.CharField(max_length=100, db_index=True)

    def __str__(self) -> str:
        return f"{self.document_id} → {self.target}"


class ChangeLogEntry(models.Model):
    """One change of the public state: a document created, replaced or removed, in commit order.

    The pipeline appends rows in the same transaction as the document writes, holding a lock
    that serialises writers, so the primary key (`seq`) grows in commit order: a reader that has
    seen entry N has seen everything before it. Every cache key, list ETag and Last-Modified that
    must agree across processes is derived from this table, never from per-process state; the
    change feed, webhooks and cache purges read it too. Compaction (`compact_change_log`) drops
    entries superseded by a later one for the same document once they are older than the
    retention period; a cursor older than the oldest kept entry must resynchronise.
    """

    UPSERT = "upsert"
    DELETE = "delete"
    OPERATIONS = [(UPSERT, "upsert"), (DELETE, "delete")]

    seq = models.BigAutoField(primary_key=True)
    kind = models.CharField(max_length=30)
    object_id = models.CharField(max_length=64)
    locale = models.CharField(max_length=10, default="fr")
    operation = models.CharField(max_length=6, choices=OPERATIONS)
    etag = models.CharField(max_length=70, blank=True)
    source = models.CharField(max_length=100)
    reason = models.CharField(max_length=30)
    created_at = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(fields=["kind", "seq"], name="changelog_kind_seq"),
            models.Index(fields=["kind", "object_id", "seq"], name="changelog_document_seq"),
        ]
        verbose_name = _("change log entry")
        verbose_name_plural = _("change log")

    def __str__(self) -> str:
        return f"#{self.seq} {self.operation} {self.kind}:{self.object_id} ({self.reason})"


class ChangeLogCompaction(models.Model):
    """One run of `compact_change_log`: entries at or below `horizon` may have been removed.

    A consumer whose cursor is below the latest horizon has missed entries it can no longer
    read, and must start again from the current state.
    """

    horizon = models.BigIntegerField()
    removed = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("change log compaction")
        verbose_name_plural = _("change log compactions")

    def __str__(self) -> str:
        return f"≤ #{self.horizon} ({self.removed})"


class WebhookEndpoint(models.Model):
    """A partner's receiver: the change log's events, signed per Standard Webhooks 1.0.

    `cursor` is the last change-log entry turned into deliveries for it, so events reach each
    subscriber once and in log order, whichever worker dispatches them.
    """

    EVENTS = ["published", "updated", "unpublished", "deleted", "archived"]

    url = models.URLField(_("URL"), max_length=500)
    description = models.CharField(_("description"), max_length=255, blank=True)
    secret = models.CharField(_("secret"), max_length=100, editable=False)
    events = models.JSONField(_("events"), default=list, blank=True, help_text=_("Empty: all."))
    kinds = models.JSONField(_("kinds"), default=list, blank=True, help_text=_("Empty: all."))
    active = models.BooleanField(_("active"), default=True)
    cursor = models.BigIntegerField(default=0, editable=False)
    locked_until = models.DateTimeField(null=True, editable=False)
    disabled_reason = models.CharField(max_length=255, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("webhook")
        verbose_name_plural = _("webhooks")

    def __str__(self) -> str:
        return self.url


class WebhookDelivery(models.Model):
    """One event for one endpoint: what was sent, and every attempt's outcome."""

    PENDING, DELIVERED, FAILED = "pending", "delivered", "failed"
    STATUSES = [(PENDING, _("pending")), (DELIVERED, _("delivered")), (FAILED, _("failed"))]

    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries"
    )
    seq = models.BigIntegerField()
    event_type = models.CharField(max_length=40)
    payload = models.TextField()
    status = models.CharField(max_length=10, choices=STATUSES, default=PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True)
    response_code = models.PositiveIntegerField(null=True)
    response_excerpt = models.CharField(max_length=500, blank=True)
    duration_ms = models.PositiveIntegerField(null=True)
    created_at = models.DateTimeField(auto_now_add=True)
    delivered_at = models.DateTimeField(null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["endpoint", "seq"], name="one_delivery_per_event")
        ]
        indexes = [models.Index(fields=["endpoint", "status", "seq"])]
        ordering = ["-seq"]
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")

    def __str__(self) -> str:
        return f"{self.message_id} {self.event_type} ({self.status})"

    @property
    def message_id(self) -> str:
        """`webhook-id`: the same on every retry, so receivers can deduplicate."""
        return f"msg_{self.endpoint_id}_{self.seq}"


class WorkerHeartbeat(models.Model):
    """A task worker's lease (`run_worker`): alive as long as it beats.

    django-tasks' database backend marks a task RUNNING when a worker claims it and never looks
    at it again: a worker killed mid-task would leave it running forever, its work undone. Each
    of our workers beats here; a running task whose worker stopped beating is handed back to be
    run again (`cms.pipeline.leases`).
    """

    worker_id = models.CharField(max_length=64, primary_key=True)
    queues = models.CharField(max_length=255)
    host = models.CharField(max_length=255, blank=True)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    beat_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("task worker")
        verbose_name_plural = _("task workers")

    def __str__(self) -> str:
        return f"{self.worker_id} ({self.queues})"
