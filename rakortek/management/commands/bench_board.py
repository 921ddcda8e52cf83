"""Timings of the desk board, the live board and duplicate detection at a given desk size.

Runs on the configured database inside one transaction that is rolled back at the
end, so it leaves nothing behind: a throwaway meeting with one desk is filled with
generated issues (rakortek.demo.seed.seed_bulk) up to each size in turn, and every page
is requested through Django's test client as the secretariat. Figures only; what
is fast enough is for the reader to judge.
"""

import statistics
import time
from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test import Client
from django.test.utils import override_settings
from django.urls import reverse
from django.utils import timezone

from issues.board.duplicates import desk_duplicates
from meetings.models import DEFAULT_CRITERIA, Criterion, Desk, Field, Meeting
from rakortek.accounts.models import Role, User
from rakortek.demo import seed as demo

BENCH_HOST = "bench.invalid"


class Command(BaseCommand):
    help = (
        "Print timings (median of several runs) of the desk board, the live board's rows "
        "and duplicate detection for desks of 50 and 500 issues. Leaves no data behind."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--sizes",
            default="50,500",
            help="Issues per desk, comma-separated (default 50,500).",
        )
        parser.add_argument("--runs", type=int, default=7, help="Runs per measurement (default 7).")

    def handle(self, *args, **options):
        try:
            sizes = sorted({int(size) for size in options["sizes"].split(",") if size.strip()})
        except ValueError:
            raise CommandError("--sizes takes whole numbers, for example 50,500.") from None
        if not sizes or sizes[0] < 1 or options["runs"] < 1:
            raise CommandError("--sizes and --runs must be positive.")
        field = Field.objects.order_by("order").first()
        if field is None:
            raise CommandError("No fields: run migrate first.")
        runs = options["runs"]
        vendor = connection.vendor
        self.stdout.write(
            f"Desk board benchmark on {vendor}, median of {runs} runs "
            "(time, queries; rolled back afterwards)"
        )
        header = (
            f"{'issues':>7}  {'desk board':>18}  {'live rows, changed':>20}  "
            f"{'live rows, unchanged':>21}  {'duplicates':>18}  {'pairs':>6}"
        )
        self.stdout.write(header)
        # No HTTPS redirect and a host of our own, whatever the deployment settings.
        with override_settings(ALLOWED_HOSTS=[BENCH_HOST], SECURE_SSL_REDIRECT=False):
            with transaction.atomic():
                desk, user = self._setup(field)
                client = Client(HTTP_HOST=BENCH_HOST)
                client.force_login(user)
                for size in sizes:
                    demo.seed_bulk(desk.meeting, size, desks=[desk])
                    self.stdout.write(self._row(client, desk, size, runs))
                transaction.set_rollback(True)

    def _setup(self, field):
        now = timezone.now()
        user = User.objects.create(
            username="bench-board-sekretariat",
            full_name="Benchmark",
            role=Role.SECRETARIAT,
            email="bench@example.invalid",
        )
        meeting = Meeting.objects.create(
            title="RAKORTEK benchmark",
            slug="rakortek-benchmark-board",
            year=now.year,
            starts_at=now,
            ends_at=now + timedelta(hours=8),
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
        desk = Desk.objects.create(meeting=meeting, field=field, chair=None)
        return desk, user

    def _row(self, client, desk, size, runs):
        board = reverse("issues:board", kwargs={"desk_id": desk.pk})
        rows = reverse("issues:live_rows", kwargs={"desk_id": desk.pk})
        version = client.get(rows)["ETag"].strip('"')
        cells = [
            _measure(lambda: _get(client, board), runs),
            _measure(lambda: _get(client, rows), runs),
            _measure(lambda: _get(client, rows, {"v": version}, expect=204), runs),
        ]
        pairs = []
        cells.append(_measure(lambda: pairs.append(len(desk_duplicates(desk))), runs))
        count = desk.issues.count()
        text = "  ".join(f"{ms:>9.1f} ms ({queries:>3} q)" for ms, queries in cells)
        return f"{count:>7}  {text}  {pairs[-1]:>6}"


def _get(client, url, data=None, expect=200):
    response = client.get(url, data)
    if response.status_code != expect:
        raise CommandError(f"{url} answered {response.status_code}, expected {expect}.")


def _measure(action, runs):
    """(median milliseconds, queries of one run)."""
    queries = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    # Counted on the way to the database: the test client's requests reset Django's
    # own query log when they start.
    with connection.execute_wrapper(count):
        action()
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        timings.append((time.perf_counter() - start) * 1000)
    return statistics.median(timings), len(queries)
