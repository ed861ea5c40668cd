"""manage.py import_communiques PATH… — communiqué files or folders into draft pages.

A thin wrapper: `press.importers.import_communique` does the work, one transaction per file.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from tqdm import tqdm
from wagtail.models import Locale

from cms.importing.limits import ImportLimitExceeded, check_file_size
from cms.pipeline.signals import renders_inline
from press.importers import (
    FAILED,
    STATUS_LABELS,
    STATUSES,
    ImportResult,
    collect_files,
    import_file,
)
from press.models import PressIndexPage


def find_press_room(spec: str | None) -> PressIndexPage:
    """The press room given by id or URL path ("/presse/"), else the first one of the tree."""
    rooms = PressIndexPage.objects.order_by("path")
    if not spec:
        room = rooms.first()
        if room is None:
            raise CommandError(_("There is no press room to import into."))
        return room
    if spec.isdigit():
        room = rooms.filter(pk=int(spec)).first()
    else:
        wanted = "/" + spec.strip("/") + "/"
        room = next(
            (r for r in rooms if wanted in (r.get_url_parts()[2], r.url_path[-len(wanted) :])),
            None,
        )
    if room is None:
        raise CommandError(_("No press room matches “%(parent)s”.") % {"parent": spec})
    return room


def find_locale(code: str | None) -> Locale | None:
    if not code:
        return None
    try:
        return Locale.objects.get(language_code=code)
    except Locale.DoesNotExist as error:
        raise CommandError(_("Unknown locale “%(code)s”.") % {"code": code}) from error


def summary_line(results: list) -> str:
    counts = {status: sum(r.status == status for r in results) for status in STATUSES}
    return (
        _("%(created)d created, %(updated)d updated, %(unchanged)d unchanged, %(failed)d failed.")
        % counts
    )


def describe(result: ImportResult) -> str:
    """One line per file: what happened to it, or why it failed."""
    if result.status == FAILED:
        return _("%(file)s: failed: %(reason)s") % {
            "file": result.filename,
            "reason": result.reason,
        }
    values = {"file": result.filename, "status": STATUS_LABELS[result.status]}
    if result.item:
        values["file"] = f"{result.filename} [{result.item}]"
    if result.date_flagged:
        values["status"] = _("%(status)s, date to check") % {"status": values["status"]}
    if result.page is None:  # dry run
        title = result.parsed["title"]
        title = (result.snapshot or {}).get("parsed", {}).get("title") or title
        return _("%(file)s: %(status)s (dry run), “%(title)s”") % {**values, "title": title}
    return _("%(file)s: %(status)s, page %(id)s “%(title)s”") % {
        **values,
        "id": result.page.pk,
        "title": result.page.title,
    }


class Command(BaseCommand):
    @property
    def help(self) -> str:  # a property, as argparse needs a str and the language is known late
        return _(
            "Import communiqués (.txt, .md, .html, .htm, .docx, .pdf files or folders) as drafts."
        )

    def add_arguments(self, parser) -> None:
        parser.add_argument("paths", nargs="+", help=_("Files or folders, walked recursively."))
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help=_("Print what was recognised as JSON; write nothing."),
        )
        parser.add_argument("--publish", action="store_true", help=_("Publish instead of drafts."))
        parser.add_argument(
            "--parent", help=_("Press room: page id or URL path (default: the first one).")
        )
        parser.add_argument(
            "--locale", help=_("Language code of the communiqués (default: the press room's).")
        )
        parser.add_argument(
            "--year",
            type=int,
            help=_("Year of datelines written without one (default: inferred and flagged)."),
        )

    @renders_inline
    def handle(self, *args, **options) -> None:
        parent = find_press_room(options["parent"])
        locale = find_locale(options["locale"])
        collected = collect_files(options["paths"])
        err = getattr(self.stderr, "_out", sys.stderr)
        # In a dry run stdout carries the JSON only, so per-file lines go to stderr.
        report = self.stderr if options["dry_run"] else self.stdout
        results = []
        progress = tqdm(collected.files, file=err, disable=not collected.walked_folder, unit="file")
        for path in progress:
            for result in self.import_one(path, parent, locale, options):
                results.append(result)
                line = describe(result)
                if collected.walked_folder:
                    progress.write(line, file=err if options["dry_run"] else self.stdout._out)
                else:
                    report.write(line)
        if options["dry_run"]:
            self.stdout.write(
                json.dumps([r.to_dict() for r in results], ensure_ascii=False, indent=2)
            )
        for path in collected.skipped:
            report.write(_("%(file)s: skipped (not a communiqué file type).") % {"file": path})
        report.write(summary_line(results))
        failures = [r for r in results if r.status == FAILED]
        for result in failures:
            self.stderr.write(describe(result))
        if failures:
            raise CommandError(
                _("%(count)d file(s) could not be imported.") % {"count": len(failures)}
            )

    def import_one(self, path: Path, parent, locale, options) -> list[ImportResult]:
        """The results of one file: one per draft (several for a listing), or one failure."""
        try:
            check_file_size(path.stat().st_size)  # a huge file is refused before it is read
            data = path.read_bytes()
        except ImportLimitExceeded as error:
            result = ImportResult(filename=str(path))
            result.fail(str(error))
            return [result]
        except OSError as error:
            result = ImportResult(filename=str(path))
            result.fail(_("The file cannot be read (%(error)s).") % {"error": error.strerror})
            return [result]
        try:
            return import_file(
                data,
                str(path),
                parent=parent,
                locale=locale,
                publish=options["publish"],
                dry_run=options["dry_run"],
                default_year=options["year"],
            )
        except Exception as error:  # one broken file must not stop a whole archive
            result = ImportResult(filename=str(path))
            result.fail(_("Unexpected error: %(error)s") % {"error": error})
            return [result]
