from importlib import import_module

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PressConfig(AppConfig):
    name = "press"
    label = "assises_press"  # hosts often have an app labelled "press" of their own
    verbose_name = _("Press office")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from cms.archive import register_archiver
        from cms.importing.screens import ImportScreen, register_import_screen
        from cms.registry import (
            open_graph_types,
            register_feed_link,
            register_path_kinds,
            register_schema_enum,
            register_urlpatterns,
            register_watched_model,
        )

        from . import api, public, renderers, views
        from .archive import PressArchiver
        from .models import DefaultPressContact, PressContact, PressContactPhone, PressSettings

        register_watched_model(PressContact)
        register_watched_model(PressSettings)
        # child rows stand for their parent: a new phone number re-renders the contact
        register_watched_model(
            PressContactPhone, keys=lambda phone: [f"assises_press.presscontact:{phone.contact_id}"]
        )
        # a default contact is public through the settings: both are rendered again
        register_watched_model(
            DefaultPressContact,
            keys=lambda row: [
                f"assises_press.presssettings:{row.settings_id}",
                f"assises_press.presscontact:{row.contact_id}",
            ],
        )
        renderers.register()
        api.register()
        public.register()
        register_urlpatterns(import_module("press.urls").urlpatterns)
        # feeds are built from these kinds (surrogate keys, cache versions)
        register_path_kinds("/feeds/", ["communique", "edition", "topic", "organisation", "page"])
        register_schema_enum("PhoneKindEnum", "press.serializers.PHONE_KINDS")
        open_graph_types["communique"] = "article"
        register_archiver(PressArchiver())
        register_import_screen(
            ImportScreen(
                "communique",
                _("Communiqué"),
                "press_import",
                lambda user: bool(views.press_rooms_for(user)),
                order=10,
            )
        )
        # announced by the API root and its Link header (feed autodiscovery)
        register_feed_link(
            _("Communiqués (JSON Feed)"), "communiques_feed_json", "application/feed+json"
        )
        register_feed_link(_("Communiqués (RSS)"), "communiques_feed_rss", "application/rss+xml")
        register_feed_link(_("Communiqués (Atom)"), "communiques_feed_atom", "application/atom+xml")
