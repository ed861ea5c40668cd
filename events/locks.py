"""The lock of an archived edition: nobody edits it, whoever locked it, until it is unarchived."""

from django.utils.html import format_html
from django.utils.translation import gettext as _
from wagtail.locks import BaseLock
from wagtail.models import PagePermissionTester


class ArchivedLock(BaseLock):
    """Unlike Wagtail's basic lock, it binds its author too: the archive is the record."""

    def for_user(self, user) -> bool:
        return True

    def get_message(self, user) -> str:
        return format_html(
            _("<b>'{title}' is archived.</b> Unarchive it to edit, move or delete it."),
            title=self.object.get_admin_display_title(),
        )

    def get_locked_by(self, user) -> str:
        return _("Archived")

    def get_description(self, user) -> str:
        return _("No one can change an archived edition; unarchiving it unlocks it.")


class ArchivedPagePermissionTester(PagePermissionTester):
    """Wagtail's tester, except that an archived edition can be neither deleted nor moved."""

    def can_delete(self, ignore_bulk=False) -> bool:
        return not getattr(self.page, "archived", False) and super().can_delete(ignore_bulk)

    def can_move(self) -> bool:
        return not getattr(self.page, "archived", False) and super().can_move()
