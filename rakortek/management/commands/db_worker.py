"""`manage.py db_worker`: django-tasks-db's worker, with a heartbeat and lost-task recovery.

The command name and its options are django-tasks-db's own, so services that
start `python manage.py db_worker` keep working. In addition the worker

- records a heartbeat (rakortek.models.WorkerHeartbeat) every
  WORKER_HEARTBEAT_SECONDS, from a thread, so a long rendering does not make
  it look dead;
- when it starts, and with every heartbeat, gives back or fails the tasks left
  RUNNING by a worker that died (rakortek.core.worker.recover_lost_tasks);
- removes its heartbeat when it stops cleanly.
"""

import logging
import threading

from django.db import close_old_connections, connection
from django.utils import timezone
from django_tasks_db.management.commands import db_worker

from rakortek.core import worker as heartbeat

logger = logging.getLogger("rakortek.core.worker")


class Worker(db_worker.Worker):
    def run(self) -> None:
        started_at = timezone.now()
        heartbeat.beat(self.worker_id, started_at=started_at)
        recovered = heartbeat.recover_lost_tasks(starting_worker=self.worker_id)
        if recovered:
            logger.warning("Recovered tasks lost by a stopped worker: %s", ", ".join(recovered))
        stop = threading.Event()
        thread = threading.Thread(
            target=self._beat, args=(stop, started_at), name="heartbeat", daemon=True
        )
        thread.start()
        try:
            super().run()
        finally:
            stop.set()
            thread.join(timeout=heartbeat.heartbeat_interval() + 5)
            try:
                heartbeat.forget(self.worker_id)
            except Exception:
                logger.exception("Could not remove the heartbeat of worker %s", self.worker_id)

    def _beat(self, stop: threading.Event, started_at) -> None:
        """Every interval: say this worker lives, then recover what dead workers held."""
        try:
            while not stop.wait(heartbeat.heartbeat_interval()):
                try:
                    close_old_connections()
                    heartbeat.beat(self.worker_id, started_at=started_at)
                    heartbeat.recover_lost_tasks()
                except Exception:
                    # A database restart: keep beating, the connection is reopened next time.
                    logger.exception("Worker heartbeat failed")
                    connection.close()
        finally:
            connection.close()


class Command(db_worker.Command):
    help = (
        "Run the background task worker (django-tasks-db), with a heartbeat and recovery "
        "of the tasks a stopped worker left running."
    )

    def handle(self, *args, **options):
        # django-tasks-db builds its Worker inside handle(); use this one instead.
        original = db_worker.Worker
        db_worker.Worker = Worker
        try:
            return super().handle(*args, **options)
        finally:
            db_worker.Worker = original
