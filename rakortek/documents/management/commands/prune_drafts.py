"""Delete rendered draft files older than a day (run hourly by a systemd timer)."""

from datetime import timedelta

from django.core.management.base import BaseCommand

from rakortek.documents.services import DRAFT_JOB_KEEP, draft_jobs_prune


class Command(BaseCommand):
    help = "Delete finished background drafts (and their files) older than a day."

    def add_arguments(self, parser):
        parser.add_argument(
            "--hours",
            type=int,
            default=int(DRAFT_JOB_KEEP.total_seconds() // 3600),
            help="keep drafts finished less than this many hours ago (default: 24)",
        )

    def handle(self, *args, hours, **options):
        count = draft_jobs_prune(keep=timedelta(hours=hours))
        self.stdout.write(f"{count} draft(s) deleted")
