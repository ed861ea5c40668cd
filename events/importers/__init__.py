"""Writing imported programmes into Wagtail (the parsing is `events.parsing`'s job)."""

from .messages import (
    CREATED,
    FAILED,
    STATUS_LABELS,
    UNCHANGED,
    UPDATED,
    ImportFailure,
    localise_message,
)
from .programme import (
    MAX_PROGRAMME_BYTES,
    PROGRAMME_EXTENSIONS,
    ProgrammeImportResult,
    import_programme,
    session_id,
    speakers_by_name,
)

__all__ = [
    "CREATED",
    "FAILED",
    "MAX_PROGRAMME_BYTES",
    "PROGRAMME_EXTENSIONS",
    "STATUS_LABELS",
    "UNCHANGED",
    "UPDATED",
    "ImportFailure",
    "ProgrammeImportResult",
    "import_programme",
    "localise_message",
    "session_id",
    "speakers_by_name",
]
