"""What users wait for, in one table: pages, official documents and a load run.

    python manage.py bench                        # or: make bench
    python manage.py bench --sizes 10,100,500,3000 --runs 5
    python manage.py bench --only pages --only documents --sizes 10 --runs 1

The bench works on a database of its own, made for the run and dropped at the
end (also on Ctrl+C or a failure): on PostgreSQL `<database>_bench_<pid>` next to
the configured one (or on the server of `--database-url`), on SQLite a temporary
file. It is migrated, and per size a meeting with one desk is filled with that
many submitted issues (rakortek.demo.seed.seed_bulk), all of one region, so every
page below shows the same rows. Everything runs as on a server: DEBUG off, static
files collected into a temporary STATIC_ROOT with the production storage
(hashed, compressed, with a manifest), final documents stored in a temporary
MEDIA_ROOT.

pages      Each page through Django's test client (warm-up, then --runs runs; min
           and median milliseconds, queries of one request) beside Django admin's
           Issue changelist showing the same rows (list_per_page set to that
           count): the desk board, the desk's and the region's issue lists, the
           live board and the documents page.
documents  Each official document rendered as a draft (warm-up, runs, pages, peak
           memory of Python allocations in a further run under tracemalloc)
           beside a bare WeasyPrint table of the same rows; then "Finalisasi" of
           the recap as the page does it: a POST to the view, and when the view
           queues it, the job polled until the stored file exists, rendered by a
           real `manage.py db_worker` started for the bench.
load       gunicorn started the production way (deploy/gunicorn.conf.py, 2 sync
           workers, behind a TLS proxy as nginx sets it up) on loopback and
           loaded with wrk (2 threads, 8 connections, a session cookie):
           requests/s, p50 and p99 latency and non-2xx answers, beside Django
           admin's login page as the ceiling. PostgreSQL only; run at the sizes
           of 500 issues and more (the largest size when all are smaller).

Figures only: what is fast enough is for the reader to judge. The ratio column is
this/reference: time over time for pages and documents (above 1 is slower than
the reference), requests/s over requests/s for the load run.
"""

import contextlib
import ctypes
import html as html_lib
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.contrib import admin
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, connections
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from issues.models import Issue
from meetings.models import DEFAULT_CRITERIA, Criterion, Desk, Field, Meeting, Minutes, Region
from rakortek.accounts.models import Role, User
from rakortek.demo import seed as demo
from rakortek.documents import content
from rakortek.documents.catalog import SPECS
from rakortek.documents.management.commands.bench_documents import (
    _bare_render,
    _bare_table_html,
    production_static,
)
from rakortek.documents.models import FinalDocument, RenderJob
from rakortek.documents.rendering import RenderOptions
from rakortek.documents.services import document_reopen

BENCH_HOST = "bench.invalid"
PARTS = ("pages", "documents", "load")
MIB = 1024 * 1024
# Sizes from which the load run is made (the largest size when every one is smaller).
LOAD_FROM = 500
WRK = shutil.which("wrk") or "/usr/bin/wrk"
# Counts every answer that is not 2xx (wrk's own count leaves 3xx out: a redirect to
# the login page would pass as a success) and prints one line the bench reads.
WRK_SCRIPT = """
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) bad = 0 end
function response(status, headers, body)
  if status < 200 or status > 299 then bad = bad + 1 end
end
function done(summary, latency, requests)
  local bad_total = 0
  for _, thread in ipairs(threads) do bad_total = bad_total + thread:get("bad") end
  local e = summary.errors
  io.write(string.format("BENCH %d %d %d %d %d %d\\n", summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(99), bad_total,
    e.connect + e.read + e.write + e.timeout))
end
"""


@dataclass
class Row:
    part: str
    subject: str
    issues: int
    rows: int | str
    unit: str
    low: float
    median: float
    extra: str
    reference: str = ""
    ref_low: float | None = None
    ref_median: float | None = None
    ref_extra: str = ""
    ratio: float | None = None


