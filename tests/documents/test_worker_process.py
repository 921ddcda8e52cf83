"""A real `manage.py db_worker` killed (SIGKILL) in the middle of a final rendering.

The job must not stay "proses": a second worker sees that the first one's
heartbeat stopped, queues the job again and finishes it, with one stored
version. The workers are separate processes, so they need a database they can
open: on PostgreSQL the test database itself; on SQLite, whose test database
lives in this process's memory, a file database migrated for this test, which
the test process then uses too.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection, connections
from django.db.utils import load_backend
from django_tasks_db.models import DBTaskResult

from rakortek.demo import seed as demo
from rakortek.documents.catalog import SPECS
from rakortek.documents.models import FinalDocument, RenderJob
from rakortek.documents.services import document_job_enqueue
from rakortek.models import WorkerHeartbeat
from tests.documents.conftest import lock_board

ROOT = Path(__file__).resolve().parent.parent.parent


def database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def wait_for(condition, what, timeout=180):
    """Poll the database until `condition()` holds (a wait, not a timing assertion)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    pytest.fail(f"gave up waiting for {what}")


@pytest.fixture
def shared_database(transactional_db, tmp_path):
    """A database the worker processes can open too; the test's own connection uses it."""
    if not (connection.vendor == "sqlite" and connection.is_in_memory_db()):
        yield
        return
    path = tmp_path / "shared.sqlite3"
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--no-input", "-v0"],
        cwd=ROOT,
        env={**os.environ, "DEBUG": "1", "DATABASE_URL": f"sqlite:///{path}"},
        check=True,
    )
    original = connections["default"]
    backend = load_backend(original.settings_dict["ENGINE"])
    shared = backend.DatabaseWrapper({**original.settings_dict, "NAME": str(path)}, "default")
    connections["default"] = shared
    try:
        yield
    finally:
        shared.close()
        connections["default"] = original


@pytest.fixture
def start_worker(tmp_path):
    processes = []
    env = {
        **os.environ,
        "DEBUG": "1",
        "DATABASE_URL": database_url(),
        "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
        "MEDIA_ROOT": str(tmp_path / "media"),
        "WORKER_HEARTBEAT_SECONDS": "0.5",
        "WORKER_STALE_SECONDS": "3",
    }

    def start(worker_id):
        log = (tmp_path / f"{worker_id}.log").open("w")
        process = subprocess.Popen(
            [sys.executable, "manage.py", "db_worker", "--no-reload", "--no-startup-delay"]
            + ["--interval", "0.2", "--worker-id", worker_id],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        processes.append(process)
        return process

    yield start
    for process in processes:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=30)


@pytest.fixture
def big_meeting(monday_meeting, desk_bina_marga, desk_sda, secretariat):
    """A recap of some 400 issues: several seconds of rendering to kill a worker in."""
    demo.seed_bulk(monday_meeting, 400, desks=[desk_bina_marga, desk_sda])
    lock_board(desk_bina_marga)
    lock_board(desk_sda)
    return monday_meeting


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_render_is_replaced_and_the_document_stored_once(
    shared_database, settings, big_meeting, secretariat, start_worker, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

    first = start_worker("worker-a")
    wait_for(lambda: WorkerHeartbeat.objects.filter(worker_id="worker-a").exists(), "a beat")
    job = document_job_enqueue(actor=secretariat, meeting=big_meeting, spec=SPECS["rekapitulasi"])
    wait_for(
        lambda: RenderJob.objects.filter(pk=job.pk, status=RenderJob.Status.RUNNING).exists(),
        "the first worker to start rendering",
    )
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=30)

    # What a dead worker leaves: the job "proses", its task RUNNING, nothing stored.
    job.refresh_from_db()
    lost = DBTaskResult.objects.get(pk=job.task_id)
    assert job.status == RenderJob.Status.RUNNING and lost.status == "RUNNING"
    assert lost.worker_ids == ["worker-a"]
    assert not FinalDocument.objects.exists()

    second = start_worker("worker-b")
    wait_for(
        lambda: (
            RenderJob.objects.filter(pk=job.pk, status=RenderJob.Status.DONE).exists()
            or RenderJob.objects.filter(pk=job.pk, status=RenderJob.Status.FAILED).exists()
        ),
        "the second worker to finish the job",
    )
    job.refresh_from_db()
    lost.refresh_from_db()
    assert job.status == RenderJob.Status.DONE, (tmp_path / "worker-b.log").read_text()
    assert job.attempts == 2
    assert (
        lost.status == "FAILED" and lost.exception_class_path == "rakortek.core.worker.WorkerLost"
    )
    # The worker records its task's outcome after the job itself is done.
    wait_for(
        lambda: DBTaskResult.objects.filter(pk=job.task_id).exclude(status="RUNNING").exists(),
        "the second worker to record the task's outcome",
    )
    retried = DBTaskResult.objects.get(pk=job.task_id)
    assert retried.status == "SUCCESSFUL" and retried.worker_ids == ["worker-b"]
    document = FinalDocument.objects.get()
    assert job.document == document and document.version == 1 and document.pages > 1

    # A worker stopped cleanly (SIGTERM) takes its heartbeat with it.
    assert WorkerHeartbeat.objects.filter(worker_id="worker-b").exists()
    second.send_signal(signal.SIGTERM)
    second.wait(timeout=60)
    assert not WorkerHeartbeat.objects.filter(worker_id="worker-b").exists()
