from django.core.management.base import BaseCommand, CommandError

from issues.followup import services as followup


class Command(BaseCommand):
    help = (
        "E-mail each delegate and desk head the signed agreement points they report on "
        "that are overdue or have no recent report. Meant to run monthly (cron or a "
        "systemd timer)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=followup.REMINDER_STALE_DAYS,
            help="A point last reported on more than this many days ago is due a report "
            "(default %(default)s).",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="List who would be reminded of which points; send nothing.",
        )

    def handle(self, *args, days, dry_run, **options):
        if days < 1:
            raise CommandError("--days must be 1 or more.")
        if dry_run:
            due = followup.reminders(stale_days=days)
            for reminder in due:
                numbers = ", ".join(str(point.number) for point in reminder.points)
                self.stdout.write(f"{reminder.user.email}: {numbers}")
            self.stdout.write(f"{len(due)} reminders would be sent.")
            return
        sent = followup.send_reminders(stale_days=days)
        self.stdout.write(self.style.SUCCESS(f"{sent} reminders sent."))
