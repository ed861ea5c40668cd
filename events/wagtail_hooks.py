"""Admin hooks of the congresses: archive, unarchive and download the archive of an edition;
the programme tab of the « Importer » screen.

« Archiver » / « Désarchiver » are visible buttons in the edition's header (through the
`register_page_header_visible_buttons` hook of `cms`); « Télécharger l'archive » stays in the
"⋯" menu. An archived edition cannot be deleted or moved (its permission tester says so, which
hides the buttons), nor can a page holding one (refused below, with the reason).
"""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import path
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.menus.pages import PageMenuItem
from wagtail.admin.widgets.button import HeaderButton

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


@hooks.register("register_page_header_visible_buttons")
def archive_header_buttons(page, user, view_name):
    """« Archiver » on past published editions, « Désarchiver » on archived ones, in plain view."""
    if page.specific_class is not CongressEditionPage or not services.can_archive(user):
        return []
    edition = page.specific
    if edition.archived:
        item = UnarchiveButton(page=edition)
    elif edition.live and edition.status == "past":
        item = ArchiveButton(page=edition)
    else:
        return []
    return [
        HeaderButton(
            label=item.label,
            url=item.url,
            icon_name=item.icon_name,
            classname="button-secondary",
            attrs={"data-archive-button": item.url_name},
        )
    ]


@hooks.register("register_page_header_buttons")
def archive_buttons(page, user, view_name, next_url=None):
    """The archive bundle of a published edition, for whoever holds the archive permission."""
    if page.specific_class is not CongressEditionPage or not services.can_archive(user):
        return
    if page.live:
        yield DownloadArchiveButton(page=page.specific)


def _holds_archived_edition(page) -> bool:
    editions = CongressEditionPage.objects.filter(archived=True)
    return editions.descendant_of(page, inclusive=True).exists()


def _refuse(request, page, message: str):
    messages.error(request, message)
    return redirect("wagtailadmin_explore", page.get_parent().pk)


@hooks.register("before_delete_page")
def refuse_deleting_archives(request, page):
    """Deleting a series (or any page) would delete the archived editions under it."""
    if _holds_archived_edition(page):
        return _refuse(
            request,
            page,
            gettext(
                "« %(title)s » cannot be deleted: it is or contains an archived edition. "
                "Unarchive the edition first."
            )
            % {"title": page.get_admin_display_title()},
        )
    return None


@hooks.register("before_move_page")
def refuse_moving_archives(request, page, destination):
    """Moving would change the URLs that the archive promises to keep."""
    if _holds_archived_edition(page):
        return _refuse(
            request,
            page,
            gettext(
                "« %(title)s » cannot be moved: it is or contains an archived edition, "
                "whose addresses must not change. Unarchive the edition first."
            )
            % {"title": page.get_admin_display_title()},
        )
    return None


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
    actions.register_action(
        "assises_events.archive", _("Archive edition"), _("Archived and locked")
    )
    actions.register_action(
        "assises_events.unarchive", _("Unarchive edition"), _("Unarchived and unlocked")
    )
