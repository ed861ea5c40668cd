"""The admin « Importer » screen's tabs: one per kind of document a plugin can import.

`cms` knows no plugin: each one registers its import view here from `AppConfig.ready()`
(communiqués from `press`, programmes from `events`), and the menu item and the tabs above
every import form list those the editor may use.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse

__all__ = ["ImportScreen", "import_screens_for", "register_import_screen"]


@dataclass(frozen=True)
class ImportScreen:
    """One tab: a label (« Communiqué »), its URL name, who may use it, and its order."""

    key: str
    label: Any
    url_name: str
    allowed: Callable[[Any], bool]
    order: int = 100

    @property
    def url(self) -> str:
        return reverse(self.url_name)


_screens: dict[str, ImportScreen] = {}


def register_import_screen(screen: ImportScreen) -> None:
    """Add (or replace, by key) an import screen; called from a plugin's `ready()`."""
    _screens[screen.key] = screen


def import_screens_for(user: Any) -> list[ImportScreen]:
    """The screens ``user`` may use, in menu order."""
    return [
        screen
        for screen in sorted(_screens.values(), key=lambda s: (s.order, s.key))
        if screen.allowed(user)
    ]
