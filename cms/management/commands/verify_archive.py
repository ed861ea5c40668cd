"""Check an archive bundle with the standard tools (bagit, warcio) and our manifest."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from cms.archive.bundle import BundleError
from cms.archive.check import check_bundle


class Command(BaseCommand):
    help = (  # a plain string: argparse cannot format a lazy translation
        "Check an archive made by export_archive: BagIt validation, every WARC record, manifest."
    )

    def add_arguments(self, parser):
        parser.add_argument("bundle", help=_("Path of the archive (zip) to check."))
        parser.add_argument("--no-progress", action="store_true", help=_("Hide the progress bar."))

    def handle(self, *args, **options):
        progress = None if options["no_progress"] else self.stderr
        try:
            lines = check_bundle(options["bundle"], progress=progress)
        except BundleError as error:
            raise CommandError(
                _("The archive is not valid: %(reason)s") % {"reason": error}
            ) from None
        for line in lines:
            self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS(_("The archive is valid.")))
