"""The task worker's heartbeat, and what becomes of the tasks a dead worker held.

`manage.py db_worker` (rakortek/management/commands/db_worker.py) records a
heartbeat every WORKER_HEARTBEAT_SECONDS. A task still RUNNING whose worker has
not been seen for WORKER_STALE_SECONDS, or whose worker id is that of a worker
starting afresh, was lost with its worker (killed, out of memory, the machine
restarted): `recover_lost_tasks` marks it failed and hands it to the handler
its task module registered with `on_lost_task`, which queues it again or
records a failure the user sees. A task without a handler stays failed.

Every worker sweeps when it starts and then with every heartbeat, and the job
pages sweep when they show a job still rendering, so nothing stays "proses"
for longer than the stale interval plus a heartbeat.
"""

import logging
import os
import socket
from collections.abc import Callable
from datetime import timedelta
from traceback import format_exception

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks_db.models import DBTaskResult

from rakortek.models import WorkerHeartbeat

logger = logging.getLogger(__name__)

RUNNING = "RUNNING"
FAILED = "FAILED"

# Task path ("rakortek.documents.tasks.render_final_document") -> handler(task_result).
LOST_TASK_HANDLERS: dict[str, Callable[[DBTaskResult], None]] = {}


class WorkerLost(Exception):
    """Recorded as the failure of a task whose worker stopped while running it."""


def on_lost_task(task):
    """Register what to do when `task` was lost with its worker (a decorator)."""

    def register(handler):
        LOST_TASK_HANDLERS[task.module_path] = handler
        return handler

    return register


def heartbeat_interval() -> float:
    return float(settings.WORKER_HEARTBEAT_SECONDS)


def stale_after() -> timedelta:
    return timedelta(seconds=float(settings.WORKER_STALE_SECONDS))


def beat(worker_id: str, *, started_at) -> None:
    """Record that worker `worker_id` (this process) is alive now."""
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={
            "seen_at": timezone.now(),
            "started_at": started_at,
            "hostname": socket.gethostname()[:255],
            "pid": os.getpid(),
        },
    )


def forget(worker_id: str) -> None:
    """A worker that stops cleanly removes its heartbeat."""
    WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()


def live_worker_ids() -> set[str]:
    since = timezone.now() - stale_after()
    return set(
        WorkerHeartbeat.objects.filter(seen_at__gte=since).values_list("worker_id", flat=True)
    )


def last_heartbeat():
    """When any worker was last seen, or None."""
    latest = WorkerHeartbeat.objects.order_by("-seen_at").first()
    return latest.seen_at if latest else None


def recover_lost_tasks(*, starting_worker: str | None = None) -> list[str]:
    """Fail and hand over every RUNNING task no live worker holds; the ids handled.

    `starting_worker`: the id of a worker that is starting, so holds nothing yet
    whatever its heartbeat says (a worker restarted with a fixed --worker-id).
    """
    live = live_worker_ids()
    if starting_worker:
        live.discard(starting_worker)
    running = DBTaskResult.objects.filter(status=RUNNING).values_list("id", "worker_ids")
    lost = [pk for pk, workers in running if not workers or workers[-1] not in live]
    handled = []
    for pk in lost:
        try:
            if _recover(pk):
                handled.append(str(pk))
        except Exception:
            # Rolled back: the task stays RUNNING and the next sweep tries again.
            logger.exception("Could not recover lost task %s", pk)
    return handled


@transaction.atomic
def _recover(pk) -> bool:
    error = WorkerLost("The worker running this task stopped before it finished.")
    # Only one sweeper wins a row: the update is conditional on RUNNING.
    won = DBTaskResult.objects.filter(pk=pk, status=RUNNING).update(
        status=FAILED,
        finished_at=timezone.now(),
        exception_class_path=f"{WorkerLost.__module__}.{WorkerLost.__qualname__}",
        traceback="".join(format_exception(error)),
    )
    if not won:
        return False
    result = DBTaskResult.objects.get(pk=pk)
    logger.warning(
        "Task %s (%s) was lost with worker %s",
        pk,
        result.task_path,
        (result.worker_ids or ["?"])[-1],
    )
    handler = _handler(result.task_path)
    if handler is not None:
        handler(result)
    return True


def _handler(task_path: str):
    if task_path not in LOST_TASK_HANDLERS:
        try:
            import_string(task_path)  # importing a task module registers its handlers
        except ImportError:
            return None
    return LOST_TASK_HANDLERS.get(task_path)
