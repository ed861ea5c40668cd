"""StreamField blocks shared by every app: the body of editions and communiqués.

Rich text features are limited to what survives export to feeds, JSON and static archives.
"""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock

RICH_TEXT_FEATURES = ["h2", "h3", "h4", "bold", "italic", "link", "document-link", "ol", "ul"]


class HeadingBlock(blocks.StructBlock):
    """A section heading; the level is chosen so the public page keeps a sane outline."""

    text = blocks.CharBlock(label=_("Text"), max_length=255)
    level = blocks.ChoiceBlock(
        label=_("Level"),
        choices=[("h2", _("Level 2")), ("h3", _("Level 3")), ("h4", _("Level 4"))],
        default="h2",
    )

    class Meta:
        icon = "title"
        label = _("Heading")
        template = "assises/cms/blocks/heading.html"


class QuoteBlock(blocks.StructBlock):
    """A quotation with its author: communiqués often quote the president or a minister."""

    text = blocks.TextBlock(label=_("Quotation"))
    author = blocks.CharBlock(label=_("Author"), required=False)
    author_function = blocks.CharBlock(label=_("Author's function"), required=False)

    class Meta:
        icon = "openquote"
        label = _("Quotation")
        template = "assises/cms/blocks/quote.html"


class ImageBlock(blocks.StructBlock):
    """An image with an optional caption; alt text and credit live on the image itself."""

    image = ImageChooserBlock(label=_("Image"))
    caption = blocks.CharBlock(label=_("Caption"), required=False)

    class Meta:
        icon = "image"
        label = _("Image")
        template = "assises/cms/blocks/image.html"


class DocumentBlock(blocks.StructBlock):
    """A downloadable document (PDF of a programme, a press kit)."""

    document = DocumentChooserBlock(label=_("Document"))
    title = blocks.CharBlock(label=_("Link text"), required=False)

    class Meta:
        icon = "doc-full"
        label = _("Document")
        template = "assises/cms/blocks/document.html"


class BodyBlock(blocks.StreamBlock):
    """The body of a page: paragraphs, headings, quotations, images, documents, embeds."""

    paragraph = blocks.RichTextBlock(label=_("Paragraph"), features=RICH_TEXT_FEATURES)
    heading = HeadingBlock()
    quote = QuoteBlock()
    image = ImageBlock()
    document = DocumentBlock()
    embed = EmbedBlock(label=_("Embedded media"), icon="media")

    class Meta:
        label = _("Body")
