"""The people who speak at congresses, once each whatever the number of editions."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, ObjectList, TabbedInterface
from wagtail.fields import RichTextField
from wagtail.images import get_image_model_string
from wagtail.models import Orderable, Page
from wagtail.search import index

from cms.blocks import RICH_TEXT_FEATURES
from cms.conf import assises_settings
from cms.consumers.preview import HeadlessPreviewMixin
from cms.ordering import TOTAL_ORDER
from cms.pages import PublicPageMixin, site_relative

from ..forms import SpeakerPageForm


class SpeakerIndexPage(PublicPageMixin, Page):
    """The directory of people: one page per person, whatever the number of editions."""

    intro = RichTextField(_("introduction"), blank=True, features=RICH_TEXT_FEATURES)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    # where the host chooses (ASSISES["SPEAKER_INDEX_PARENT_PAGE_TYPES"]); default: any page
    template = "assises/events/speaker_index_page.html"
    parent_page_types = assises_settings.SPEAKER_INDEX_PARENT_PAGE_TYPES
    subpage_types = ["assises_events.SpeakerPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("speaker index")
        verbose_name_plural = _("speaker indexes")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        from cms.documents import read, visible

        document = context.get("document") or {}
        path = site_relative(document.get("url", "")) or self.url_path
        speakers = visible("speaker").filter(path__startswith=path).order_by("sort_title")
        context["speakers"] = [d.data for d in read(speakers)]
        return context


class SpeakerPage(PublicPageMixin, HeadlessPreviewMixin, Page):
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
        get_image_model_string(),
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
    template = "assises/events/speaker_page.html"
    parent_page_types = ["assises_events.SpeakerIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("speaker")
        verbose_name_plural = _("speakers")

    def get_context(self, request, *args, **kwargs):
        from ..public import participations_by_edition

        context = super().get_context(request, *args, **kwargs)
        participations = (context.get("document") or {}).get("participations", [])
        context["editions"] = participations_by_edition(participations)
        return context

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
        ordering = TOTAL_ORDER
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
        ordering = TOTAL_ORDER
        verbose_name = _("link")
        verbose_name_plural = _("links")
