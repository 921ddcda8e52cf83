"""Timings of the issue lists and of the follow-up pages at a given meeting size.

Runs on the configured database inside one transaction that is rolled back at the
end: a throwaway meeting with a desk per field is filled with generated issues
(rakortek.demo.seed.seed_bulk); its Prioritas issues become the signed points of a
RAKORGUB package, each with two follow-up reports. Pages are requested through
Django's test client: the secretariat's list of every issue, a delegate's list of
their region's issues, one desk's list, the follow-up overview and a point's page.
Figures only; what is fast enough is for the reader to judge.
"""

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test import Client
from django.test.utils import override_settings
from django.urls import reverse
from django.utils import timezone

from issues.models import FollowUpUpdate, Issue, PackagePoint, RakorgubPackage
from meetings.models import DEFAULT_CRITERIA, Criterion, Desk, Field, Meeting, Region
from rakortek.accounts.models import Role, User
from rakortek.demo import seed as demo
from rakortek.management.commands.bench_board import BENCH_HOST, _get, _measure

S = PackagePoint.Status


class Command(BaseCommand):
    help = (
        "Print timings (median of several runs) of the issue lists and the follow-up pages "
        "for meetings of 100 and 1000 issues. Leaves no data behind."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--sizes",
            default="100,1000",
            help="Issues per meeting, comma-separated (default 100,1000).",
        )
        parser.add_argument("--runs", type=int, default=5, help="Runs per measurement (default 5).")

    def handle(self, *args, **options):
        try:
            sizes = sorted({int(size) for size in options["sizes"].split(",") if size.strip()})
        except ValueError:
            raise CommandError("--sizes takes whole numbers, for example 100,1000.") from None
        if not sizes or sizes[0] < 1 or options["runs"] < 1:
            raise CommandError("--sizes and --runs must be positive.")
        if not Field.objects.exists():
            raise CommandError("No fields: run migrate first.")
        runs = options["runs"]
        self.stdout.write(
            f"Issue lists and follow-up on {connection.vendor}, median of {runs} runs "
            "(time, queries; rolled back afterwards)"
        )
        names = ("all issues", "one region", "one desk", "follow-up", "a point")
        self.stdout.write(f"{'issues':>7}  {'points':>6}  " + "  ".join(f"{n:>18}" for n in names))
        with override_settings(ALLOWED_HOSTS=[BENCH_HOST], SECURE_SSL_REDIRECT=False):
            with transaction.atomic():
                meeting, secretariat, delegate = self._setup()
                as_secretariat = Client(HTTP_HOST=BENCH_HOST)
                as_secretariat.force_login(secretariat)
                as_delegate = Client(HTTP_HOST=BENCH_HOST)
                as_delegate.force_login(delegate)
                for size in sizes:
                    demo.seed_bulk(meeting, size)
                    points = self._package(meeting, secretariat)
                    self.stdout.write(self._row(meeting, as_secretariat, as_delegate, points, runs))
                transaction.set_rollback(True)

    def _setup(self):
        now = timezone.now()
        secretariat = User.objects.create(
            username="bench-pages-sekretariat",
            full_name="Benchmark",
            role=Role.SECRETARIAT,
            email="bench@example.invalid",
        )
        region = Region.objects.get(slug="pangkalpinang")
        delegate = User.objects.create(
            username="bench-pages-delegasi",
            full_name="Benchmark",
            role=Role.DELEGATE,
            region=region,
            email="bench-delegasi@example.invalid",
        )
        meeting = Meeting.objects.create(
            title="RAKORTEK benchmark",
            slug="rakortek-benchmark-pages",
            year=now.year,
            starts_at=now - timedelta(days=60),
            ends_at=now - timedelta(days=60) + timedelta(hours=8),
            venue="Benchmark",
            mode=Meeting.Mode.IN_PERSON,
            status=Meeting.Status.ACTIVE,
        )
        for order, (name, description, weight, labels) in enumerate(DEFAULT_CRITERIA, 1):
            Criterion.objects.create(
                meeting=meeting,
                name=name,
                description=description,
                weight=weight,
                order=order,
                level_labels=labels,
            )
        for field in Field.objects.active():
            Desk.objects.create(meeting=meeting, field=field)
        return meeting, secretariat, delegate

    def _package(self, meeting, secretariat):
        """(Re)build the signed package: one point per Prioritas issue, two reports each."""
        RakorgubPackage.objects.filter(meeting=meeting).delete()
        rakorgub = Meeting.objects.filter(follows=meeting).first() or Meeting.objects.create(
            kind=Meeting.Kind.RAKORGUB,
            follows=meeting,
            title="RAKORGUB benchmark",
            slug="rakorgub-benchmark-pages",
            year=meeting.year,
            starts_at=meeting.starts_at + timedelta(days=3),
            ends_at=meeting.starts_at + timedelta(days=3, hours=6),
            venue="Benchmark",
            mode=Meeting.Mode.IN_PERSON,
            status=Meeting.Status.ACTIVE,
        )
        now = timezone.now()
        package = RakorgubPackage.objects.create(
            meeting=meeting,
            rakorgub=rakorgub,
            status=RakorgubPackage.Status.SIGNED,
            document_number="BENCH",
            document_sha256="0" * 64,
            content_sha256="0" * 64,
            forwarded_by=secretariat,
            forwarded_at=now,
            signed_on=rakorgub.starts_at.date(),
            signed_scan="rakorgub/bench.pdf",
        )
        priorities = list(
            Issue.objects.filter(meeting=meeting, decision=Issue.Decision.PRIORITY)
            .select_related("desk")
            .order_by("desk__field__order", "rank")
        )
        today = timezone.localdate()
        cycle = [(S.NOT_STARTED, 0), (S.IN_PROGRESS, 40), (S.BLOCKED, 20), (S.DONE, 100)]
        points = PackagePoint.objects.bulk_create(
            PackagePoint(
                package=package,
                desk=issue.desk,
                number=number,
                text=f"Penanganan {issue.title}.",
                responsible="Dinas PUPRPRKP Provinsi",
                due="Tahun Anggaran 2024",
                target_date=today + timedelta(days=(number % 5 - 2) * 30),
                status=cycle[number % 4][0],
                progress=cycle[number % 4][1],
                reported_on=today - timedelta(days=number % 20),
            )
            for number, issue in enumerate(priorities, start=1)
        )
        PackagePoint.source_issues.through.objects.bulk_create(
            PackagePoint.source_issues.through(packagepoint=point, issue=issue)
            for point, issue in zip(points, priorities, strict=True)
        )
        PackagePoint.regions.through.objects.bulk_create(
            PackagePoint.regions.through(packagepoint=point, region_id=issue.region_id)
            for point, issue in zip(points, priorities, strict=True)
        )
        FollowUpUpdate.objects.bulk_create(
            FollowUpUpdate(
                point=point,
                reported_on=point.reported_on - timedelta(days=days),
                status=point.status,
                progress=point.progress,
                from_status=S.NOT_STARTED,
                from_progress=0,
                note="Laporan progres pekerjaan untuk pengukuran.",
                author=secretariat,
            )
            for point in points
            for days in (0, 30)
        )
        return points

    def _row(self, meeting, as_secretariat, as_delegate, points, runs):
        issues = reverse("issues:meeting_issues", kwargs={"slug": meeting.slug})
        desk = meeting.desks.select_related("field").first()
        desk_list = reverse(
            "issues:desk_issues", kwargs={"slug": meeting.slug, "field_slug": desk.field.slug}
        )
        overview = reverse("issues:followup") + f"?rapat={meeting.slug}"
        cells = [
            _measure(lambda: _get(as_secretariat, issues), runs),
            _measure(lambda: _get(as_delegate, issues), runs),
            _measure(lambda: _get(as_secretariat, desk_list), runs),
            _measure(lambda: _get(as_secretariat, overview), runs),
        ]
        if points:
            point = reverse("issues:followup_point", kwargs={"pk": points[0].pk})
            cells.append(_measure(lambda: _get(as_delegate, point), runs))
        text = "  ".join(f"{ms:>9.1f} ms ({queries:>3} q)" for ms, queries in cells)
        count = Issue.objects.filter(meeting=meeting, submitted_at__isnull=False).count()
        return f"{count:>7}  {len(points):>6}  {text}"
