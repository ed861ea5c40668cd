"""Internal links in rich text point only at public pages.

Wagtail's page link handler writes the URL of any page, draft or embargoed ones included, which
exposed their slug in the API, feeds and HTML. This handler asks the visibility rule instead:
a link to a page that is not public becomes plain text. While the pipeline renders a document,
the check goes through its `RenderContext`, which records the target as a dependency, so that
publishing the target later re-renders the linking document with the link restored.

Outside a render (a host's own templates) it behaves as Wagtail's: replacing the link type is
not a reason to change how the host's other pages render.
"""

import re
from contextvars import ContextVar
from typing import Any

from django.utils.html import escape
from wagtail.documents.rich_text import DocumentLinkHandler
from wagtail.rich_text.pages import PageLinkHandler

# The RenderContext of the document being rendered, if any.
current_render: ContextVar[Any] = ContextVar("assises_current_render", default=None)

# What the handler writes for a link it will not show; `unlink` removes it with its end tag.
_BARE_LINK = re.compile(r"<a>(.*?)</a>", re.DOTALL)


def unlink(html: str) -> str:
    """Drop the anchors left without a target, keeping their text."""
    return _BARE_LINK.sub(r"\1", html) if "<a>" in html else html


class PublicPageLinkHandler(PageLinkHandler):
    @classmethod
    def expand_db_attributes_many(cls, attrs_list: list[dict]) -> list[str]:
        ctx = current_render.get()
        if ctx is None:  # the host's own rendering: Wagtail's behaviour, unchanged
            return super().expand_db_attributes_many(attrs_list)
        anchors = []
        for page in cls.get_many(attrs_list):
            if page is None:
                anchors.append("<a>")
                continue
            public = ctx.is_public(page)
            anchors.append(f'<a href="{escape(page.localized.url)}">' if public else "<a>")
        return anchors


class ShownDocumentLinkHandler(DocumentLinkHandler):
    """Document links as Wagtail writes them; while the pipeline renders, each linked document
    is recorded as shown by the page, which is what lets `cms.files` serve it."""

    @classmethod
    def expand_db_attributes_many(cls, attrs_list: list[dict]) -> list[str]:
        ctx = current_render.get()
        if ctx is not None:
            for document in cls.get_many(attrs_list):
                ctx.depend(document)
        return super().expand_db_attributes_many(attrs_list)
