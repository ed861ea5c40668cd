"""Writing imported communiqués into Wagtail (the parsing is `press.parsing`'s job)."""

from .communique import import_communique, import_file
from .files import SUPPORTED_EXTENSIONS, CollectedFiles, collect_files
from .results import (
    CREATED,
    FAILED,
    STATUS_LABELS,
    STATUSES,
    UNCHANGED,
    UPDATED,
    ImportResult,
)

__all__ = [
    "CREATED",
    "FAILED",
    "STATUSES",
    "STATUS_LABELS",
    "SUPPORTED_EXTENSIONS",
    "UNCHANGED",
    "UPDATED",
    "CollectedFiles",
    "ImportResult",
    "collect_files",
    "import_communique",
    "import_file",
]
