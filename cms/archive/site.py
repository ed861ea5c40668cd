"""The bundle's static site: plain HTML pages that work opened from disk, with no server.

Templates write either the public URLs found in the stored documents or paths from the root of
the bundle (`/site/…`, `/media/…`); one pass then turns every link and image into a path
relative to the page. Public URLs of pages and files that the bundle holds become relative
links; links to pages of the site that the bundle does not hold lose their `href` (a dead link
in thirty years helps nobody); other sites' links are kept.
"""

from __future__ import annotations

import html
import posixpath
import re
from collections.abc import Iterator
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from ..public import absolute_url, public_base_url
from .registry import SitePage

_ATTRIBUTE = re.compile(r'\s(href|src)="([^"]*)"')
SITE = "site/"


def site_path(url: str) -> str:
    """Where the page at public `url` goes in the bundle: `/site/<its path>/index.html`."""
    path = urlsplit(url).path.strip("/")
    return f"/{SITE}{path}/index.html" if path else f"/{SITE}index.html"


def media_url_prefix() -> str:
    return absolute_url(settings.MEDIA_URL)


class Rewriter:
    """Maps public URLs to bundle paths and bundle paths to paths relative to a page."""

    def __init__(self, urls: dict[str, str], known: set[str]) -> None:
        self.urls = urls  # public URL (without fragment) -> "/bundle/path"
        self.known = known  # bundle paths that exist, without the leading slash
        self.base = public_base_url()
        self.media = media_url_prefix()

    def bundle_path(self, url: str) -> str | None:
        """The bundle path (from its root, with a leading slash) for a URL, when it has one."""
        if url.startswith("/") and not url.startswith("//"):
            return url if url[1:] in self.known else None
        if url in self.urls:
            return self.urls[url]
        if url.startswith(self.media):
            path = "/media/" + unquote(url[len(self.media) :])
            return path if path[1:] in self.known else None
        return None

    def relative(self, url: str, page_path: str) -> str | None:
        """`url` as seen from the bundle file `page_path`; None when it should not be a link."""
        url = html.unescape(url)
        target, _hash, fragment = url.partition("#")
        if not target:
            return url  # a fragment of the same page
        found = self.bundle_path(target)
        if found is None:
            own = target.startswith(self.base + "/") or target == self.base
            return None if own or target.startswith("/") else url
        relative = posixpath.relpath(found[1:], posixpath.dirname(page_path) or ".")
        return relative + (f"#{fragment}" if fragment else "")

    def rewrite(self, document: str, page_path: str) -> str:
        def replace(match: re.Match) -> str:
            new = self.relative(match.group(2), page_path)
            if new is None:
                return ""
            return f' {match.group(1)}="{html.escape(new, quote=True)}"'

        return _ATTRIBUTE.sub(replace, document)


def render_site(
    pages: list[SitePage], rewriter: Rewriter, base_context: dict
) -> Iterator[tuple[str, bytes]]:
    """Render each page in French with relative links: (bundle path, bytes), one at a time."""
    for page in pages:
        context = {**base_context, **page.context, "page_path": page.path}
        with translation.override(settings.LANGUAGE_CODE):
            output = render_to_string(page.template, context)
        yield page.path, rewriter.rewrite(output, page.path).encode()
