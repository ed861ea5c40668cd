"""Congress series and their editions: when, where, on what theme, with the programme."""

import datetime
import zoneinfo

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.fields import RichTextField, StreamField
from wagtail.images import get_image_model_string
from wagtail.models import Orderable, Page
from wagtail.search import index

from cms.blocks import RICH_TEXT_FEATURES, BodyBlock
from cms.conf import assises_settings
from cms.consumers.preview import HeadlessPreviewMixin
from cms.ordering import TOTAL_ORDER
from cms.pages import PublicPageMixin

from ..blocks import PARTICIPANT_ROLES, SESSION_KINDS, ProgrammeBlock
from ..forms import CongressEditionPageForm

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
SESSION_KIND_LABELS = dict(SESSION_KINDS)
ROLE_LABELS = dict(PARTICIPANT_ROLES)

insee_validator = RegexValidator(
    r"^(\d{5}|2[AB]\d{3})$", _("An INSEE code has five characters, e.g. 37003 or 2A004.")
)


class CongressSeriesPage(PublicPageMixin, HeadlessPreviewMixin, Page):
    """A recurring congress (« Assises des petites villes de France »): the parent of editions."""

    short_name = models.CharField(_("short name"), max_length=100, blank=True)
    description = RichTextField(_("description"), blank=True, features=RICH_TEXT_FEATURES)
    organiser = models.CharField(
        _("organiser"),
        max_length=255,
        blank=True,
        help_text=_("Leave empty to use the organisation's name."),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("short_name"),
        FieldPanel("organiser"),
        FieldPanel("description"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("description")]
    # where the host chooses (ASSISES["SERIES_PARENT_PAGE_TYPES"]); default: any page
    template = "assises/events/congress_series_page.html"
    parent_page_types = assises_settings.SERIES_PARENT_PAGE_TYPES
    subpage_types = ["assises_events.CongressEditionPage"]

    class Meta:
        verbose_name = _("congress series")
        verbose_name_plural = _("congress series")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        from cms.documents import linked_documents

        editions = linked_documents("edition", "series", [self.pk])
        context["editions"] = [e.data for e in reversed(editions)]
        return context


class CongressEditionPage(PublicPageMixin, HeadlessPreviewMixin, Page):
    """One congress: when, where, on what theme, and its full programme."""

    number = models.PositiveIntegerField(
        _("edition number"), help_text=_("Unique within the series (e.g. 27 for the 27th).")
    )
    theme = models.CharField(_("theme"), max_length=255, blank=True)
    tagline = models.CharField(_("tagline"), max_length=255, blank=True)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    host_town = models.CharField(_("host town"), max_length=100)
    host_town_insee = models.CharField(
        _("INSEE code"), max_length=5, blank=True, validators=[insee_validator]
    )
    departement = models.CharField(_("département"), max_length=100, blank=True)
    region = models.CharField(_("région"), max_length=100, blank=True)
    venue_name = models.CharField(_("venue"), max_length=255, blank=True)
    venue_address = models.CharField(_("venue address"), max_length=255, blank=True)
    venue_latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    venue_longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    summary = models.TextField(_("summary"), blank=True)
    body = StreamField(BodyBlock(), verbose_name=_("body"), blank=True)
    hero_image = models.ForeignKey(
        get_image_model_string(),
        verbose_name=_("hero image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    programme = StreamField(ProgrammeBlock(), verbose_name=_("programme"), blank=True)
    archived = models.BooleanField(
        _("archived"), default=False, help_text=_("Set by the archiving action; read-only.")
    )

    content_panels = [
        *Page.content_panels,
        FieldRowPanel([FieldPanel("number"), FieldPanel("start_date"), FieldPanel("end_date")]),
        FieldPanel("theme"),
        FieldPanel("tagline"),
        FieldPanel("summary"),
        FieldPanel("hero_image"),
        FieldPanel("body"),
    ]
    place_panels = [
        MultiFieldPanel(
            [
                FieldPanel("host_town"),
                FieldPanel("host_town_insee"),
                FieldPanel("departement"),
                FieldPanel("region"),
            ],
            heading=_("Host town"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("venue_name"),
                FieldPanel("venue_address"),
                FieldRowPanel([FieldPanel("venue_latitude"), FieldPanel("venue_longitude")]),
            ],
            heading=_("Venue"),
        ),
    ]
    base_form_class = CongressEditionPageForm
    programme_panels = [FieldPanel("programme")]
    documents_panels = [InlinePanel("documents", label=_("Documents"))]
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading=_("Content")),
            ObjectList(place_panels, heading=_("Place")),
            ObjectList(programme_panels, heading=_("Programme")),
            ObjectList(documents_panels, heading=_("Documents")),
            ObjectList(Page.promote_panels, heading=_("Promote")),
            ObjectList(
                [*Page.settings_panels, FieldPanel("archived", read_only=True)],
                heading=_("Settings"),
            ),
        ]
    )
    search_fields = [
        *Page.search_fields,
        index.SearchField("theme"),
        index.SearchField("summary"),
        index.SearchField("host_town"),
        index.SearchField("body"),
        index.FilterField("start_date"),
        index.FilterField("archived"),
    ]
    template = "assises/events/congress_edition_page.html"
    parent_page_types = ["assises_events.CongressSeriesPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("congress edition")
        verbose_name_plural = _("congress editions")
        permissions = [("archive_congresseditionpage", _("Can archive congress editions"))]

    def permissions_for_user(self, user):
        """An archived edition is the record: nobody deletes or moves it until it is unarchived.

        Refusing in the permission tester hides « Supprimer » and « Déplacer » everywhere
        (header, listings, bulk actions) and stops Wagtail's delete and move actions too; the
        lock's message says why (`events.locks`).
        """
        from ..locks import ArchivedPagePermissionTester

        return ArchivedPagePermissionTester(user, self)

    def get_lock(self):
        """An archived edition is locked for everyone until it is unarchived (`events.services`)."""
        if self.archived:
            from ..locks import ArchivedLock

            return ArchivedLock(self)
        return super().get_lock()

    def get_context(self, request, *args, **kwargs):
        from ..public import programme_days

        context = super().get_context(request, *args, **kwargs)
        context["days"] = programme_days((context.get("document") or {}).get("sessions", []))
        return context

    @property
    def status(self) -> str:
        """upcoming / ongoing / past, from the dates in Paris time; `archived` wins."""
        if self.archived:
            return "archived"
        today = timezone.localdate(timezone=PARIS)
        if today < self.start_date:
            return "upcoming"
        if today > self.end_date:
            return "past"
        return "ongoing"

    @cached_property
    def sessions(self) -> list[dict]:
        """The programme as plain dicts with aware datetimes, in chronological order."""
        sessions = []
        for child in self.programme:
            if child.block_type != "session":
                continue
            value = child.value
            sessions.append(
                {
                    "id": child.id,
                    "value": value,
                    "raw": child.get_prep_value()["value"],
                    "kind_label": SESSION_KIND_LABELS.get(value["kind"], ""),
                    "participants": [
                        {
                            "speaker": p["speaker"],
                            "role": p["role"],
                            "role_label": ROLE_LABELS.get(p["role"], ""),
                            "function": p["function"],
                        }
                        for p in value["participants"]
                    ],
                    "start": datetime.datetime.combine(
                        value["date"], value["start_time"], tzinfo=PARIS
                    ),
                    "end": datetime.datetime.combine(
                        value["date"], value["end_time"], tzinfo=PARIS
                    ),
                }
            )
        return sorted(sessions, key=lambda s: (s["start"], s["end"]))

    def clean(self):
        super().clean()
        errors = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("The end date must be on or after the start date.")
        parent = self.get_parent() if self.path else getattr(self, "_validation_parent", None)
        if self.number is not None and parent is not None:
            siblings = CongressEditionPage.objects.child_of(parent).filter(number=self.number)
            if self.pk:
                siblings = siblings.exclude(pk=self.pk)
            if siblings.exists():
                errors["number"] = _("Edition number %(number)s already exists in this series.") % {
                    "number": self.number
                }
        if self.start_date and self.end_date and "end_date" not in errors:
            outside = [
                child.value["title"]
                for child in self.programme
                if child.block_type == "session"
                and child.value.get("date") is not None  # a missing day is the block's error
                and not (self.start_date <= child.value["date"] <= self.end_date)
            ]
            if outside:
                errors["programme"] = _(
                    "These sessions fall outside the edition's dates: %(titles)s."
                ) % {"titles": ", ".join(outside)}
        if errors:
            raise ValidationError(errors)


class EditionDocument(Orderable):
    """A typed document attached to an edition (programme PDF, press kit, proceedings)."""

    KINDS = [
        ("programme", _("Programme")),
        ("dossier_presse", _("Press kit")),
        ("actes", _("Proceedings")),
        ("presentation", _("Presentation")),
        ("autre", _("Other")),
    ]
    page = ParentalKey(CongressEditionPage, on_delete=models.CASCADE, related_name="documents")
    document = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("document"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=KINDS, default="programme")
    title = models.CharField(
        _("title"), max_length=255, blank=True, help_text=_("Leave empty to use the file's title.")
    )

    panels = [FieldPanel("document"), FieldPanel("kind"), FieldPanel("title")]

    class Meta(Orderable.Meta):
        ordering = TOTAL_ORDER
        verbose_name = _("document")
        verbose_name_plural = _("documents")
