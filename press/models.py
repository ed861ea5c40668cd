"""The press office: communiqués and the people journalists call."""

from collections.abc import Callable

import phonenumbers
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultipleChooserPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.images import get_image_model_string
from wagtail.models import DraftStateMixin, Orderable, Page, RevisionMixin
from wagtail.search import index

from cms.blocks import RICH_TEXT_FEATURES, BodyBlock
from cms.conf import assises_settings
from cms.consumers.preview import HeadlessPreviewMixin
from cms.models import OrganisationSettings
from cms.ordering import TOTAL_ORDER
from cms.pages import PublicPageMixin, site_relative
from cms.visibility import Visibility


class PressContact(DraftStateMixin, RevisionMixin, index.Indexed, ClusterableModel):
    """Someone journalists can call about a communiqué (« Contact presse »).

    With drafts and revisions: a new mobile number typed while preparing an embargoed
    communiqué must not reach the communiqués and feeds already out before the press office
    publishes it. The row (phones included) holds the published version; drafts live in
    revisions. A contact never published is shown nowhere (`cms.visibility.snippet_is_public`).
    """

    name = models.CharField(_("name"), max_length=255)
    role = models.CharField(_("role"), max_length=255, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)

    panels = [FieldPanel("name"), FieldPanel("role"), FieldPanel("email"), InlinePanel("phones")]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["name"]
        verbose_name = _("press contact")
        verbose_name_plural = _("press contacts")

    def __str__(self) -> str:
        return f"{self.name} ({self.role})" if self.role else self.name


# Metropolitan France and the overseas departments dialled with a leading 0 from France.
FRENCH_NUMBERING_PLAN = {"FR", "RE", "YT", "GP", "MQ", "GF", "BL", "MF", "PM"}


class PressContactPhone(Orderable):
    """A phone number stored in E.164 so that apps can dial it and importers can match it."""

    KINDS = [("fixe", _("Landline")), ("mobile", _("Mobile")), ("autre", _("Other"))]

    contact = ParentalKey(PressContact, on_delete=models.CASCADE, related_name="phones")
    number = models.CharField(
        _("number"), max_length=20, help_text=_("French or international, e.g. 01 45 44 00 83.")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=KINDS, default="fixe")

    panels = [FieldRowPanel([FieldPanel("number"), FieldPanel("kind")])]

    class Meta(Orderable.Meta):
        ordering = TOTAL_ORDER
        verbose_name = _("phone number")
        verbose_name_plural = _("phone numbers")

    def clean(self):
        self.number = normalise_phone(self.number)

    @property
    def national(self) -> str:
        """The number as a French reader writes it: 01 45 44 00 83, or +32 2 123 45 67 for a
        number abroad (its national form, 02 123 45 67, would be dialled wrongly from France)."""
        parsed = phonenumbers.parse(self.number, "FR")
        style = (
            phonenumbers.PhoneNumberFormat.NATIONAL
            if phonenumbers.region_code_for_number(parsed) in FRENCH_NUMBERING_PLAN
            else phonenumbers.PhoneNumberFormat.INTERNATIONAL
        )
        return phonenumbers.format_number(parsed, style)

    @property
    def display(self) -> str:
        """For people reading the admin: 01 45 44 00 83 for a French number, and the
        international form (+44 20 7946 0000) for the others, which a French reader dials."""
        parsed = phonenumbers.parse(self.number, "FR")
        french = phonenumbers.region_code_for_number(parsed) == "FR"
        style = phonenumbers.PhoneNumberFormat
        return phonenumbers.format_number(parsed, style.NATIONAL if french else style.INTERNATIONAL)


def normalise_phone(raw: str) -> str:
    """Return the E.164 form of a French or international number, or raise ValidationError."""
    try:
        parsed = phonenumbers.parse(raw, "FR")
    except phonenumbers.NumberParseException as exc:
        raise ValidationError({"number": _("This is not a phone number.")}) from exc
    if not phonenumbers.is_valid_number(parsed):
        raise ValidationError({"number": _("This phone number is not valid.")})
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


@register_setting(icon="mail")
class PressSettings(BaseSiteSetting, ClusterableModel):
    """The press office's defaults.

    The default contacts live here rather than on `assises_cms.OrganisationSettings` because `cms`
    never imports its plugins; the press plugin brings its own settings screen.
    """

    panels = [InlinePanel("default_contacts", label=_("Default press contacts"))]

    class Meta:
        verbose_name = _("press office")
        verbose_name_plural = _("press office")


