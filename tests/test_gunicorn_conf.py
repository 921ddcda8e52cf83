"""deploy/gunicorn.conf.py: sync workers unless threads are asked for."""

import runpy
from pathlib import Path

CONF = Path(__file__).resolve().parent.parent / "deploy" / "gunicorn.conf.py"


def test_workers_are_sync_by_default(monkeypatch):
    monkeypatch.delenv("GUNICORN_THREADS", raising=False)
    conf = runpy.run_path(str(CONF))
    assert conf["worker_class"] == "sync"
    assert conf["threads"] == 1


def test_threads_switch_to_gthread_workers(monkeypatch):
    monkeypatch.setenv("GUNICORN_THREADS", "4")
    conf = runpy.run_path(str(CONF))
    assert conf["worker_class"] == "gthread"
    assert conf["threads"] == 4
