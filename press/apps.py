from importlib import import_module

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PressConfig(AppConfig):
    name = "press"
    verbose_name = _("Press office")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from cms.archive import register_archiver
        from cms.importing.screens import ImportScreen, register_import_screen
        from cms.registry import (
            register_demo_step,
            register_feed_link,
            register_urlpatterns,
            register_watched_model,
        )

        from . import api, demo, public, renderers, views
        from .archive import PressArchiver
        from .models import DefaultPressContact, PressContact, PressContactPhone, PressSettings

        register_watched_model(PressContact)
        register_watched_model(PressSettings)
        # child rows stand for their parent: a new phone number re-renders the contact
        register_watched_model(
            PressContactPhone, keys=lambda phone: [f"press.presscontact:{phone.contact_id}"]
        )
        # a default contact is public through the settings: both are rendered again
        register_watched_model(
            DefaultPressContact,
            keys=lambda row: [
                f"press.presssettings:{row.settings_id}",
                f"press.presscontact:{row.contact_id}",
            ],
        )
        renderers.register()
        api.register()
        public.register()
        register_demo_step(20, "press", demo.build_press)
        register_urlpatterns(import_module("press.urls").urlpatterns)
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
