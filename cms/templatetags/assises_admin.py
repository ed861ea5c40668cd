"""Admin template tags: buttons that plugins want in plain view in a page's header.

Wagtail puts every `register_page_header_buttons` item in the "⋯" menu. Actions an editor looks
for on a page (« Archiver ») register with `register_page_header_visible_buttons` instead:
`fn(page, user, view_name) -> list[Button]`, shown beside the breadcrumbs.
"""

from django import template
from wagtail import hooks

register = template.Library()


@register.simple_tag
def page_header_visible_buttons(page, user, view_name: str = "edit") -> list:
    """The buttons the plugins' hooks give for this page and user, in hook order."""
    if page is None or user is None or not getattr(page, "pk", None):
        return []
    buttons = []
    for hook in hooks.get_hooks("register_page_header_visible_buttons"):
        buttons.extend(hook(page=page, user=user, view_name=view_name) or [])
    return buttons