class DefaultPressContact(Orderable):
    settings = ParentalKey(PressSettings, on_delete=models.CASCADE, related_name="default_contacts")
    contact = models.ForeignKey(
        PressContact, verbose_name=_("contact"), on_delete=models.CASCADE, related_name="+"
    )
    panels = [FieldPanel("contact")]

    class Meta(Orderable.Meta):
        ordering = TOTAL_ORDER


class PressIndexPage(PublicPageMixin, Page):
    """The press room: lists communiqués, newest first."""

    intro = RichTextField(_("introduction"), blank=True, features=RICH_TEXT_FEATURES)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    # where the host chooses (ASSISES["PRESS_INDEX_PARENT_PAGE_TYPES"]); default: any page
    template = "assises/press/press_index_page.html"
    parent_page_types = assises_settings.PRESS_INDEX_PARENT_PAGE_TYPES
    subpage_types = ["assises_press.CommuniquePage"]

    class Meta:
        verbose_name = _("press room")
        verbose_name_plural = _("press rooms")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        from .public import communique_items, default_contacts

        document = context.get("document") or {}
        path = site_relative(document.get("url", "")) or self.url_path
        context["communiques"] = communique_items(path=path)
        context["contacts"] = default_contacts(request)
        return context


class ImportReviewPanel(FieldPanel):
    """The import's review checklist, shown only on pages an import left something to check."""

    class BoundPanel(FieldPanel.BoundPanel):
        def is_shown(self) -> bool:
            return bool(getattr(self.instance, "import_review", "")) and super().is_shown()


