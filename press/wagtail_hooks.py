"""Admin registration of the press office's snippets."""

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import PressContact


class PressContactViewSet(SnippetViewSet):
    model = PressContact
    icon = "mail"
    menu_label = _("Press contacts")
    menu_order = 210
    add_to_admin_menu = True
    list_display = ["name", "role", "email"]
    search_fields = ["name", "email"]


register_snippet(PressContactViewSet)
