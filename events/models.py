"""Congress series, their editions with the programme, and the people who speak at them."""

import datetime
import zoneinfo

from django.conf import settings
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
from wagtail.models import Orderable, Page
from wagtail.search import index

from cms.blocks import RICH_TEXT_FEATURES, BodyBlock

from .blocks import PARTICIPANT_ROLES, SESSION_KINDS, ProgrammeBlock
from .forms import CongressEditionPageForm, SpeakerPageForm

PARIS = zoneinfo.ZoneInfo("Europe/Paris")

insee_validator = RegexValidator(
    r"^(\d{5}|2[AB]\d{3})$", _("An INSEE code has five characters, e.g. 37003 or 2A004.")
)


class CongressSeriesPage(Page):
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
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["events.CongressEditionPage"]

    class Meta:
        verbose_name = _("congress series")
        verbose_name_plural = _("congress series")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["editions"] = (
            CongressEditionPage.objects.child_of(self).live().public().order_by("-start_date")
        )
        return context


class CongressEditionPage(Page):
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
        settings.WAGTAILIMAGES_IMAGE_MODEL,
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
    parent_page_types = ["events.CongressSeriesPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("congress edition")
        verbose_name_plural = _("congress editions")

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
        verbose_name = _("document")
        verbose_name_plural = _("documents")


class SpeakerIndexPage(Page):
    """The directory of people: one page per person, whatever the number of editions."""

    intro = RichTextField(_("introduction"), blank=True, features=RICH_TEXT_FEATURES)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["events.SpeakerPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("speaker index")
        verbose_name_plural = _("speaker indexes")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["speakers"] = (
            SpeakerPage.objects.child_of(self).live().public().order_by("family_name", "given_name")
        )
        return context


class SpeakerPage(Page):
    """A person who speaks at congresses: minister, mayor, witness, journalist.

    The title is built from the names so that editors type each name once and lists can be
    sorted by family name.
    """

    HONORIFICS = [("", "—"), ("M.", _("Mr")), ("Mme", _("Ms"))]

    honorific = models.CharField(_("honorific"), max_length=5, choices=HONORIFICS, blank=True)
    given_name = models.CharField(_("given name"), max_length=100)
    family_name = models.CharField(_("family name"), max_length=100)
    current_function = models.CharField(_("current function"), max_length=255, blank=True)
    organisation = models.CharField(_("organisation"), max_length=255, blank=True)
    photo = models.ForeignKey(
        settings.WAGTAILIMAGES_IMAGE_MODEL,
        verbose_name=_("photo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    biography = RichTextField(_("biography"), blank=True, features=RICH_TEXT_FEATURES)

    base_form_class = SpeakerPageForm
    content_panels = [
        FieldRowPanel(
            [FieldPanel("honorific"), FieldPanel("given_name"), FieldPanel("family_name")]
        ),
        FieldPanel("current_function"),
        FieldPanel("organisation"),
        FieldPanel("photo"),
        FieldPanel("biography"),
    ]
    career_panels = [
        InlinePanel("past_functions", label=_("Past functions")),
        InlinePanel("links", label=_("Links")),
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading=_("Identity")),
            ObjectList(career_panels, heading=_("Career and links")),
            ObjectList(Page.promote_panels, heading=_("Promote")),
            ObjectList(Page.settings_panels, heading=_("Settings")),
        ]
    )
    search_fields = [
        *Page.search_fields,
        index.SearchField("family_name"),
        index.SearchField("given_name"),
        index.SearchField("current_function"),
        index.SearchField("organisation"),
        index.SearchField("biography"),
        index.AutocompleteField("family_name"),
    ]
    parent_page_types = ["events.SpeakerIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("speaker")
        verbose_name_plural = _("speakers")

    def full_clean(self, *args, **kwargs):
        self.title = self.build_title()
        super().full_clean(*args, **kwargs)

    def minimal_clean(self):
        # drafts are saved through minimal_clean(), which validates the title too
        self.title = self.build_title()
        super().minimal_clean()

    def build_title(self) -> str:
        return f"{self.given_name} {self.family_name}".strip()


class SpeakerFunction(Orderable):
    """An office the person held, with dates: « ministre de la Santé (2023–2024) »."""

    page = ParentalKey(SpeakerPage, on_delete=models.CASCADE, related_name="past_functions")
    function = models.CharField(_("function"), max_length=255)
    organisation = models.CharField(_("organisation"), max_length=255, blank=True)
    start_date = models.DateField(_("from"), null=True, blank=True)
    end_date = models.DateField(_("to"), null=True, blank=True)

    panels = [
        FieldPanel("function"),
        FieldPanel("organisation"),
        FieldRowPanel([FieldPanel("start_date"), FieldPanel("end_date")]),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("past function")
        verbose_name_plural = _("past functions")

    def clean(self):
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError(
                {"end_date": _("The end date must be on or after the start date.")}
            )


class SpeakerLink(Orderable):
    page = ParentalKey(SpeakerPage, on_delete=models.CASCADE, related_name="links")
    label = models.CharField(_("label"), max_length=100)
    url = models.URLField(_("address"))

    panels = [FieldPanel("label"), FieldPanel("url")]

    class Meta(Orderable.Meta):
        verbose_name = _("link")
        verbose_name_plural = _("links")


class ProgrammeSession(models.Model):
    """Relational index of published sessions, rebuilt from the programme on each publish.

    It exists so that « every session of this speaker across editions » is one SQL join rather
    than a scan of every edition's JSON. Editors never edit it; `events.services` writes it.
    """

    uuid = models.UUIDField(_("identifier"), unique=True)
    edition = models.ForeignKey(
        CongressEditionPage, on_delete=models.CASCADE, related_name="indexed_sessions"
    )
    sort_order = models.PositiveIntegerField(default=0)
    title = models.CharField(_("title"), max_length=255)
    kind = models.CharField(_("kind"), max_length=20, choices=SESSION_KINDS)
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    room = models.CharField(_("room"), max_length=255, blank=True)
    cancelled = models.BooleanField(_("cancelled"), default=False)
    topics = models.ManyToManyField("cms.Topic", related_name="sessions", blank=True)

    class Meta:
        ordering = ["start", "sort_order"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")

    def __str__(self) -> str:
        return self.title


class Participation(models.Model):
    """A speaker's role in one published session, with the function held at the time."""

    session = models.ForeignKey(
        ProgrammeSession, on_delete=models.CASCADE, related_name="participations"
    )
    speaker = models.ForeignKey(
        SpeakerPage, on_delete=models.CASCADE, related_name="participations"
    )
    role = models.CharField(_("role"), max_length=20, choices=PARTICIPANT_ROLES)
    function = models.CharField(_("function at the time"), max_length=255, blank=True)
    sort_order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["session__start", "sort_order"]
        verbose_name = _("participation")
        verbose_name_plural = _("participations")

    def __str__(self) -> str:
        return f"{self.speaker_id} – {self.role} – {self.session_id}"


class SessionState(models.Model):
    """What calendars need to know about a session across publishes: SEQUENCE and LAST-MODIFIED.

    Unlike the index above it is never deleted, so a session that is unpublished and published
    again keeps counting; `sequence` grows when time, place, title or cancellation change, as
    RFC 5545 asks, and `modified_at` moves on any published change.
    """

    uuid = models.UUIDField(primary_key=True)
    schedule_fingerprint = models.CharField(max_length=64)
    content_fingerprint = models.CharField(max_length=64)
    sequence = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    modified_at = models.DateTimeField()

    class Meta:
        verbose_name = _("session state")
        verbose_name_plural = _("session states")

    def __str__(self) -> str:
        return f"{self.uuid} #{self.sequence}"
