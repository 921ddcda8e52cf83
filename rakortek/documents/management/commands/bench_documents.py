"""Seconds, pages and peak memory of each official document at 50, 500 and 2000 issues.

    python manage.py bench_documents            # or: make bench
    python manage.py bench_documents --sizes 20
    python manage.py bench_documents --static development

Throwaway: everything happens in one transaction on the configured database
that is rolled back at the end. Per size, a meeting `bench-documents-<size>`
gets a desk for every active field, the default criteria, plenary minutes, and
that many submitted issues spread over the desks and regions
(rakortek.demo.seed.seed_bulk: scored, ranked, partly decided). Each document is
rendered as a draft, next to a bare WeasyPrint table of the same rows (no
letterhead, shipped fonts or confined fetcher), so the cost of the official
layout can be told from WeasyPrint's own.

Static files are served as on a server by default (`--static production`): the
files are collected into a temporary STATIC_ROOT with the production storage
(hashed, compressed, with a manifest) and the documents render from there, so
a stylesheet or font the renderer cannot read fails the benchmark instead of
quietly printing unstyled pages. `--static development` renders from the
source files, as `runserver` does.

Time is measured in one run and peak memory in a second run under tracemalloc
(Python allocations only; tracemalloc slows the code it watches). Figures only:
what is fast enough is for the reader to judge.
"""

import html
import tempfile
import time
import tracemalloc
from contextlib import contextmanager
from datetime import timedelta

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test import override_settings
from django.utils import timezone
from weasyprint import HTML

from issues.models import Issue
from meetings.models import DEFAULT_CRITERIA, Criterion, Desk, Field, Meeting, Minutes
from rakortek.accounts.models import Role, User
from rakortek.demo import seed as demo
from rakortek.documents import content
from rakortek.documents.catalog import SPECS
from rakortek.documents.rendering import RenderOptions

MIB = 1024 * 1024
# The static storage of a server (settings.py, DEBUG off).
PRODUCTION_STATIC_STORAGE = "whitenoise.storage.CompressedManifestStaticFilesStorage"


@contextmanager
def production_static():
    """Static files collected into a temporary STATIC_ROOT with the production storage."""
    with tempfile.TemporaryDirectory(prefix="rakortek-static-") as root:
        storages = {**settings.STORAGES, "staticfiles": {"BACKEND": PRODUCTION_STATIC_STORAGE}}
        with override_settings(STATIC_ROOT=root, STORAGES=storages):
            call_command("collectstatic", interactive=False, verbosity=0)
            yield root


