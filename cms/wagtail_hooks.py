"""Admin registration of the shared snippets; the rich-text link handler for public pages."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

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