class Command(BaseCommand):
    help = (
        "Time the pages, the official documents (through the real worker) and a gunicorn "
        "load run on a throwaway database; print one table with ratios to references."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--sizes", default="10,100,500", help="Issues per meeting (default 10,100,500)."
        )
        parser.add_argument(
            "--runs", type=int, default=3, help="Runs after the warm-up (default 3)."
        )
        parser.add_argument(
            "--only",
            action="append",
            choices=PARTS,
            help="Run only this part (repeatable); by default all three.",
        )
        parser.add_argument(
            "--database-url",
            default="",
            help="The database server to make the bench database on (default DATABASE_URL).",
        )
        parser.add_argument(
            "--load-seconds", type=int, default=10, help="Seconds per wrk run (default 10)."
        )
        parser.add_argument(
            "--port", type=int, default=0, help="gunicorn's port on 127.0.0.1 (default: free)."
        )

    def handle(self, *args, sizes, runs, only, database_url, load_seconds, port, **options):
        try:
            sizes = sorted({int(size) for size in sizes.split(",") if size.strip()})
        except ValueError:
            raise CommandError("--sizes takes whole numbers, for example 10,100,500.") from None
        if not sizes or sizes[0] < 1 or runs < 1 or load_seconds < 1:
            raise CommandError("--sizes, --runs and --load-seconds must be positive.")
        if database_url:
            # Settings are read once per process: run again with that database configured.
            argv = ["bench", "--sizes", ",".join(map(str, sizes)), "--runs", str(runs)]
            argv += ["--load-seconds", str(load_seconds), "--port", str(port)]
            for part in only or ():
                argv += ["--only", part]
            env = {**os.environ, "DATABASE_URL": database_url}
            manage = str(Path(settings.BASE_DIR) / "manage.py")
            code = subprocess.call([sys.executable, manage, *argv], env=env)
            if code:
                raise CommandError(f"The bench on {database_url} ended with status {code}.")
            return
        if settings.DEBUG:
            self._progress(
                "started with DEBUG=1: the bench turns DEBUG off, but templates stay in debug "
                "mode; run it as `make bench` does (DEBUG=0) for what a server does."
            )
        self.parts = [part for part in PARTS if part in (only or PARTS)]
        self.sizes, self.runs, self.load_seconds = sizes, runs, load_seconds
        self.port = port
        self.rows: list[Row] = []
        self.load_average = os.getloadavg()
        previous = signal.signal(signal.SIGTERM, _interrupt)
        try:
            with contextlib.ExitStack() as stack:
                self.stack = stack
                self.database_url = stack.enter_context(self._database())
                self.static_root = stack.enter_context(self._static())
                self.media_root = stack.enter_context(
                    tempfile.TemporaryDirectory(prefix="rakortek-bench-media-")
                )
                self.secret_key = secrets.token_urlsafe(40)
                stack.enter_context(
                    override_settings(
                        DEBUG=False,
                        SECRET_KEY=self.secret_key,
                        ALLOWED_HOSTS=[BENCH_HOST, "127.0.0.1"],
                        SECURE_SSL_REDIRECT=False,
                        MEDIA_ROOT=self.media_root,
                        SITE_URL="https://bench.invalid",
                    )
                )
                self._run()
        except KeyboardInterrupt:
            raise CommandError("Interrupted: processes stopped, database dropped.") from None
        finally:
            signal.signal(signal.SIGTERM, previous)
            # What was measured before a failure or Ctrl+C is printed all the same.
            if self.rows:
                self._print()

    # ---- The run ----

    def _run(self):
        fields = list(Field.objects.active())
        if not fields:
            raise CommandError("No fields after migrate.")
        self.secretariat = User.objects.create(
            username="bench-sekretariat", full_name="Benchmark", role=Role.SECRETARIAT
        )
        self.region = Region.objects.get(slug="pangkalpinang")
        self.delegate = User.objects.create(
            username="bench-delegasi",
            full_name="Benchmark",
            role=Role.DELEGATE,
            region=self.region,
        )
        self.superuser = User.objects.create(
            username="bench-admin",
            full_name="Benchmark",
            role=Role.SECRETARIAT,
            is_staff=True,
            is_superuser=True,
        )
        self.field = fields[0]
        worker = None
        for size in self.sizes:
            self._progress(f"{size} issues: seeding")
            meeting, desk = self._meeting(size)
            if "pages" in self.parts:
                self._pages(meeting, desk, size)
            if "documents" in self.parts:
                if worker is None:
                    command = [sys.executable, "manage.py", "db_worker"]
                    worker = self.stack.enter_context(self._start("worker", command, self._env()))
                self._documents(meeting, desk, size, worker)
            if "load" in self.parts and size in self._load_sizes():
                self._load(meeting, desk, size)

    def _load_sizes(self):
        large = [size for size in self.sizes if size >= LOAD_FROM]
        return large or self.sizes[-1:]

    def _meeting(self, size):
        now = timezone.now()
        meeting = Meeting.objects.create(
            title=f"RAKORTEK benchmark {size}",
            slug=f"bench-{size}",
            year=now.year,
            starts_at=now - timedelta(days=1),
            ends_at=now - timedelta(days=1) + timedelta(hours=8),
            venue="Benchmark",
            mode=Meeting.Mode.IN_PERSON,
            status=Meeting.Status.ACTIVE,
            created_by=self.secretariat,
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
        Minutes.objects.create(
            meeting=meeting,
            opening="Rapat dibuka oleh Kepala Dinas.",
            discussion="Pembahasan isu strategis per desk.",
            decisions="Isu prioritas dibawa ke RAKORGUB.",
            closing="Rapat ditutup.",
            chair_name="Kepala Dinas",
            note_taker_name="Notulis",
        )
        desk = Desk.objects.create(meeting=meeting, field=self.field)
        demo.seed_bulk(meeting, size, desks=[desk])
        # One region, so the region's list shows the same rows as the desk's.
        Issue.objects.filter(meeting=meeting).update(region=self.region)
        return meeting, desk

    # ---- Pages ----

    def _pages(self, meeting, desk, size):
        self._progress(f"{size} issues: pages")
        as_secretariat = _client(self.secretariat)
        as_delegate = _client(self.delegate)
        as_admin = _client(self.superuser)
        rows = Issue.objects.filter(meeting=meeting, submitted_at__isnull=False).count()
        marker = html_lib.escape(
            Issue.objects.filter(meeting=meeting).order_by("pk").first().title, quote=False
        )
        changelist = reverse("admin:issues_issue_changelist") + f"?meeting__id__exact={meeting.pk}"
        model_admin = admin.site._registry[Issue]
        per_page = model_admin.list_per_page
        model_admin.list_per_page = rows
        try:
            ref = _time_page(as_admin, changelist, marker, self.runs)
        finally:
            model_admin.list_per_page = per_page
        for subject, client, url, expected in self._page_urls(
            meeting, desk, as_secretariat, as_delegate, marker
        ):
            low, median, queries = _time_page(client, url, expected, self.runs)
            self._add(
                Row(
                    "pages",
                    subject,
                    size,
                    rows,
                    "ms",
                    low,
                    median,
                    f"{queries} q",
                    "admin changelist",
                    ref[0],
                    ref[1],
                    f"{ref[2]} q",
                    median / ref[1],
                )
            )

    def _page_urls(self, meeting, desk, as_secretariat, as_delegate, marker):
        slug = meeting.slug
        return [
            ("desk board", as_secretariat, reverse("issues:board", args=[desk.pk]), marker),
            (
                "desk issue list",
                as_secretariat,
                reverse("issues:desk_issues", args=[slug, desk.field.slug]),
                marker,
            ),
            (
                "region issue list",
                as_delegate,
                reverse("issues:meeting_issues", args=[slug]),
                marker,
            ),
            ("live board", as_secretariat, reverse("issues:live_board", args=[desk.pk]), marker),
            (
                "documents page",
                as_secretariat,
                reverse("documents:meeting", args=[slug]),
                "Rekapitulasi",
            ),
        ]

    # ---- Documents ----

    def _documents(self, meeting, desk, size, worker):
        every = content.document_issues(meeting)
        jobs = [
            ("rekapitulasi", None, every),
            ("rekapitulasi-xlsx", None, every),
            ("prioritas", desk, content.document_issues(meeting, desk)),
            ("notulen", None, every.filter(decision=Issue.Decision.PRIORITY)),
        ]
        recap_median = None
        for key, job_desk, issues in jobs:
            spec = SPECS[key]
            self._progress(f"{size} issues: {spec.filename(job_desk)}")
            rows = issues.count()

            def render(spec=spec, job_desk=job_desk):
                output = spec.render(meeting, job_desk, RenderOptions.create())
                if output.refused_assets:
                    raise CommandError(
                        f"{spec.filename(job_desk)}: the renderer could not read the app's own "
                        f"assets {output.refused_assets}; the document would print unstyled."
                    )
                return output

            times, output = _repeat(render, self.runs)
            peak = _peak(render)
            row = Row(
                "documents",
                spec.filename(job_desk),
                size,
                rows,
                "s",
                min(times),
                statistics.median(times),
                f"{_pages(output.pages)} p {peak:.1f} MiB",
            )
            if key == "rekapitulasi":
                recap_median = row.median
            if spec.extension == "pdf":
                bare = _bare_table_html(issues)
                bare_times, bare_pages = _repeat(lambda b=bare: _bare_render(b), self.runs)
                bare_peak = _peak(lambda b=bare: _bare_render(b))
                row.reference = "bare WeasyPrint table"
                row.ref_low, row.ref_median = min(bare_times), statistics.median(bare_times)
                row.ref_extra = f"{bare_pages} p {bare_peak:.1f} MiB"
                row.ratio = row.median / row.ref_median
            self._add(row)
        self._finalise(meeting, size, recap_median, worker)

    def _finalise(self, meeting, size, recap_median, worker):
        """Finalisasi of the recap as the page does it, until the stored file exists."""
        spec = SPECS["rekapitulasi"]
        self._progress(f"{size} issues: Finalisasi {spec.filename(None)}")
        client = _client(self.secretariat)
        url = reverse("documents:finalise", args=[meeting.slug, spec.key])
        self.busy_downloads = None
        self.stored_url = self._stored_final(meeting, client, worker)
        idle = [_download(client, self.stored_url) for _ in range(self.runs + 1)][1:]
        self.busy_downloads = []
        times, how = [], set()
        for run in range(self.runs + 1):
            current = FinalDocument.objects.filter(
                meeting=meeting, kind=spec.kind, is_current=True
            ).first()
            if current is not None:
                document_reopen(actor=self.secretariat, document=current, reason="Benchmark.")
            known_jobs = set(RenderJob.objects.filter(meeting=meeting).values_list("pk", flat=True))
            start = time.perf_counter()
            response = client.post(url)
            if response.status_code != 302:
                raise CommandError(f"{url} answered {response.status_code}, expected 302.")
            job = RenderJob.objects.filter(meeting=meeting).exclude(pk__in=known_jobs).first()
            if job is None:
                how.add("in the request")
            else:
                how.add("the worker")
                self._wait_for_job(client, job, worker)
            document = FinalDocument.objects.filter(
                meeting=meeting, kind=spec.kind, is_current=True, reopened_at__isnull=True
            ).first()
            if document is None or not default_storage.exists(document.file.name):
                raise CommandError(f"Finalisasi of {spec.filename(None)} stored no file.")
            if run:  # the first one is the warm-up
                times.append(time.perf_counter() - start)
        if self.busy_downloads:
            busy = self.busy_downloads
            self._add(
                Row(
                    "documents",
                    "stored final download during a render",
                    size,
                    "-",
                    "ms",
                    min(busy),
                    statistics.median(busy),
                    f"{len(busy)} downloads",
                    "the same download, idle",
                    min(idle),
                    statistics.median(idle),
                    "",
                    statistics.median(busy) / statistics.median(idle),
                )
            )
        self._add(
            Row(
                "documents",
                f"Finalisasi -> stored ({' / '.join(sorted(how))})",
                size,
                content.count_document_issues(meeting),
                "s",
                min(times),
                statistics.median(times),
                "",
                "draft render in process",
                None,
                recap_median,
                "",
                statistics.median(times) / recap_median if recap_median else None,
            )
        )

    def _stored_final(self, meeting, client, worker):
        """The download URL of a stored final (the recap spreadsheet, finalised here)."""
        spec = SPECS["rekapitulasi-xlsx"]
        document = FinalDocument.objects.filter(
            meeting=meeting, kind=spec.kind, is_current=True, reopened_at__isnull=True
        ).first()
        if document is None:
            known_jobs = set(RenderJob.objects.filter(meeting=meeting).values_list("pk", flat=True))
            client.post(reverse("documents:finalise", args=[meeting.slug, spec.key]))
            job = RenderJob.objects.filter(meeting=meeting).exclude(pk__in=known_jobs).first()
            if job is not None:
                self._wait_for_job(client, job, worker)
            document = FinalDocument.objects.filter(
                meeting=meeting, kind=spec.kind, is_current=True, reopened_at__isnull=True
            ).first()
        if document is None:
            raise CommandError("Finalisasi of the recap spreadsheet stored no file.")
        return reverse("documents:download", args=[document.pk])

    def _wait_for_job(self, client, job, worker, timeout=600):
        """Poll the job's status URL as the page's htmx does, until it is no longer active."""
        url = reverse("documents:job", args=[job.pk])
        deadline = time.monotonic() + timeout
        while True:
            response = client.get(url, headers={"HX-Request": "true"})
            if response.status_code != 200:
                raise CommandError(f"{url} answered {response.status_code}.")
            if response.get("HX-Refresh"):
                break
            worker.check()
            # A stored final downloaded while the worker renders (after it has started).
            if (
                self.busy_downloads is not None
                and RenderJob.objects.filter(pk=job.pk, status=RenderJob.Status.RUNNING).exists()
                and len(self.busy_downloads) < 10 * self.runs
            ):
                self.busy_downloads.append(_download(client, self.stored_url))
            if time.monotonic() > deadline:
                raise CommandError(f"The worker did not finish job {job.pk} in {timeout} s.")
            time.sleep(0.1)
        job.refresh_from_db()
        if job.status != RenderJob.Status.DONE:
            raise CommandError(f"The worker's rendering failed: {job.error}")

    # ---- Load ----

    def _load(self, meeting, desk, size):
        if connection.vendor != "postgresql":
            self._progress("load: skipped, it needs PostgreSQL (DATABASE_URL=postgres://...)")
            self._add(Row("load", "skipped: needs PostgreSQL", size, "-", "req/s", 0, 0, ""))
            return
        if not os.access(WRK, os.X_OK):
            self._progress("load: skipped, wrk is not installed (apt install wrk)")
            self._add(Row("load", "skipped: needs wrk", size, "-", "req/s", 0, 0, ""))
            return
        self._progress(f"{size} issues: load run, starting gunicorn")
        port = self.port or _free_port()
        base = f"http://127.0.0.1:{port}"
        env = {
            **self._env(),
            "GUNICORN_BIND": f"127.0.0.1:{port}",
            "GUNICORN_WORKERS": "2",
            # One thread each: with more, gunicorn runs gthread workers whatever the class.
            "GUNICORN_THREADS": "1",
            "GUNICORN_LOG_LEVEL": "warning",
            "BEHIND_TLS_PROXY": "1",
        }
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "-c",
            "deploy/gunicorn.conf.py",
            "--worker-class",
            "sync",
            "rakortek.wsgi",
        ]
        with self._start("gunicorn", command, env) as server:
            _wait_until_up(base + reverse("healthz"), server)
            cookies = {
                "secretariat": _session_cookie(self.secretariat),
                "delegate": _session_cookie(self.delegate),
            }
            rows = Issue.objects.filter(meeting=meeting, submitted_at__isnull=False).count()
            marker = html_lib.escape(
                Issue.objects.filter(meeting=meeting).order_by("pk").first().title, quote=False
            )
            login = reverse("admin:login")
            ref = self._wrk(base, login, None, "csrfmiddlewaretoken", server)
            pages = self._page_urls(meeting, desk, None, "delegate", marker)
            for subject, who, url, expected in pages:
                cookie = cookies["delegate" if who == "delegate" else "secretariat"]
                result = self._wrk(base, url, cookie, expected, server)
                self._add(
                    Row(
                        "load",
                        subject,
                        size,
                        rows,
                        "req/s",
                        result.low,
                        result.median,
                        result.extra,
                        "admin login page",
                        ref.low,
                        ref.median,
                        ref.extra,
                        result.median / ref.median if ref.median else None,
                    )
                )

    def _wrk(self, base, path, cookie, expected, server):
        headers = {"X-Forwarded-Proto": "https"}
        if cookie:
            headers["Cookie"] = cookie
        _check_answer(base + path, headers, expected)
        self._progress(f"load: {path}")
        with tempfile.NamedTemporaryFile("w", suffix=".lua") as script:
            script.write(WRK_SCRIPT)
            script.flush()
            command = [WRK, "-t2", "-c8", "--timeout", "30s", "-s", script.name]
            for name, value in headers.items():
                command += ["-H", f"{name}: {value}"]
            results = []
            for run in range(self.runs + 1):
                seconds = 2 if run == 0 else self.load_seconds
                output = subprocess.run(
                    [*command, f"-d{seconds}s", base + path],
                    capture_output=True,
                    text=True,
                    timeout=seconds + 60,
                    check=False,
                )
                server.check()
                match = re.search(
                    r"^BENCH (\d+) (\d+) (\d+) (\d+) (\d+) (\d+)$", output.stdout, re.M
                )
                if not match:
                    raise CommandError(f"wrk failed: {output.stdout}{output.stderr}")
                if run:
                    results.append([int(value) for value in match.groups()])
        return _LoadResult(results)

    # ---- Processes, database, static files ----

    def _env(self):
        return {
            **os.environ,
            "DATABASE_URL": self.database_url,
            "DEBUG": "0",
            "SECRET_KEY": self.secret_key,
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "STATIC_ROOT": self.static_root,
            "MEDIA_ROOT": self.media_root,
            "STORAGE_URL": "",
            "SITE_URL": "https://bench.invalid",
            "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
            "LOG_LEVEL": "WARNING",
            "SENTRY_DSN": "",
        }

    def _start(self, name, command, env):
        log = tempfile.NamedTemporaryFile(prefix=f"rakortek-bench-{name}-", suffix=".log")
        process = subprocess.Popen(
            command,
            cwd=settings.BASE_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            # Its own process group, stopped by the bench; and stopped by the kernel if
            # the bench itself is killed.
            start_new_session=True,
            preexec_fn=_die_with_parent,
        )
        return _Process(name, process, log)

    @contextlib.contextmanager
    def _database(self):
        """A fresh database for the run, migrated; dropped afterwards, whatever happens."""
        db = connection.settings_dict
        original = db["NAME"]
        if connection.vendor == "postgresql":
            name = f"{original}_bench_{os.getpid()}"
            try:
                with connection._nodb_cursor() as cursor:
                    cursor.execute(f'CREATE DATABASE "{name}"')
            except Exception as error:
                raise CommandError(f"Cannot create the database {name}: {error}") from error
            auth = quote(db["USER"] or "", safe="")
            if db["PASSWORD"]:
                auth += ":" + quote(db["PASSWORD"], safe="")
            url = f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"
            where = None
        elif connection.vendor == "sqlite":
            where = tempfile.mkdtemp(prefix="rakortek-bench-db-")
            name = str(Path(where) / "bench.sqlite3")
            url = f"sqlite:///{name}"
        else:
            raise CommandError(f"The bench runs on PostgreSQL or SQLite, not {connection.vendor}.")
        self._progress(f"Database {name} (dropped at the end); migrating")
        try:
            connections.close_all()
            settings.DATABASES["default"]["NAME"] = db["NAME"] = name
            call_command("migrate", interactive=False, verbosity=0)
            yield url
        finally:
            # Ctrl+C (or SIGTERM) again while cleaning up would leave the database behind.
            previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
            previous_term = signal.signal(signal.SIGTERM, signal.SIG_IGN)
            try:
                connections.close_all()
                settings.DATABASES["default"]["NAME"] = db["NAME"] = original
                if where is None:
                    with connection._nodb_cursor() as cursor:
                        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                    connections.close_all()
                else:
                    shutil.rmtree(where, ignore_errors=True)
            finally:
                signal.signal(signal.SIGINT, previous)
                signal.signal(signal.SIGTERM, previous_term)

    @contextlib.contextmanager
    def _static(self):
        self._progress("Collecting static files as on a server (hashed, compressed)")
        with production_static() as root:
            yield root

    # ---- Output ----

    def _add(self, row):
        """A row of the table, also shown as it comes (a stopped run still says something)."""
        self.rows.append(row)
        self._progress(self._line(row))

    def _progress(self, text):
        self.stderr.write(f"bench: {text}")

    def _print(self):
        where = connection.vendor
        self.stdout.write(
            f"Rakortek bench on {where}, DEBUG=0, collected hashed static files; "
            f"warm-up then {self.runs} run(s), min and median.\n"
            f"{os.cpu_count()} CPUs; load average {_load(self.load_average)} at the start, "
            f"{_load(os.getloadavg())} at the end (other work on the machine skews every "
            "figure: compare rows of one run).\n"
            "ratio: this/reference (time over time: >1 is slower; load: requests/s over "
            "requests/s).\n"
            "q: queries of one request; p: pages; MiB: peak Python allocations; load extra: "
            f"p50/p99 ms, non-2xx and socket errors over the runs (wrk -t2 -c8, "
            f"{self.load_seconds} s each)."
        )
        header = (
            f"{'part':<9} {'subject':<38} {'issues':>6} {'rows':>5} {'unit':<5} {'min':>8} "
            f"{'median':>8} {'':<24} | {'reference':<24} {'min':>8} {'median':>8} {'':<24} "
            f"| {'ratio':>6}"
        )
        self.stdout.write(header)
        self.stdout.write("-" * len(header))
        for row in self.rows:
            self.stdout.write(self._line(row))

    def _line(self, row):
        return (
            f"{row.part:<9} {row.subject:<38} {row.issues:>6} {row.rows!s:>5} {row.unit:<5} "
            f"{_number(row.low):>8} {_number(row.median):>8} {row.extra:<24} | "
            f"{row.reference:<24} {_number(row.ref_low):>8} {_number(row.ref_median):>8} "
            f"{row.ref_extra:<24} | {_ratio(row.ratio):>6}"
        )


