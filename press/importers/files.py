"""Which files of the given paths the command imports: folders are walked, in a stable order."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

SUPPORTED_EXTENSIONS = (".txt", ".md", ".html", ".htm", ".docx", ".pdf")
# Never imported from folders: hidden files and the lock files Word leaves next to open documents.
_IGNORED_PREFIXES = (".", "~$")


@dataclass
class CollectedFiles:
    """Files to import, files of folders left aside (reported, not failed), folder or not."""

    files: list[Path] = field(default_factory=list)
    skipped: list[Path] = field(default_factory=list)
    walked_folder: bool = False


def collect_files(paths: list[str]) -> CollectedFiles:
    """Expand the command's paths; folders are walked recursively.

    A file named explicitly is always returned, whatever its extension or existence, so that the
    importer fails it with its own reason. In folders, files of other types (images,
    spreadsheets) are listed as skipped, so a mixed archive folder imports its communiqués
    without failing.
    """
    collected = CollectedFiles()
    for raw in paths:
        path = Path(raw)
        if not path.is_dir():
            collected.files.append(path)
            continue
        collected.walked_folder = True
        for child in sorted(path.rglob("*")):
            parts = child.relative_to(path).parts
            if not child.is_file() or any(p.startswith(_IGNORED_PREFIXES) for p in parts):
                continue
            if child.suffix.lower() in SUPPORTED_EXTENSIONS:
                collected.files.append(child)
            else:
                collected.skipped.append(child)
    return collected
