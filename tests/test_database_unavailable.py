"""While the database cannot be reached, people get a short 503 page to come back to,
not the generic error page; other errors still get the 500 page.

The database is made unreachable for real: the default connection is swapped for
one to a closed port on this machine (PostgreSQL) or to a file in a folder that
does not exist (SQLite), so the driver raises its own OperationalError.
"""

import socket
from contextlib import contextmanager

import pytest
from django.conf import settings
from django.db import connections
from django.db.utils import load_backend
from django.test import Client


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # nothing listens once the socket is closed


@contextmanager
def database_unreachable(tmp_path):
    original = connections["default"]
    if original.vendor == "sqlite":
        changed = {"NAME": str(tmp_path / "no-such-folder" / "db.sqlite3")}
    else:
        changed = {"HOST": "127.0.0.1", "PORT": str(closed_port())}
    backend = load_backend(original.settings_dict["ENGINE"])
    unreachable = backend.DatabaseWrapper({**original.settings_dict, **changed}, "default")
    connections["default"] = unreachable
    try:
        yield
    finally:
        unreachable.close()
        connections["default"] = original


@pytest.fixture
def logged_in_browser():
    """A browser that sends a session cookie: its request reads the session from the database."""
    client = Client(raise_request_exception=False)
    client.cookies[settings.SESSION_COOKIE_NAME] = "k" * 32
    return client


@pytest.mark.django_db
def test_an_unreachable_database_gives_a_short_indonesian_503_with_retry_after(
    logged_in_browser, tmp_path
):
    with database_unreachable(tmp_path):
        response = logged_in_browser.get("/")
    assert response.status_code == 503
    assert response["Retry-After"] == "15"
    assert response["Cache-Control"] == "no-store"
    text = response.content.decode()
    assert "Layanan sedang tidak tersedia, coba lagi sebentar" in text
    assert "Terjadi kesalahan pada server" not in text

    # Once the database answers again, so does the app: the unknown session logs in anew.
    again = logged_in_browser.get("/")
    assert again.status_code == 302 and again.url.startswith("/akun/")


def test_another_server_error_still_gets_the_generic_500_page(rf):
    from rakortek.home.views import server_error

    try:
        raise ZeroDivisionError
    except ZeroDivisionError:
        response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert "Terjadi kesalahan pada server" in response.content.decode()
    assert "Retry-After" not in response
