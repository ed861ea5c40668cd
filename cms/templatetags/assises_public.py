"""Filters for public templates that read stored documents (`cms.pages`)."""

import datetime

from django import template
from django.utils.safestring import SafeString, mark_safe

from cms.pages import relative_html, site_relative

register = template.Library()


@register.filter
def isodate(value: str | None) -> datetime.date | datetime.datetime | None:
    """A document's ISO 8601 date or datetime as a Python object, for Django's `date` filter."""
    if not value:
        return None
    try:
        if len(value) == 10:
            return datetime.date.fromisoformat(value)
        return datetime.datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return None


@register.filter
def relative(url: str) -> str:
    """A URL on the public host, site-relative (see `cms.pages.site_relative`)."""
    return site_relative(url or "")


@register.filter
def document_html(value: dict | str | None) -> SafeString:
    """Rich text of a document (`{"html", "text"}` or HTML), sanitised at publish time."""
    html = value.get("html", "") if isinstance(value, dict) else (value or "")
    return mark_safe(relative_html(html))  # noqa: S308 - the pipeline stored sanitised HTML


@register.filter
def srcset(image: dict | None, image_format: str = "") -> str:
    """The `srcset` attribute of a document image, for one format (webp or the original's)."""
    if not image:
        return ""
    sources = [
        s for s in image.get("srcset") or [] if (s["format"] == "webp") == (image_format == "webp")
    ]
    return ", ".join(f"{site_relative(s['url'])} {s['width']}w" for s in sources)
