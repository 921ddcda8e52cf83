"""Where `WorkerLost` was before `rakortek.core.worker`: tasks failed as lost keep this
path as their exception class in django-tasks' job table."""

from rakortek.core.worker import WorkerLost

__all__ = ["WorkerLost"]
