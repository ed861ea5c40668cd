"""Admin registration of the shared snippets, the rich-text link handler for public pages and the
« Importer » menu item (the import screens themselves come from the plugins)."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .importing.screens import import_screens_for
from .models import Topic
from .richtext import PublicPageLinkHandler


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
    from .admin_webhooks import DeliveryViewSet, WebhookViewSet

    return [WebhookViewSet(), DeliveryViewSet()]


@hooks.register("register_admin_urls")
def webhook_urls():
    from .admin_webhooks import urlpatterns

    return urlpatterns


@hooks.register("register_rich_text_features", order=100)  # after Wagtail's own handler
def public_page_links(features) -> None:
    features.register_link_type(PublicPageLinkHandler)


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
