"""Write an archive bundle: API documents, data for re-import, media, exports, static site."""

import os
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from cms.archive.bundle import BundleError
from cms.archive.exporter import bag_name, build_selection, write_bundle
from cms.archive.registry import archivers


class Command(BaseCommand):
    help = (  # a plain string: argparse cannot format a lazy translation
        "Export published content as a self-contained, checksummed zip (see --edition, --all)."
    )

    def add_arguments(self, parser):
        parser.add_argument("output", help=_("Path of the zip file to write."))
        parser.add_argument("--no-progress", action="store_true", help=_("Hide the progress bar."))
        for archiver in archivers:
            archiver.add_arguments(parser)

    def handle(self, *args, **options):
        output = Path(options["output"])
        try:
            selection = build_selection(options)
        except BundleError as error:
            raise CommandError(str(error)) from None
        if not selection.pages:
            raise CommandError(_("Nothing to export: say what goes in the archive (see --help)."))
        # Written beside the target and renamed at the end: never a half-written bundle.
        handle, temporary = tempfile.mkstemp(suffix=".zip.part", dir=output.parent or ".")
        os.close(handle)
        # mkstemp creates the file 0600; a bundle is meant to be shared: the usual mode (0644).
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)
        try:
            progress = None if options["no_progress"] else self.stderr
            manifest = write_bundle(temporary, selection, progress=progress, bag=bag_name(output))
            os.replace(temporary, output)
        except BundleError as error:
            raise CommandError(str(error)) from None
        finally:
            if os.path.exists(temporary):
                os.unlink(temporary)
        counts = ", ".join(f"{name}: {value}" for name, value in manifest["counts"].items())
        self.stdout.write(
            _("%(path)s written: %(files)d files (%(counts)s).")
            % {"path": output, "files": len(manifest["files"]) + 2, "counts": counts}
        )