# ---- Helpers ----


class _Process:
    def __init__(self, name, process, log):
        self.name, self.process, self.log = name, process, log

    def check(self):
        if self.process.poll() is not None:
            self.log.seek(0)
            tail = self.log.read()[-3000:].decode(errors="replace")
            raise CommandError(f"{self.name} stopped ({self.process.returncode}):\n{tail}")

    def close(self):
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.log.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


class _LoadResult:
    def __init__(self, results):
        rates = [requests / (duration / 1e6) for requests, duration, *_ in results]
        self.low, self.median = min(rates), statistics.median(rates)
        p50 = statistics.median(r[2] for r in results) / 1000
        p99 = statistics.median(r[3] for r in results) / 1000
        bad = sum(r[4] for r in results)
        errors = sum(r[5] for r in results)
        if not any(r[0] for r in results):
            # wrk counts the requests answered within the run; slower ones are not counted.
            self.extra = f"none answered in a run {errors} err"
        else:
            self.extra = f"{p50:.0f}/{p99:.0f} ms {bad}+{errors} err"


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def _die_with_parent():
    """The child gets SIGTERM when the bench dies (Linux; elsewhere nothing)."""
    with contextlib.suppress(Exception):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def _client(user):
    client = Client(HTTP_HOST=BENCH_HOST)
    client.force_login(user)
    return client


