"""Admin hooks of the congresses: archive, unarchive and download the archive of an edition;
the programme tab of the « Importer » screen."""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.menus.pages import PageMenuItem

from . import admin_import, services, views
from .models import CongressEditionPage


class ArchiveButton(PageMenuItem):
    label = _("Archive edition")
    icon_name = "lock"
    url_name = "events_archive_edition"
    priority = 80


class UnarchiveButton(PageMenuItem):
    label = _("Unarchive edition")
    icon_name = "lock-open"
    url_name = "events_unarchive_edition"
    priority = 80


class DownloadArchiveButton(PageMenuItem):
    label = _("Download archive")
    icon_name = "download"
    url_name = "events_export_edition"
    priority = 81


@hooks.register("register_page_header_buttons")
def archive_buttons(page, user, view_name, next_url=None):
    """Offered on past editions to whoever holds the archive permission."""
    if page.specific_class is not CongressEditionPage or not services.can_archive(user):
        return
    edition = page.specific
    if edition.archived:
        yield UnarchiveButton(page=edition)
    elif edition.live and edition.status == "past":
        yield ArchiveButton(page=edition)
    if edition.live:
        yield DownloadArchiveButton(page=edition)


@hooks.register("register_admin_urls")
def register_archive_urls():
    return [
        path(
            "events/editions/<int:pk>/archive/", views.archive_view, name="events_archive_edition"
        ),
        path(
            "events/editions/<int:pk>/unarchive/",
            views.unarchive_view,
            name="events_unarchive_edition",
        ),
        path("events/editions/<int:pk>/export/", views.export_view, name="events_export_edition"),
        path(
            "events/import/",
            admin_import.import_programme_view,
            name="events_import_programme",
        ),
    ]


@hooks.register("register_log_actions")
def register_archive_log_actions(actions):
    actions.register_action("events.archive", _("Archive edition"), _("Archived and locked"))
    actions.register_action(
        "events.unarchive", _("Unarchive edition"), _("Unarchived and unlocked")
    )
