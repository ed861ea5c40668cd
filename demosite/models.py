"""The demo site's own models: its home page and its image model.

A host brings its own; Assises works with whatever home page and image model it has
(`wagtailimages.Image` included). The demo shows what a credited image adds: a press photo's
credit travels with it into documents, feeds and JSON-LD.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.images.models import AbstractImage, AbstractRendition, Image
from wagtail.models import Page

from cms.blocks import RICH_TEXT_FEATURES
from cms.files import UnguessableFileNameMixin
from cms.pages import PublicPageMixin, home_page_sections


class CreditedImage(UnguessableFileNameMixin, AbstractImage):
    """An image that always carries its credit: press photos may not be published without it.

    Its files are stored under random names (`UnguessableFileNameMixin`): an embargoed photo's
    subject is not a way to its URL.

    The alt text is Wagtail's `description` field, shown to editors as « Texte alternatif ».
    Assises reads `credit` where the host's image model has it, and leaves it empty otherwise.
    """

    credit = models.CharField(_("credit"), max_length=255, blank=True)

    admin_form_fields = (*Image.admin_form_fields, "credit")

    class Meta(AbstractImage.Meta):
        verbose_name = _("image")
        verbose_name_plural = _("images")


class CreditedRendition(AbstractRendition):
    image = models.ForeignKey(CreditedImage, on_delete=models.CASCADE, related_name="renditions")

    class Meta:
        unique_together = (("image", "filter_spec", "focal_point_key"),)


class HomePage(PublicPageMixin, Page):
    """The root of the demo site: a short introduction, then what the plugins put forward (the
    current edition, the latest communiqués, the next sessions: `cms.registry.home_sections`).
    """

    intro = RichTextField(_("introduction"), blank=True, features=RICH_TEXT_FEATURES)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["wagtailcore.Page"]
    max_count_per_parent = 1
    template = "demosite/home_page.html"

    class Meta:
        verbose_name = _("home page")
        verbose_name_plural = _("home pages")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["sections"] = home_page_sections(request, self)
        return context