def _session_cookie(user):
    client = _client(user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def _time_page(client, url, expected, runs):
    """(min ms, median ms, queries of one request), after a warm-up that checks the page."""
    queries = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        response = client.get(url)
    body = response.content.decode(errors="replace")
    if response.status_code != 200 or expected not in body:
        raise CommandError(
            f"{url} answered {response.status_code} without {expected!r}: not the page to time."
        )
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        client.get(url)
        timings.append((time.perf_counter() - start) * 1000)
    return min(timings), statistics.median(timings), len(queries)


def _download(client, url) -> float:
    """Milliseconds to download `url` whole (a streamed answer read to its end)."""
    start = time.perf_counter()
    response = client.get(url)
    if response.status_code != 200:
        raise CommandError(f"{url} answered {response.status_code}, expected 200.")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if not body:
        raise CommandError(f"{url} answered an empty file.")
    return (time.perf_counter() - start) * 1000


def _repeat(function, runs):
    """Seconds of `runs` runs after a warm-up, and the last result."""
    result = function()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return times, result


def _peak(function) -> float:
    tracemalloc.start()
    try:
        function()
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak / MIB


def _pages(pages):
    return "-" if pages is None else str(pages)


def _number(value):
    if value is None:
        return "-"
    return f"{value:.1f}" if value >= 10 else f"{value:.2f}"


def _load(average):
    return "/".join(f"{value:.1f}" for value in average)


def _ratio(value):
    return "-" if value is None else f"{value:.2f}x"


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until_up(url, server, timeout=120):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        server.check()
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except urllib.error.HTTPError:
            # It answers (503 while no task worker runs beside it): the server is up.
            return
        except OSError:
            pass
        time.sleep(0.3)
    raise CommandError(f"gunicorn did not answer {url} within {timeout} s.")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _check_answer(url, headers, expected):
    """The page answers 200 with its content (a redirect to the login page is no page)."""
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        response = opener.open(urllib.request.Request(url, headers=headers), timeout=120)
    except urllib.error.HTTPError as error:
        response = error
    body = response.read().decode(errors="replace")
    if response.status != 200 or expected not in body:
        raise CommandError(
            f"{url} answered {response.status} without {expected!r} under gunicorn: "
            "not the page to load."
        )
