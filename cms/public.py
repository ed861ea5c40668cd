"""Public URLs and text, shared by the pipeline and the exports.

Documents and feeds are rendered ahead of any request and cached, so they never use the
request's host: absolute URLs come from `ASSISES["PUBLIC_URL"]`, else Wagtail's
`WAGTAILADMIN_BASE_URL`.
"""

import html as html_lib
import re
from types import SimpleNamespace

import nh3
from django.conf import settings

from .conf import assises_settings

_RELATIVE_LINK = re.compile(r'\b(href|src)="(/[^"/][^"]*|/)"')


def public_base_url() -> str:
    """Where the public site lives, without a trailing slash."""
    base = assises_settings.PUBLIC_URL or getattr(settings, "WAGTAILADMIN_BASE_URL", "")
    return (base or "").rstrip("/")


def absolute_url(url: str) -> str:
    """`url` on the public host; absolute, mailto:, tel: and fragment URLs are kept as they are."""
    if not url or url.startswith(("http://", "https://", "mailto:", "tel:", "#")):
        return url
    return public_base_url() + (url if url.startswith("/") else "/" + url)


def absolute_html(html: str) -> str:
    """The same HTML with site-relative links and images made absolute, for other sites' readers."""
    return _RELATIVE_LINK.sub(lambda m: f'{m.group(1)}="{absolute_url(m.group(2))}"', html)


def html_to_text(html: str) -> str:
    """Readable plain text from rich text: block ends become line breaks, entities are decoded.

    Pure, so a rendering batch converts each distinct text once (the same boilerplate closes
    every communiqué)."""
    from .pipeline.batch import memo  # the pipeline imports this module

    html = str(html or "")
    return memo(("text", html), lambda: _html_to_text(html))


_BLOCK_END = re.compile(r"</(?:p|h[1-6]|li|blockquote|figcaption)>|<br\s*/?>")
_SPACES = re.compile(r"[ \t\xa0]+")


def _html_to_text(html: str) -> str:
    text = _BLOCK_END.sub("\n", html)
    text = html_lib.unescape(nh3.clean(text, tags=set()))  # strip_tags, ten times faster
    lines = _SPACES.sub(" ", text).splitlines()
    return "\n".join(stripped for line in lines if (stripped := line.strip()))


def page_path(page) -> str:
    """The page's path on its site (with the language prefix), whatever the number of sites.

    Within a rendering batch each page's path is computed once (a speaker named by 750
    communiqués is not routed 750 times)."""
    from .pipeline.batch import memo  # the pipeline imports this module

    def compute() -> str:
        # Wagtail reads the sites' root paths from the cache for every page unless handed an
        # object to keep them on: one per batch.
        holder = memo(("site-root-paths",), SimpleNamespace)
        parts = page.get_url_parts(holder)
        return parts[2] if parts else ""

    return memo(("path", page.pk), compute) if page.pk else compute()


def page_url(page) -> str:
    """A page's public URL on the public host."""
    return absolute_url(page_path(page))
