"""Checking a bundle the way a library would: with the standard tools, not only with ours.

`check_bundle` extracts the bag (after refusing any path that could escape the directory),
validates it with the Library of Congress' `bagit` library (structure, Payload-Oxum, every
payload and tag manifest), reads every record of the WARC capture with `warcio` (checking
their digests), and finally our own `manifest.json`. If the standard tools accept the bundle,
it will still be readable when our code is gone; that is what this check is for.
"""

from __future__ import annotations

import logging
import stat
import tempfile
import zipfile
import zlib
from collections import Counter
from pathlib import Path
from typing import IO

import bagit
from django.utils.translation import gettext as _
from tqdm import tqdm
from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from .bundle import CHUNK_SIZE, MANIFEST, BundleError, check_member_path
from .limits import check_directory
from .verify import open_bundle, open_zip, payload_prefix
from .warc import WARC_NAME


def _extract(archive: zipfile.ZipFile, target: Path, progress: IO[str] | None) -> None:
    """Extract every member, refusing unsafe paths and links before writing anything."""
    infos = archive.infolist()
    for info in infos:
        check_member_path(info.filename)
        if stat.S_ISLNK(info.external_attr >> 16):
            raise BundleError(
                _("The archive contains a symbolic link: %(path)s.") % {"path": info.filename}
            )
    bar = tqdm(infos, desc=_("Extract"), unit=" files", file=progress, disable=progress is None)
    for info in bar:
        destination = target / info.filename
        if info.is_dir():
            destination.mkdir(parents=True, exist_ok=True)
            continue
        destination.parent.mkdir(parents=True, exist_ok=True)
        try:
            with archive.open(info) as source, destination.open("wb") as output:
                while chunk := source.read(CHUNK_SIZE):
                    output.write(chunk)
        except (zipfile.BadZipFile, zlib.error, EOFError, ValueError) as error:
            raise BundleError(
                _("The file %(path)s is damaged: %(error)s.")
                % {"path": info.filename, "error": error}
            ) from None


def validate_bag(directory: Path) -> bagit.Bag:
    """`bagit`'s full validation of an extracted bag; BundleError with its reasons."""
    logging.getLogger("bagit").setLevel(logging.WARNING)  # its INFO lines are per file
    try:
        bag = bagit.Bag(str(directory))
        bag.validate(processes=1)
    except bagit.BagValidationError as error:
        details = "; ".join(str(detail) for detail in error.details[:5])
        raise BundleError(
            _("BagIt validation failed: %(reason)s") % {"reason": details or error.message}
        ) from None
    except bagit.BagError as error:
        raise BundleError(_("BagIt validation failed: %(reason)s") % {"reason": error}) from None
    return bag


def read_warc(path: Path, progress: IO[str] | None = None) -> tuple[Counter, Counter]:
    """Read every record with `warcio`, checking digests: (records by type, responses by status).

    The first record must be `warcinfo`: a WARC file should say what it is."""
    types: Counter = Counter()
    statuses: Counter = Counter()
    bar = tqdm(desc=_("WARC"), unit=" records", file=progress, disable=progress is None)
    try:
        with path.open("rb") as stream:
            for record in ArchiveIterator(stream, check_digests=True):
                kind = record.rec_type
                if not types and kind != "warcinfo":
                    raise BundleError(_("The WARC capture does not start with a warcinfo record."))
                while record.content_stream().read(CHUNK_SIZE):
                    pass
                if record.digest_checker.passed is False:
                    raise BundleError(
                        _("A record of the WARC capture is damaged: %(url)s (%(problems)s).")
                        % {
                            "url": record.rec_headers.get_header("WARC-Target-URI"),
                            "problems": "; ".join(record.digest_checker.problems),
                        }
                    )
                types[kind] += 1
                if kind == "response" and record.http_headers:
                    statuses[record.http_headers.get_statuscode()] += 1
                bar.update(1)
    except ArchiveLoadFailed as error:
        raise BundleError(
            _("The WARC capture cannot be read: %(error)s") % {"error": str(error).strip()}
        ) from None
    finally:
        bar.close()
    return types, statuses


def check_bundle(path: str | Path, progress: IO[str] | None = None) -> list[str]:
    """Check the bundle at `path` with bagit, warcio and our manifest; lines of a report for a
    person, or BundleError saying what is wrong."""
    lines: list[str] = []
    archive = open_zip(path)
    with archive:
        prefix = payload_prefix(archive.namelist())
        check_directory(archive, prefix + MANIFEST)  # before anything is extracted
        if not prefix:
            # Exports made before bundles became bags: only our own manifest can check them.
            with open_bundle(path) as bundle:
                files = len(bundle.manifest["files"])
            return [
                _("This archive predates BagIt: it was checked against its manifest.json only."),
                _("manifest.json: %(files)d files match their checksums.") % {"files": files},
                _("No WARC capture in this format."),
            ]
        with tempfile.TemporaryDirectory(prefix="assises-verify-") as directory:
            _extract(archive, Path(directory), progress)
            root = Path(directory) / prefix[: -len("/data/")]
            bag = validate_bag(root)
            info = bag.info
            octets, count = (info.get("Payload-Oxum") or "0.0").split(".", 1)
            lines.append(
                _("BagIt %(version)s bag %(name)s: %(files)s payload files, %(octets)s bytes.")
                % {
                    "version": ".".join(map(str, bag.version_info)),
                    "name": root.name,
                    "files": count,
                    "octets": octets,
                }
            )
            lines.append(
                _("bagit: the bag is valid (checksums %(algorithms)s, tag files included).")
                % {"algorithms": ", ".join(sorted(bag.algorithms))}
            )
            for label in ("Source-Organization", "Contact-Email", "Bagging-Date"):
                if info.get(label):
                    lines.append(f"  {label}: {info[label]}")
            identifiers = info.get("External-Identifier") or []
            for identifier in [identifiers] if isinstance(identifiers, str) else identifiers:
                lines.append(f"  External-Identifier: {identifier}")
            warc = root / "data" / WARC_NAME
            if not warc.exists():
                raise BundleError(
                    _("The bag has no WARC capture (%(name)s).") % {"name": WARC_NAME}
                )
            types, statuses = read_warc(warc, progress)
            lines.append(
                _("warcio: %(records)d records read in %(name)s, digests checked (%(types)s).")
                % {
                    "records": sum(types.values()),
                    "name": WARC_NAME,
                    "types": ", ".join(f"{kind}: {n}" for kind, n in sorted(types.items())),
                }
            )
            lines.append(
                _("HTTP statuses of the captured responses: %(statuses)s.")
                % {"statuses": ", ".join(f"{code}: {n}" for code, n in sorted(statuses.items()))}
            )
    with open_bundle(path) as bundle:
        lines.append(
            _("manifest.json: %(files)d files match their checksums.")
            % {"files": len(bundle.manifest["files"])}
        )
    return lines
