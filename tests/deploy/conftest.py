"""The deployment tests: the real programs of a production machine on loopback.

They start gunicorn with deploy/gunicorn.conf.py, nginx from Debian's package with
deploy/nginx/rakortek.conf, pg_dump, Redis and an S3-compatible server (moto), so
they run against PostgreSQL only and are left out of `make test`: `.ci/run` runs
them once with `pytest -m deploy`. A missing tool or service skips a test with the
reason; with RAKORTEK_DEPLOY_TESTS=required (as .ci/run sets it) it fails instead.
"""

import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import boto3
import pytest
from django.db import connection

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
# A test Redis database of its own, away from anything else on 127.0.0.1:6379.
REDIS_URL = os.environ.get("RAKORTEK_TEST_REDIS_URL", "redis://127.0.0.1:6379/13")


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.deploy)


def need(ok, reason):
    """Skip (or, in CI, fail) when `ok` is false."""
    if ok:
        return
    if os.environ.get("RAKORTEK_DEPLOY_TESTS") == "required":
        pytest.fail(f"required for the deployment tests: {reason}")
    pytest.skip(reason)


def tool(name, package):
    path = shutil.which(name) or shutil.which(name, path="/usr/sbin:/sbin")
    need(path, f"{name} not found (Debian package {package})")
    return path


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port, process, what, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"{what} stopped at start:\n{read_log(process)}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"{what} did not listen on {port}:\n{read_log(process)}")


def read_log(process):
    log = getattr(process, "log_path", None)
    return Path(log).read_text(errors="replace")[-4000:] if log and Path(log).exists() else ""


def start(command, *, env, log_path, cwd=REPO):
    log = open(log_path, "wb")  # noqa: SIM115 (closed with the process)
    process = subprocess.Popen(
        command, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    process.log_path = log_path
    process.log_file = log
    return process


def stop(process):
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    process.log_file.close()


@pytest.fixture(autouse=True)
def _hashers_the_servers_know(_fast_password_hashing, settings):
    # The app servers run with Django's own hashers; the test's fast one is not among them.
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
        "django.contrib.auth.hashers.MD5PasswordHasher",
    ]


@pytest.fixture
def postgres_url(transactional_db):
    """The URL of the test database, for programs started by the test."""
    need(
        connection.vendor == "postgresql",
        "needs PostgreSQL: run with DATABASE_URL=postgres://... (the SQLite test database "
        "is in memory, out of reach of other processes)",
    )
    params = connection.settings_dict
    user = params.get("USER") or "postgres"
    password = f":{params['PASSWORD']}" if params.get("PASSWORD") else ""
    host = params.get("HOST") or "127.0.0.1"
    port = params.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{params['NAME']}"


def app_env(**values):
    """The environment of a production app process (DEBUG off), plus `values`."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("PYTEST")}
    env.update(
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="localhost,127.0.0.1",
        LOG_LEVEL="WARNING",
        GUNICORN_WORKERS="2",
        GUNICORN_THREADS="2",
        PYTHONDONTWRITEBYTECODE="1",
        # Production's task backend (the test suite's own runs tasks at once).
        TASKS_BACKEND="django_tasks_db.DatabaseBackend",
    )
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.update({key: str(value) for key, value in values.items()})
    return env


@pytest.fixture(scope="session")
def static_root(tmp_path_factory):
    """collectstatic once for the session, as in production (hashed and compressed)."""
    root = tmp_path_factory.mktemp("static")
    subprocess.run(
        [BIN / "python", "manage.py", "collectstatic", "--no-input", "-v0"],
        cwd=REPO,
        env=app_env(STATIC_ROOT=root),
        check=True,
    )
    return root


class AppServer:
    """gunicorn with deploy/gunicorn.conf.py on a loopback port."""

    def __init__(self, tmp_path, env, name="gunicorn"):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = start(
            [BIN / "gunicorn", "-c", REPO / "deploy" / "gunicorn.conf.py", "rakortek.wsgi"],
            env={**env, "GUNICORN_BIND": f"127.0.0.1:{self.port}"},
            log_path=tmp_path / f"{name}-{self.port}.log",
        )
        wait_for_port(self.port, self.process, name)

    def log(self):
        return read_log(self.process)

    def stop(self):
        stop(self.process)


@pytest.fixture
def app_servers():
    """Start app servers with `app_servers(tmp_path, env)`; all are stopped at the end."""
    started = []

    def make(tmp_path, env, name="gunicorn"):
        server = AppServer(tmp_path, env, name)
        started.append(server)
        return server

    yield make
    for server in started:
        server.stop()


def redis_client():
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.exceptions.ConnectionError as error:
        need(False, f"no Redis at {REDIS_URL} ({error})")
    return client


@pytest.fixture(scope="session")
def s3_server(tmp_path_factory):
    """moto's S3-compatible server on a loopback port, for the session."""
    server = BIN / "moto_server"
    need(server.exists(), "moto_server not installed (pip install 'moto[server]')")
    port = free_port()
    process = start(
        [server, "-H", "127.0.0.1", "-p", str(port)],
        env={"PATH": str(BIN) + ":/usr/bin:/bin"},
        log_path=tmp_path_factory.mktemp("moto") / "moto.log",
    )
    wait_for_port(port, process, "moto_server")
    yield f"127.0.0.1:{port}"
    stop(process)


def make_bucket(host):
    bucket = f"rakortek-{uuid.uuid4().hex[:12]}"
    s3 = boto3.client(
        "s3",
        endpoint_url=f"http://{host}",
        aws_access_key_id="uji",
        aws_secret_access_key="rahasia-uji",
        region_name="us-east-1",
    )
    s3.create_bucket(Bucket=bucket)
    return s3, bucket, f"s3://uji:rahasia-uji@{host}/{bucket}/media?secure=0"
