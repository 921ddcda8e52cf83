"""`manage.py bench` keeps working: a tiny run prints its table's rows and leaves nothing.

The bench makes and drops a database of its own and starts its own processes, so it
runs here as a separate program, the way `make bench` runs it. Both tests are deployment
tests (`pytest -m deploy`, run once by CI): a fresh database and its renders take minutes.
"""

import os
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import environ
import pytest

BASE_DIR = Path(__file__).resolve().parent.parent
# Migrating a fresh database and rendering take minutes on a busy machine.
TIMEOUT = 1200
PAGES = ("desk board", "desk issue list", "region issue list", "live board", "documents page")


def _bench(*args):
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": "bench-test-only",
        "ALLOWED_HOSTS": "127.0.0.1",
        # Ten issues are a large document here: "Finalisasi" goes through the task worker.
        "DOCUMENTS_BACKGROUND_ROWS": "5",
    }
    process = subprocess.Popen(
        [sys.executable, "manage.py", "bench", "--sizes", "10", "--runs", "1", *args],
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        stdout, stderr = process.communicate(timeout=TIMEOUT - 120)
    finally:
        if process.poll() is None:
            # Stopped the way Ctrl+C stops it, so that it drops its database.
            process.send_signal(signal.SIGTERM)
            process.communicate(timeout=90)
    result = subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-4000:]
    return result


def _rows(output, part):
    return [line for line in output.splitlines() if line.startswith(part + " ")]


def _database_left(stderr):
    """Whether the database the bench made still exists."""
    name = re.search(r"^bench: Database (\S+)", stderr, re.M).group(1)
    if "/" in name:
        return Path(name).exists()
    import psycopg2

    config = environ.Env.db_url_config(os.environ["DATABASE_URL"])
    db = psycopg2.connect(
        dbname="postgres",
        host=config["HOST"] or "127.0.0.1",
        port=config["PORT"] or 5432,
        user=config["USER"],
        password=config["PASSWORD"] or None,
    )
    try:
        with db.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            return cursor.fetchone() is not None
    finally:
        db.close()


@pytest.mark.deploy
@pytest.mark.timeout(TIMEOUT)
def test_pages_and_documents_print_their_rows_beside_their_references():
    result = _bench("--only", "pages", "--only", "documents")
    pages = _rows(result.stdout, "pages")
    for subject in PAGES:
        row = next(line for line in pages if subject in line)
        assert "admin changelist" in row
        assert re.search(r"\d+ q\s", row), row
        assert re.search(r"\d+\.\d+x$", row), row
    documents = _rows(result.stdout, "documents")
    recap = next(line for line in documents if " rekapitulasi" in line and ".pdf" in line)
    assert "bare WeasyPrint table" in recap
    assert re.search(r"\d+ p [\d.]+ MiB", recap), recap
    assert any("Finalisasi -> stored (the worker)" in line for line in documents), documents
    assert not _rows(result.stdout, "load")
    assert not _database_left(result.stderr)


@pytest.mark.deploy
@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres") or not shutil.which("wrk"),
    reason="the load run needs PostgreSQL (DATABASE_URL) and wrk",
)
@pytest.mark.timeout(TIMEOUT)
def test_load_run_prints_each_page_beside_the_admin_login_page():
    result = _bench("--only", "load", "--load-seconds", "1")
    load = _rows(result.stdout, "load")
    for subject in PAGES:
        row = next(line for line in load if subject in line)
        assert "admin login page" in row
        # Every answer was a 200: no error counted.
        assert " 0+0 err" in row, row
    assert not _database_left(result.stderr)
