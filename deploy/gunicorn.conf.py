"""gunicorn settings for Rakortek (`gunicorn -c deploy/gunicorn.conf.py rakortek.wsgi`).

Each value can be changed through the environment of the service (GUNICORN_*), so
the systemd unit and the tests use this one file.

Worker design: requests are short. Pages answer in well under a second; a final
document or draft with more than DOCUMENTS_BACKGROUND_ROWS rows is rendered by the
task worker (`manage.py db_worker`), not here, and the browser polls for it. The
largest render left in a request (a document just under that limit) takes a few
seconds, so a request still running after `timeout` seconds is stuck and its worker
is replaced. nginx waits a little longer than that (proxy_read_timeout 75s).
Protected downloads are handed to nginx (X-Accel-Redirect), so a slow phone
downloading a 25 MB scan does not hold a worker either.
"""

import multiprocessing
import os


def _int(name, default):
    return int(os.environ.get(name, default))


bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8001")
# Sync workers, one request at a time each: the pages are CPU-bound Python, and threads
# in one process take turns on the interpreter lock. Measured with the bench on 2 cores
# and 500 issues, 4 threads per worker made the board slower than 1 (the kernel time went
# to the threads' lock hand-offs). nginx buffers requests and answers and serves
# protected files itself, so a slow client does not hold a worker either.
# GUNICORN_THREADS > 1 switches to gthread workers.
threads = _int("GUNICORN_THREADS", 1)
worker_class = "gthread" if threads > 1 else "sync"
workers = _int("GUNICORN_WORKERS", min(2 * multiprocessing.cpu_count() + 1, 9))
timeout = _int("GUNICORN_TIMEOUT", 60)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
# With gthread workers nginx keeps connections to the app open (upstream keepalive);
# sync workers close each one after its answer, and nginx opens the next.
keepalive = 5
# A worker is replaced after this many requests, so memory taken by a large render
# does not stay with the process for weeks.
max_requests = _int("GUNICORN_MAX_REQUESTS", 1000)
max_requests_jitter = 100
# Only nginx on this machine may say which scheme and client address a request had.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
# nginx writes the access log (with secret links removed); errors go to stdout/journald.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
proc_name = "rakortek"
# gunicorn's control socket (gunicornc) would live in $HOME/.gunicorn, read-only under the
# unit's ProtectSystem=strict and shared by two instances of one user; systemd's reload
# and stop do the same work. GUNICORN_CONTROL_SOCKET=/run/... turns it on.
if os.environ.get("GUNICORN_CONTROL_SOCKET"):
    control_socket = os.environ["GUNICORN_CONTROL_SOCKET"]
else:
    control_socket_disable = True
# Heartbeat files in memory rather than on disk.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
