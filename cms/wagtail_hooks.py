"""Admin registration of the shared snippets, the rich-text link handlers, the check before a
document is served and the « Importer » menu item (the import screens come from the plugins)."""

from django.templatetags.static import static
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.action_menu import ActionMenuItem
from wagtail.admin.menu import MenuItem
from wagtail.models import Page
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .conf import assises_settings
from .files import before_serve_document
from .importing.screens import import_screens_for
from .models import Topic
from .richtext import PublicPageLinkHandler, ShownDocumentLinkHandler
from .treelock import lock_page_tree


class TopicViewSet(SnippetViewSet):
    model = Topic
    icon = "tag"
    menu_label = _("Topics")
    menu_order = 200
    add_to_admin_menu = True
    list_display = ["name", "slug"]
    search_fields = ["name"]


register_snippet(TopicViewSet)


@hooks.register("register_admin_viewset")
def webhook_viewsets():
    from .consumers.webhooks_admin import DeliveryViewSet, WebhookViewSet

    return [WebhookViewSet(), DeliveryViewSet()]


@hooks.register("register_admin_urls")
def webhook_urls():
    from .consumers.webhooks_admin import urlpatterns

    return urlpatterns


@hooks.register("register_rich_text_features", order=100)  # after Wagtail's own handler
def public_page_links(features) -> None:
    features.register_link_type(PublicPageLinkHandler)
    features.register_link_type(ShownDocumentLinkHandler)


# Attachments are served only while a public page shows them (cms/files.py says why and how).
hooks.register("before_serve_document", before_serve_document)
hooks.register("before_delete_page", lock_page_tree)


class ImportMenuItem(MenuItem):
    """« Importer »: shown to editors who may use at least one import screen, opening the first."""

    def is_shown(self, request) -> bool:
        return bool(import_screens_for(request.user))

    def render_component(self, request):
        component = super().render_component(request)
        component.url = import_screens_for(request.user)[0].url
        return component


@hooks.register("register_admin_menu_item")
def register_import_menu_item():
    return ImportMenuItem(_("Import"), "#", icon_name="upload", order=215)


class PublishNowMenuItem(ActionMenuItem):
    """« Publier maintenant » in the action menu of a page scheduled for later (`cms.scheduling`).

    Shown even though Wagtail locks scheduled pages: publishing now is what the lock is about.
    It posts to its own view (Wagtail's `w-action` controller adds the CSRF token) instead of
    submitting the edit form, which a locked page refuses.
    """

    name = "action-publish-now"
    label = _("Publish now")
    icon_name = "upload"
    template_name = "assises/cms/admin/publish_now_menu_item.html"
    order = 5

    def is_shown(self, context) -> bool:
        from .scheduling import can_publish_now

        if context["view"] != "edit":
            return False
        page = context["page"]
        record = Page.objects.get(pk=page.pk)
        return record.scheduled_revision is not None and can_publish_now(
            record, context["request"].user
        )

    def get_url(self, parent_context) -> str:
        return reverse("cms_publish_now", args=[parent_context["page"].pk])


@hooks.register("register_page_action_menu_item")
def publish_now_menu_item():
    return PublishNowMenuItem()


@hooks.register("register_admin_urls")
def publish_now_urls():
    from .scheduling import publish_now_view

    return [
        path("assises/pages/<int:page_id>/publish-now/", publish_now_view, name="cms_publish_now")
    ]


@hooks.register("insert_global_admin_css")
def admin_css() -> str:
    """Layout fixes for Wagtail's admin (cms/static/assises/admin.css says which and why).

    They change every admin page, so only a host that opts in gets them
    (``ASSISES["ADMIN_EDITOR_FIXES"]``; the demo site does)."""
    if not assises_settings.ADMIN_EDITOR_FIXES:
        return ""
    return format_html('<link rel="stylesheet" href="{}">', static("assises/admin.css"))


@hooks.register("insert_editor_js")
def editor_js() -> str:
    """A submitted editor form stops autosave (cms/static/assises/editor.js says why): on the
    forms of Assises's own page types, or on every page type where the host opts in."""
    scope = "all" if assises_settings.ADMIN_EDITOR_FIXES else "assises"
    return format_html(
        '<script src="{}" data-assises-scope="{}"></script>', static("assises/editor.js"), scope
    )
