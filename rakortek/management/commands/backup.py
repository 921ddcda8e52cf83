"""manage.py backup --out DIR: database dump, stored files and a manifest.

See rakortek/core/backup.py.
"""

from django.core.management.base import BaseCommand, CommandError

from rakortek.core.backup import BackupError, create_backup


class Command(BaseCommand):
    help = "Back up the PostgreSQL database and every stored file, with SHA-256 fingerprints."

    def add_arguments(self, parser):
        parser.add_argument("--out", required=True, help="an empty or new folder to write into")
        parser.add_argument(
            "--dated",
            action="store_true",
            help="write into a new folder rakortek-YYYYMMDD-HHMMSS inside --out",
        )
        parser.add_argument(
            "--keep",
            type=int,
            default=0,
            help="with --dated: keep only the newest N backups in --out (0: keep all)",
        )

    def handle(self, *args, out, dated, keep, **options):
        try:
            result = create_backup(out, dated=dated, keep=keep)
        except BackupError as error:
            raise CommandError(str(error)) from None
        manifest = result.manifest
        self.stdout.write(
            f"{result.folder}: database ({sum(manifest['database']['rows'].values())} rows in "
            f"{len(manifest['database']['rows'])} tables), {len(manifest['media'])} files, "
            f"{len(manifest['final_documents'])} final documents"
        )