class Command(BaseCommand):
    help = (
        "Print seconds, pages and peak memory of each official document for meetings of "
        "50, 500 and 2000 issues, next to a bare WeasyPrint table. Leaves no data behind."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--sizes", default="50,500,2000", help="Issues per meeting (default 50,500,2000)."
        )
        parser.add_argument(
            "--no-memory", action="store_true", help="Skip the second run under tracemalloc."
        )
        parser.add_argument(
            "--static",
            choices=["production", "development"],
            default="production",
            help="Render from collected, hashed static files as a server does (default), "
            "or from the source files.",
        )

    def handle(self, *args, sizes, no_memory, static, **options):
        try:
            sizes = sorted({int(size) for size in sizes.split(",") if size.strip()})
        except ValueError:
            raise CommandError("--sizes takes whole numbers, for example 50,500.") from None
        if not sizes or sizes[0] < 1:
            raise CommandError("--sizes must be positive.")
        fields = list(Field.objects.active())
        if not fields:
            raise CommandError("No fields: run migrate first.")
        self.memory = not no_memory
        if static == "production":
            self.stdout.write("Collecting static files as on a server (hashed, compressed)...")
            with production_static():
                self._run(sizes, fields, static)
        else:
            self._run(sizes, fields, static)

    def _run(self, sizes, fields, static):
        self.stdout.write(
            f"Official documents on {connection.vendor}, {static} static files; drafts; "
            "rolled back afterwards.\n"
            "seconds: one run; peak MiB: Python allocations (tracemalloc), a second run."
        )
        self.stdout.write(
            f"{'issues':>6}  {'document':<28} {'rows':>5} {'seconds':>8} {'pages':>6} "
            f"{'peak MiB':>9}  | bare table: {'seconds':>8} {'pages':>6} {'peak MiB':>9}"
        )
        with transaction.atomic():
            user = User.objects.create(
                username="bench-documents", full_name="Benchmark", role=Role.SECRETARIAT
            )
            for size in sizes:
                meeting = self._meeting(size, fields, user)
                demo.seed_bulk(meeting, size)
                for line in self._measure(meeting, size):
                    self.stdout.write(line)
            transaction.set_rollback(True)

    def _meeting(self, size, fields, user):
        starts = timezone.now() + timedelta(days=30)
        meeting = Meeting.objects.create(
            kind=Meeting.Kind.RAKORTEK,
            year=starts.year,
            title=f"Benchmark dokumen {size} isu",
            slug=f"bench-documents-{size}",
            starts_at=starts,
            ends_at=starts + timedelta(hours=8),
            venue="Ruang Auditorium",
            mode=Meeting.Mode.IN_PERSON,
            status=Meeting.Status.ACTIVE,
            created_by=user,
        )
        Desk.objects.bulk_create(Desk(meeting=meeting, field=field, chair=user) for field in fields)
        Criterion.objects.bulk_create(
            Criterion(meeting=meeting, name=name, description=text, weight=weight, order=order)
            for order, (name, text, weight, _labels) in enumerate(DEFAULT_CRITERIA, start=1)
        )
        Minutes.objects.create(
            meeting=meeting,
            opening="Rapat dibuka oleh Kepala Dinas.",
            discussion="Pembahasan isu strategis per desk.",
            decisions="Isu prioritas dibawa ke RAKORGUB.",
            closing="Rapat ditutup.",
            chair_name="Kepala Dinas",
            note_taker_name="Notulis",
        )
        return meeting

    def _measure(self, meeting, size):
        desk = max(
            meeting.desks.select_related("field", "chair", "meeting"),
            key=lambda d: content.count_document_issues(meeting, d),
        )
        every = content.document_issues(meeting)
        # The issues each document prints, for the bare table of the same rows.
        jobs = [
            ("rekapitulasi", None, every),
            ("rekapitulasi-xlsx", None, every),
            ("prioritas", desk, content.document_issues(meeting, desk)),
            ("notulen", None, every.filter(decision=Issue.Decision.PRIORITY)),
        ]
        for key, job_desk, issues in jobs:
            spec = SPECS[key]
            rows = issues.count()
            seconds, output = _timed(lambda s=spec, d=job_desk: s.render(meeting, d, _options()))
            if output.refused_assets:
                raise CommandError(
                    f"{spec.filename(job_desk)}: the renderer could not read the app's own "
                    f"assets {output.refused_assets}; the document would print unstyled."
                )
            peak = _peak(lambda s=spec, d=job_desk: s.render(meeting, d, _options()), self.memory)
            line = (
                f"{size:>6}  {spec.filename(job_desk):<28} {rows:>5} {seconds:>8.2f} "
                f"{_pages(output.pages):>6} {peak:>9}  | "
            )
            if spec.extension == "pdf":
                bare = _bare_table_html(issues)
                bare_seconds, bare_pages = _timed(lambda b=bare: _bare_render(b))
                bare_peak = _peak(lambda b=bare: _bare_render(b), self.memory)
                line += f"            {bare_seconds:>8.2f} {bare_pages:>6} {bare_peak:>9}"
            else:
                line += f"            {'-':>8} {'-':>6} {'-':>9}"
            yield line


def _options():
    return RenderOptions.create()


def _pages(pages):
    return "-" if pages is None else str(pages)


def _timed(function):
    start = time.perf_counter()
    result = function()
    return time.perf_counter() - start, result


def _peak(function, enabled) -> str:
    if not enabled:
        return "-"
    tracemalloc.start()
    try:
        function()
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return f"{peak / MIB:.1f}"


def _bare_table_html(issues) -> str:
    """The same issues as a plain HTML table: WeasyPrint's default font and fetcher."""
    cells = []
    for issue in issues.order_by("desk", "region", "number"):
        values = [
            issue.code,
            issue.region.name,
            issue.title,
            issue.place,
            issue.proposed_handling,
            issue.volume_text,
            str(issue.estimated_cost or ""),
            issue.funding_source,
            issue.authority,
            issue.decision,
            issue.decision_reason,
        ]
        cells.append("<tr>" + "".join(f"<td>{html.escape(v)}</td>" for v in values) + "</tr>")
    return (
        "<html><head><style>@page { size: A4 landscape; margin: 15mm }"
        "table { border-collapse: collapse; font-size: 8pt }"
        "td { border: 0.5pt solid #000; vertical-align: top }</style></head><body>"
        "<table><thead><tr>"
        + "<th>x</th>" * 11
        + "</tr></thead><tbody>"
        + "".join(cells)
        + "</tbody></table></body></html>"
    )


def _bare_render(source: str) -> int:
    document = HTML(string=source).render()
    document.write_pdf()
    return len(document.pages)
