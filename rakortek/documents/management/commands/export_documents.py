"""Write every official document of a meeting into a folder.

    python manage.py export_documents rakortek-2022 --out /tmp/rakortek-2022

A document with a current final version is copied as stored (the file whose
fingerprint the verification page knows); any other is rendered now as a
draft. `--drafts` renders drafts of everything.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from meetings.models import Meeting
from rakortek.documents.catalog import SPECS
from rakortek.documents.models import FinalDocument
from rakortek.documents.rendering import RenderOptions


class Command(BaseCommand):
    help = "Write the official documents of a meeting (PDF and XLSX) into a folder."

    def add_arguments(self, parser):
        parser.add_argument("meeting", help="the meeting's id or slug")
        parser.add_argument("--out", required=True, help="folder to write into (created)")
        parser.add_argument(
            "--drafts",
            action="store_true",
            help="render drafts even of documents that have a final version",
        )

    def handle(self, *args, meeting, out, drafts, **options):
        meeting = self._meeting(meeting)
        folder = Path(out)
        folder.mkdir(parents=True, exist_ok=True)
        finals = {
            (document.kind, document.desk_id): document
            for document in FinalDocument.objects.filter(meeting=meeting, is_current=True)
        }
        desks = list(meeting.desks.select_related("field", "chair", "meeting"))
        self.stdout.write(f"{meeting.title} -> {folder}")
        written = 0
        for spec in SPECS.values():
            for desk in desks if spec.per_desk else [None]:
                name = spec.filename(desk)
                if not spec.is_available(meeting, desk):
                    self.stdout.write(f"  {name:<36} skipped: {spec.unavailable_note}")
                    continue
                final = None if drafts else finals.get((spec.kind, desk.pk if desk else None))
                if final is not None:
                    with final.file.open("rb") as stored:
                        (folder / name).write_bytes(stored.read())
                    state, pages = f"final v{final.version}", final.pages
                else:
                    output = spec.render(meeting, desk, RenderOptions.create())
                    (folder / name).write_bytes(output.content)
                    state, pages = "draft", output.pages
                written += 1
                size = (folder / name).stat().st_size
                pages_text = f"{pages} page{'s' if pages != 1 else ''}" if pages else "-"
                self.stdout.write(f"  {name:<36} {state:<9} {pages_text:>9} {size:>10,} bytes")
        self.stdout.write(self.style.SUCCESS(f"{written} files written."))

    def _meeting(self, key: str) -> Meeting:
        lookup = Q(slug=key) | (Q(pk=int(key)) if key.isdigit() else Q())
        meeting = Meeting.objects.filter(lookup, kind=Meeting.Kind.RAKORTEK).first()
        if meeting is None:
            raise CommandError(f"No RAKORTEK meeting with id or slug {key!r}.")
        return meeting
