"""manage.py restore DIR: a backup of `manage.py backup` into an empty database and storage."""

from django.core.management.base import BaseCommand, CommandError

from rakortek.core.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = (
        "Restore a backup folder into the configured (empty) database and file storage, "
        "then check every final document against its recorded fingerprint."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", help="a folder written by manage.py backup")
        parser.add_argument(
            "--force",
            action="store_true",
            help="replace a database that is not empty (everything in it is dropped first)",
        )

    def handle(self, *args, folder, force, **options):
        try:
            result = restore_backup(folder, force=force)
        except BackupError as error:
            raise CommandError(str(error)) from None
        for problem in result.problems:
            self.stderr.write(problem)
        if result.problems:
            raise CommandError(f"Restored with {len(result.problems)} problem(s), listed above.")
        self.stdout.write(
            f"Restored {sum(result.rows.values())} rows in {len(result.rows)} tables and "
            f"{result.files} files; {result.documents_checked} final documents match their "
            "fingerprints."
        )
