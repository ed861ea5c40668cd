"""Everything a renderer needs to turn objects into JSON: absolute URLs, rich text, images.

The context also records each object a renderer embeds, which becomes the document's
dependencies.
"""

from typing import Any

from wagtail.models import Page
from wagtail.rich_text import expand_db_html

from ..mount import api_path
from ..public import absolute_html, absolute_url, html_to_text, page_path, page_url, public_base_url
from ..richtext import current_render, unlink
from ..visibility import Visibility
from .batch import current_batch, memo, site_setting
from .registry import source_key

# widths of the srcset; an image is never upscaled, its own width is always offered
SRCSET_WIDTHS = (320, 640, 1024, 1600)


class RenderContext:
    """One rendering pass: collects dependencies and caches visibility checks."""

    def __init__(self, visibility: Visibility | None = None) -> None:
        self.base_url = public_base_url()
        self.dependencies: set[str] = set()
        shared = current_batch.get()
        self.visibility = visibility or (shared.visibility if shared else Visibility())
        # the earliest expiry of an embedded public page: render again then
        self.refresh_at: Any = None

    # -- dependencies -----------------------------------------------------------------
    def depend(self, obj: Any) -> None:
        if obj is not None:
            self.dependencies.add(obj if isinstance(obj, str) else source_key(obj))

    def depend_on_setting(self, page: Page, setting_model: Any) -> None:
        """Depend on a site setting of the page's site (the organisation, the press office)."""
        self.depend(site_setting(page, setting_model))

    def is_public(self, page: Any) -> bool:
        """Whether an embedded page (or snippet with drafts) may be shown; recorded as a
        dependency either way, so that publishing it later renders this document again."""
        if page is None:
            return False
        self.depend(page)
        public = self.visibility.is_public(page)
        expires = getattr(page, "expire_at", None)
        if (
            public
            and expires is not None
            and (self.refresh_at is None or expires < self.refresh_at)
        ):
            self.refresh_at = expires
        return public

    # -- URLs -------------------------------------------------------------------------
    def absolute(self, url: str) -> str:
        return absolute_url(url)

    def page_url(self, page: Page) -> str:
        """The page's public URL, on the configured public host."""
        self.depend(page)
        return page_url(page)

    def page_path(self, page: Page) -> str:
        return page_path(page)

    def api_url(self, endpoint: str, object_id: Any) -> str:
        return f"{self.base_url}{api_path(endpoint, str(object_id))}"

    # -- content ----------------------------------------------------------------------
    def richtext(self, value: Any) -> dict[str, str]:
        """Rich text as HTML with internal links resolved to absolute URLs, plus plain text."""
        source = value.source if hasattr(value, "source") else str(value or "")
        html = self.absolute_html(expand_db_html(source))
        return {"html": html, "text": html_to_text(html)}

    def rendering(self):
        """Within this block, rich-text links check visibility through this context."""
        return _Rendering(self)

    def image(self, image: Any) -> dict[str, Any] | None:
        """An image with alt text, credit and a srcset generated now, at publish time."""
        if image is None:
            return None
        self.depend(image)
        # the same photo in a hundred documents of a batch: its renditions are looked up once
        return memo(("image", image.pk), lambda: self._image(image))

    def _image(self, image: Any) -> dict[str, Any]:
        widths = [w for w in SRCSET_WIDTHS if w < image.width]
        specs = [f"width-{w}" for w in widths] + [f"width-{w}|format-webp" for w in widths]
        specs += ["original", "original|format-webp"]
        renditions = image.get_renditions(*specs)
        original_format = (image.file.name.rsplit(".", 1)[-1] or "").lower().replace("jpg", "jpeg")
        sources = []
        for spec, rendition in renditions.items():
            sources.append(
                {
                    "url": self.absolute(rendition.url),
                    "width": rendition.width,
                    "height": rendition.height,
                    "format": "webp" if "format-webp" in spec else original_format,
                }
            )
        sources.sort(key=lambda s: (s["format"], s["width"]))
        focal = None
        if image.has_focal_point():
            focal = {
                "x": image.focal_point_x,
                "y": image.focal_point_y,
                "width": image.focal_point_width,
                "height": image.focal_point_height,
            }
        return {
            "id": image.pk,
            "url": self.absolute(image.file.url),
            "alt": image.default_alt_text,
            "credit": image.credit,
            "width": image.width,
            "height": image.height,
            "size": _stored_size(image),
            "mime_type": f"image/{original_format}",
            "focal_point": focal,
            "srcset": sources,
        }

    def topic_ref(self, topic: Any) -> dict[str, Any]:
        """A reference to a topic document, recorded as a dependency (a rename re-renders)."""
        self.depend(topic)
        return {
            "id": topic.slug,
            "slug": topic.slug,
            "name": topic.name,
            "api_url": self.api_url("topics", topic.slug),
        }

    def document(self, document: Any, title: str = "") -> dict[str, Any]:
        self.depend(document)
        return {
            "id": document.pk,
            "title": title or document.title,
            "url": self.absolute(document.url),
            "filename": document.filename,
            "extension": document.file_extension.lower(),
            "size": document.get_file_size(),
            "mime_type": document.content_type,
        }

    def body(self, stream: Any) -> dict[str, Any]:
        """A StreamField body as typed blocks, plus the whole as HTML and as plain text."""
        blocks = []
        for child in stream:
            kind, value = child.block_type, child.value
            if kind == "paragraph":
                data: Any = self.richtext(value)
            elif kind == "heading":
                data = {"text": value["text"], "level": value["level"]}
            elif kind == "quote":
                data = {
                    "text": value["text"],
                    "author": value["author"],
                    "author_function": value["author_function"],
                }
            elif kind == "image":
                data = {"image": self.image(value["image"]), "caption": value["caption"]}
            elif kind == "document":
                data = (
                    self.document(value["document"], value["title"]) if value["document"] else None
                )
            elif kind == "embed":
                data = {"url": value.url if value else ""}
            else:  # pragma: no cover - a new block type without a representation
                data = None
            blocks.append({"type": kind, "id": child.id, "value": data})
        html = self.absolute_html(str(stream.render_as_block())) if len(stream) else ""
        return {"html": html, "text": html_to_text(html), "blocks": blocks}

    def absolute_html(self, html: str) -> str:
        return absolute_html(unlink(html))


class _Rendering:
    def __init__(self, ctx: RenderContext) -> None:
        self.ctx = ctx

    def __enter__(self) -> RenderContext:
        self.token = current_render.set(self.ctx)
        return self.ctx

    def __exit__(self, *exc: object) -> None:
        current_render.reset(self.token)


def _stored_size(image: Any) -> int | None:
    """The original's size in bytes; read from storage (never saved: a save would re-render)."""
    if image.file_size is not None:
        return image.file_size
    try:
        return image.file.size
    except (OSError, ValueError):
        return None