class CommuniquePage(PublicPageMixin, HeadlessPreviewMixin, Page):
    """A press release. Its publication date is the one printed on it, not Wagtail's.

    Embargoes use Wagtail's scheduled publishing: the go-live date, worded « Mise en ligne
    programmée (embargo) » in the admin so that it is never confused with this printed date.
    """

    dateline_place = models.CharField(
        _("dateline place"), max_length=100, default="Paris", blank=True
    )
    publication_date = models.DateField(
        _("date printed on the communiqué"),
        help_text=_(
            "The date in the dateline (« Paris, le 3 avril 2024 »). It does not put the "
            "communiqué online: for an embargo, schedule its go-live in the Status panel "
            "(« Mise en ligne programmée »)."
        ),
    )
    lead = models.TextField(_("lead"), blank=True)
    body = StreamField(BodyBlock(), verbose_name=_("body"), blank=True)
    hero_image = models.ForeignKey(
        get_image_model_string(),
        verbose_name=_("image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    boilerplate = RichTextField(
        _("about the association"),
        blank=True,
        features=["bold", "italic", "link"],
        help_text=_("Leave empty to use the organisation's paragraph."),
    )
    # Written by the importer, read by editors; never rendered into any public document.
    import_review = models.TextField(
        _("to check after import"),
        blank=True,
        help_text=_(
            "What the import could not find or is unsure of. Delete each line once checked."
        ),
    )

    content_panels = [
        ImportReviewPanel("import_review"),
        *Page.content_panels,
        FieldRowPanel([FieldPanel("dateline_place"), FieldPanel("publication_date")]),
        FieldPanel("lead"),
        FieldPanel("hero_image"),
        FieldPanel("body"),
        FieldPanel("boilerplate"),
    ]
    relations_panels = [
        MultipleChooserPanel("related_editions", chooser_field_name="edition", label=_("Editions")),
        MultipleChooserPanel("mentioned_speakers", chooser_field_name="speaker", label=_("People")),
        MultipleChooserPanel("topic_links", chooser_field_name="topic", label=_("Topics")),
    ]
    press_panels = [
        MultipleChooserPanel("contacts", chooser_field_name="contact", label=_("Press contacts")),
        InlinePanel("attachments", label=_("Attachments")),
        InlinePanel("corrections", label=_("Corrections")),
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading=_("Content")),
            ObjectList(relations_panels, heading=_("Relations")),
            ObjectList(press_panels, heading=_("Contacts and attachments")),
            ObjectList(Page.promote_panels, heading=_("Promote")),
            ObjectList(Page.settings_panels, heading=_("Settings")),
        ]
    )
    search_fields = [
        *Page.search_fields,
        index.SearchField("lead"),
        index.SearchField("body"),
        index.FilterField("publication_date"),
    ]
    template = "assises/press/communique_page.html"
    parent_page_types = ["assises_press.PressIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("communiqué")
        verbose_name_plural = _("communiqués")

    def effective_boilerplate(self) -> str:
        """This communiqué's « about » paragraph, else the organisation's."""
        if self.boilerplate:
            return self.boilerplate
        from cms.pipeline.batch import site_setting  # the pipeline imports the models

        organisation = site_setting(self, OrganisationSettings)
        return organisation.boilerplate if organisation is not None else ""

    def effective_contacts(
        self, is_public: Callable[[PressContact], bool] | None = None
    ) -> list[PressContact]:
        """The published contacts chosen here, else the press office's published defaults.

        A chosen contact still in draft is left out, and the defaults stand in when no chosen
        one is published: journalists get the press office's line rather than no one. The
        renderer passes its context's `is_public`, which also records every contact looked at
        as a dependency, so that publishing one of them renders this communiqué again.
        """
        from cms.pipeline.batch import memo, site_setting

        check = is_public or Visibility().is_public
        chosen = [link.contact for link in self.contacts.all() if check(link.contact)]
        if chosen:
            return chosen
        office = site_setting(self, PressSettings)
        if office is None:
            return []
        defaults = memo(
            ("default-contacts", office.pk),
            lambda: [d.contact for d in office.default_contacts.select_related("contact")],
        )
        return [contact for contact in defaults if check(contact)]


class CommuniqueEdition(Orderable):
    page = ParentalKey(CommuniquePage, on_delete=models.CASCADE, related_name="related_editions")
    edition = models.ForeignKey(
        "assises_events.CongressEditionPage",
        verbose_name=_("edition"),
        on_delete=models.CASCADE,
        related_name="communique_links",
    )
    panels = [FieldPanel("edition")]

    class Meta(Orderable.Meta):
        ordering = TOTAL_ORDER


class CommuniqueSpeaker(Orderable):
    page = ParentalKey(CommuniquePage, on_delete=models.CASCADE, related_name="mentioned_speakers")
    speaker = models.ForeignKey(
        "assises_events.SpeakerPage",
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="communique_links",
    )
    panels = [FieldPanel("speaker")]

    class Meta(Orderable.Meta):
        ordering = TOTAL_ORDER


class CommuniqueTopic(Orderable):
    page = ParentalKey(CommuniquePage, on_delete=models.CASCADE, related_name="topic_links")
    topic = models.ForeignKey(
        "assises_cms.Topic", verbose_name=_("topic"), on_delete=models.CASCADE, related_name="+"
    )
    panels = [FieldPanel("topic")]

    class Meta(Orderable.Meta):
        ordering = TOTAL_ORDER


class CommuniqueContact(Orderable):
    page = ParentalKey(CommuniquePage, on_delete=models.CASCADE, related_name="contacts")
    contact = models.ForeignKey(
        PressContact, verbose_name=_("contact"), on_delete=models.CASCADE, related_name="+"
    )
    panels = [FieldPanel("contact")]

    class Meta(Orderable.Meta):
        ordering = TOTAL_ORDER


class CommuniqueAttachment(Orderable):
    page = ParentalKey(CommuniquePage, on_delete=models.CASCADE, related_name="attachments")
    document = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("document"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    title = models.CharField(_("link text"), max_length=255, blank=True)
    panels = [FieldPanel("document"), FieldPanel("title")]

    class Meta(Orderable.Meta):
        ordering = TOTAL_ORDER
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")


class CommuniqueCorrection(Orderable):
    """A dated correction note: newsrooms must see what changed after publication."""

    page = ParentalKey(CommuniquePage, on_delete=models.CASCADE, related_name="corrections")
    date = models.DateField(_("date"))
    note = models.TextField(_("note"))
    panels = [FieldPanel("date"), FieldPanel("note")]

    class Meta(Orderable.Meta):
        ordering = ["date", *TOTAL_ORDER]
        verbose_name = _("correction")
        verbose_name_plural = _("corrections")


class ImportRecord(models.Model):
    """Which source file produced which page, keyed on the file's normalised fingerprint.

    Re-importing a file (even re-saved with other line endings) then updates the page it created
    instead of duplicating it; ``content_hash`` remembers what the import wrote, so a re-import
    that would write the same thing leaves the page, and any editor's changes, alone.
    """

    KINDS = [("communique", _("Communiqué"))]

    fingerprint = models.CharField(_("fingerprint"), max_length=64, unique=True)
    source_filename = models.CharField(_("source file"), max_length=255)
    page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("page"),
        on_delete=models.CASCADE,
        related_name="import_records",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=KINDS, default="communique")
    content_hash = models.CharField(_("content hash"), max_length=64, blank=True)
    imported_at = models.DateTimeField(_("imported at"))

    class Meta:
        ordering = ["-imported_at"]
        verbose_name = _("import record")
        verbose_name_plural = _("import records")

    def __str__(self) -> str:
        return self.source_filename


from .embargo.models import EmbargoLink, EmbargoOpening, Journalist  # noqa: E402, F401
