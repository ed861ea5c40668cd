"""Apply the change log's retention rule (see `cms.pipeline.compaction`).

Run it daily (cron, or the process manager); `--dry-run` counts without removing anything.
"""

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from tqdm import tqdm

from cms.pipeline.compaction import DEFAULT_RETENTION, compact, removable


class Command(BaseCommand):
    help = "Remove change-log entries superseded for longer than the retention period."

    def add_arguments(self, parser):
        parser.add_argument(
            "--keep-days",
            type=int,
            default=DEFAULT_RETENTION.days,
            help="Retention in days: newer entries are all kept (default: %(default)s).",
        )
        parser.add_argument("--dry-run", action="store_true", help="Count, remove nothing.")
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")

    def handle(self, *args, **options):
        days = options["keep_days"]
        if days < 1:
            raise CommandError(_("--keep-days must be at least 1 (got %(days)s).") % {"days": days})
        retention = timedelta(days=days)
        bar = None
        if not options["no_progress"] and not options["dry_run"]:
            from django.utils import timezone

            total = removable(timezone.now() - retention).count()
            bar = tqdm(total=total, unit=" entries", desc=_("Compaction"), file=self.stderr)
        result = compact(
            retention, dry_run=options["dry_run"], progress=bar.update if bar else None
        )
        if bar:
            bar.close()
        message = (
            _("%(removed)d entry(ies) would be removed; %(kept)d kept.")
            if options["dry_run"]
            else _("%(removed)d entry(ies) removed up to #%(horizon)d; %(kept)d kept.")
        )
        self.stdout.write(message % result.__dict__)
