"""Admin registration of the press office's snippets and of the communiqué importer's URL (its tab
of the « Importer » screen is registered in `PressConfig.ready()`)."""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.tables import LiveStatusTagColumn
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
    # drafts are shown nowhere: editors see at a glance which contacts are published
    list_display = ["name", "role", "email", LiveStatusTagColumn()]
    search_fields = ["name", "email"]


register_snippet(PressContactViewSet)


@hooks.register("register_admin_urls")
def register_import_urls():
    return [path("press/import/", views.import_view, name="press_import")]


from .embargo import admin as embargo_admin  # noqa: E402, F401  (journalists, sharing screen)
