"""manage.py import_programme EDITION FILE — a CSV or plain-text programme into an edition.

A thin wrapper around `events.importers.import_programme`.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from cms.importing.limits import ImportLimitExceeded, check_file_size
from cms.pipeline.signals import renders_inline
from events.blocks import PARTICIPANT_ROLES
from events.importers import FAILED, STATUS_LABELS, import_programme
from events.models import CongressEditionPage


def find_edition(spec: str) -> CongressEditionPage:
    """The edition given by page id or slug; an ambiguous slug (translations) is refused."""
    editions = CongressEditionPage.objects.all()
    matches = list(editions.filter(pk=int(spec)) if spec.isdigit() else editions.filter(slug=spec))
    if not matches:
        raise CommandError(_("No congress edition matches “%(edition)s”.") % {"edition": spec})
    if len(matches) > 1:
        raise CommandError(
            _("Several editions have the slug “%(edition)s”; give the page id: %(ids)s.")
            % {"edition": spec, "ids": ", ".join(str(e.pk) for e in matches)}
        )
    return matches[0]


class Command(BaseCommand):
    help = "Import a congress programme (.csv or .txt) into an edition, as a draft revision."

    def add_arguments(self, parser) -> None:
        parser.add_argument("edition", help="Page id or slug of the congress edition.")
        parser.add_argument("file", help="The programme, CSV or plain text.")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Print what was recognised as JSON; write nothing.",
        )
        parser.add_argument("--publish", action="store_true", help="Publish the edition as well.")

    @renders_inline
    def handle(self, *args, **options) -> None:
        edition = find_edition(options["edition"])
        path = Path(options["file"])
        try:
            check_file_size(path.stat().st_size)  # a huge file is refused before it is read
            data = path.read_bytes()
        except ImportLimitExceeded as error:
            raise CommandError(
                _("%(file)s: failed: %(reason)s") % {"file": path, "reason": error}
            ) from error
        except OSError as error:
            raise CommandError(
                _("%(file)s: failed: %(reason)s")
                % {
                    "file": path,
                    "reason": _("The file cannot be read (%(error)s).") % {"error": error.strerror},
                }
            ) from error
        result = import_programme(
            edition, data, str(path), dry_run=options["dry_run"], publish=options["publish"]
        )
        report = self.stderr if options["dry_run"] else self.stdout
        if options["dry_run"]:
            self.stdout.write(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
        for warning in result.warnings:
            report.write(_("Warning: %(warning)s") % {"warning": warning})
        roles = dict(PARTICIPANT_ROLES)
        for person in result.suggestions:
            details = ", ".join(
                filter(None, [str(roles.get(person["role"], "")), person["function"]])
            )
            report.write(
                _("Not in the speakers directory: %(name)s (%(details)s) in “%(session)s”.")
                % {"name": person["name"], "details": details, "session": person["session"]}
            )
        if result.status == FAILED:
            raise CommandError(
                _("%(file)s: failed: %(reason)s") % {"file": path, "reason": result.reason}
            )
        report.write(
            _(
                "%(file)s: %(status)s, %(sessions)d sessions imported and %(kept)d kept "
                "in “%(edition)s”."
            )
            % {
                "file": path,
                "status": STATUS_LABELS[result.status],
                "sessions": result.sessions,
                "kept": result.kept,
                "edition": edition.title,
            }
        )
