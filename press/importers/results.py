"""What importing one communiqué did, or in a dry run would do.

The same object feeds the command's summary and JSON, and the admin's preview screen, so both
show exactly what the writer decided.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from events.importers import CREATED, FAILED, STATUS_LABELS, UNCHANGED, UPDATED
from events.models import CongressEditionPage, SpeakerPage

from ..models import CommuniquePage, PressContact

# The same four outcomes as programme imports, so both commands summarise alike.
STATUSES = (CREATED, UPDATED, UNCHANGED, FAILED)
__all__ = ["CREATED", "FAILED", "STATUSES", "STATUS_LABELS", "UNCHANGED", "UPDATED"]


@dataclass
class ContactMatch:
    """A press contact of the communiqué: an existing snippet, or one the import creates."""

    name: str
    contact: PressContact
    created: bool


@dataclass
class SpeakerMatch:
    """A person of the communiqué found in the speakers directory."""

    name: str
    function: str
    page: SpeakerPage


@dataclass
class ImportResult:
    """Outcome of `import_communique` for one file; ``status`` is one of STATUSES."""

    filename: str
    dry_run: bool = False
    status: str = FAILED
    reason: str = ""
    fingerprint: str = ""
    page: CommuniquePage | None = None
    parsed: dict[str, Any] | None = None
    edition: CongressEditionPage | None = None
    unmatched_edition: dict[str, Any] | None = None
    speakers: list[SpeakerMatch] = field(default_factory=list)
    suggestions: list[dict[str, str]] = field(default_factory=list)
    contacts: list[ContactMatch] = field(default_factory=list)
    boilerplate: str = "none"  # "organisation", "custom" or "none"
    warnings: list[str] = field(default_factory=list)
    review: list[dict[str, Any]] = field(default_factory=list)
    date_flagged: bool = False
    item: int | None = None  # position in a listing split into several drafts
    siblings: list[ImportResult] = field(default_factory=list)
    # What to_dict() said inside the transaction: a dry run's writes are gone afterwards.
    snapshot: dict[str, Any] | None = None

    @property
    def contacts_all(self) -> list[PressContact]:
        return [match.contact for match in self.contacts]

    @property
    def contacts_matched(self) -> list[PressContact]:
        return [match.contact for match in self.contacts if not match.created]

    @property
    def contacts_created(self) -> list[PressContact]:
        return [match.contact for match in self.contacts if match.created]

    @property
    def failed(self) -> bool:
        return self.status == FAILED

    def fail(self, reason: str) -> None:
        """Mark as failed; whatever was written is rolled back, so nothing may point to it."""
        self.status, self.reason, self.page = FAILED, reason, None
        self.contacts = [match for match in self.contacts if not match.created]

    def to_dict(self) -> dict[str, Any]:
        """JSON-serialisable view, printed by `import_communiques --dry-run`.

        A dry run answers what it saw before its rollback, without the ids that no longer
        exist.
        """
        if self.snapshot is not None:
            if not self.dry_run:
                return self.snapshot
            page = self.page
            data = {
                **self.snapshot,
                "page": {"id": page.pk, "title": page.title, "live": page.live} if page else None,
            }
            created = [{**contact, "id": None} for contact in data["contacts"]["created"]]
            return {**data, "contacts": {**data["contacts"], "created": created}}
        page = self.page
        return {
            "file": self.filename,
            "status": self.status,
            "dry_run": self.dry_run,
            "reason": self.reason,
            "fingerprint": self.fingerprint,
            "page": {"id": page.pk, "title": page.title, "live": page.live} if page else None,
            "edition": (
                {"id": self.edition.pk, "title": self.edition.title} if self.edition else None
            ),
            "unmatched_edition": self.unmatched_edition,
            "speakers": [
                {"name": m.name, "function": m.function, "id": m.page.pk, "title": m.page.title}
                for m in self.speakers
            ],
            "suggestions": self.suggestions,
            "contacts": {
                "matched": [_contact_dict(c) for c in self.contacts_matched],
                "created": [_contact_dict(c) for c in self.contacts_created],
            },
            "boilerplate": self.boilerplate,
            "item": self.item,
            "date_flagged": self.date_flagged,
            "review": self.review,
            "warnings": self.warnings,
            "parsed": self.parsed,
        }


def _contact_dict(contact: PressContact) -> dict[str, Any]:
    return {
        "id": contact.pk,
        "name": contact.name,
        "role": contact.role,
        "email": contact.email,
        "phones": [{"number": p.number, "kind": p.kind} for p in contact.phones.all()],
    }
