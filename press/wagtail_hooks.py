"""Admin registration of the press office's snippets and of the communiqué importer."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from . import views
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


class ImportMenuItem(MenuItem):
    """Shown only to editors who may add communiqués to a press room."""

    def is_shown(self, request) -> bool:
        return bool(views.press_rooms_for(request.user))


@hooks.register("register_admin_urls")
def register_import_urls():
    return [path("press/import/", views.import_view, name="press_import")]


@hooks.register("register_admin_menu_item")
def register_import_menu_item():
    return ImportMenuItem(_("Import"), reverse("press_import"), icon_name="upload", order=215)
