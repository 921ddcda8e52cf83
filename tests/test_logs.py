"""Log lines carry the request and user ids and never a password, token or phone number."""

import io
import logging
import logging.config

import pytest
from django.conf import settings as django_settings
from django.urls import reverse

from rakortek.core.logs import redact, sentry_before_send


@pytest.fixture
def captured():
    """The project's LOGGING handler and filters, writing into a buffer."""
    config = django_settings.LOGGING
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter(config["formatters"]["line"]["format"]))
    for name in config["handlers"]["console"]["filters"]:
        factory = config["filters"][name]["()"]
        module, _dot, attribute = factory.rpartition(".")
        handler.addFilter(getattr(__import__(module, fromlist=[attribute]), attribute)())
    logger = logging.getLogger("rakortek.test")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    yield logger, stream
    logger.removeHandler(handler)


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("login failed, password=hunter2 for budi", "hunter2"),
        ('payload {"password": "rahasia sekali", "username": "budi"}', "rahasia sekali"),
        ("csrfmiddlewaretoken=Zx81abcdEF&next=/", "Zx81abcdEF"),
        ("Authorization: Bearer eyJhbGciOi.abc", "eyJhbGciOi"),
        ("GET /akun/undangan/Q2x9-k3LmPq7/ 200", "Q2x9-k3LmPq7"),
        ("GET /akun/kata-sandi/atur/MTI/cz1x-8f2a9b/ 200", "cz1x-8f2a9b"),
        ("GET /hadir/Kq7Zp2Lm/ 200", "Kq7Zp2Lm"),
        ("peserta Budi, HP 0812-3456-7890", "3456"),
        ("peserta Budi, HP +62 812 3456 7890", "3456"),
        ("kantor (0717) 422 1234", "422"),
    ],
)
def test_secrets_and_phone_numbers_are_removed(text, secret):
    cleaned = redact(text)
    assert secret not in cleaned
    assert "[redacted]" in cleaned or "[phone]" in cleaned


@pytest.mark.parametrize(
    "text",
    [
        "rendered 2026-12-03 13:48:24 in 0.52 s",
        "client 10.20.30.40 asked for /rapat/rakortek-2022/hadir/12/",
        "meeting 2022 has 6200 issues and 1234567 bytes",
    ],
)
def test_dates_addresses_and_counts_stay_readable(text):
    assert redact(text) == text


def test_a_log_line_names_no_password_or_phone(captured):
    logger, stream = captured
    logger.info("invite %s with password=%s", "0812 3456 7890", "s3cret-Pass")
    logger.warning("reset link /akun/kata-sandi/atur/%s/%s/", "MTI", "cz1x-8f2a9b")
    output = stream.getvalue()
    assert "s3cret-Pass" not in output and "3456" not in output and "cz1x" not in output
    assert "password=[redacted]" in output and "[phone]" in output
    assert "req=- user=-" in output


def test_a_traceback_is_redacted_too(captured):
    logger, stream = captured
    try:
        raise ValueError("bad token=abcdef123456")
    except ValueError:
        logger.exception("failed")
    output = stream.getvalue()
    assert "ValueError" in output and "abcdef123456" not in output


@pytest.mark.django_db
def test_a_request_gets_an_id_and_a_forged_one_is_replaced(client):
    response = client.get(reverse("login"))
    assert len(response["X-Request-ID"]) == 32
    forged = client.get(reverse("login"), HTTP_X_REQUEST_ID="bad id\nwith newline")
    assert forged["X-Request-ID"] != "bad id\nwith newline"
    assert len(forged["X-Request-ID"]) == 32


@pytest.mark.django_db
def test_a_not_found_line_carries_the_request_and_user_ids(client, secretariat, captured):
    _logger, stream = captured
    handler = logging.getLogger("rakortek.test").handlers[-1]
    django_request = logging.getLogger("django.request")
    django_request.addHandler(handler)
    try:
        client.force_login(secretariat)
        client.get("/akun/undangan/Q2x9-k3LmPq7/tidak-ada/", HTTP_X_REQUEST_ID="req-0000abcd")
    finally:
        django_request.removeHandler(handler)
    output = stream.getvalue()
    assert f"req=req-0000abcd user={secretariat.pk}" in output
    assert "Q2x9-k3LmPq7" not in output


def test_an_error_report_is_redacted_before_it_is_sent():
    event = {
        "message": "could not send to 0812-3456-7890",
        "request": {"url": "https://x.go.id/akun/undangan/Q2x9-k3LmPq7/", "data": "password=x1"},
        "exception": {"values": [{"value": "token=abcdef123456"}]},
    }
    sent = sentry_before_send(event, {})
    text = repr(sent)
    for secret in ("3456", "Q2x9-k3LmPq7", "password=x1", "abcdef123456"):
        assert secret not in text


def test_an_error_report_from_a_log_line_sends_no_parameter_on_its_own():
    event = {
        "logentry": {
            "message": "login for %s failed with password=%s",
            "params": ["budi", "hunter2"],
        }
    }
    sent = sentry_before_send(event, {})
    assert sent["logentry"]["params"] == []
    assert sent["logentry"]["formatted"] == "login for budi failed with password=[redacted]"
    assert "hunter2" not in repr(sent)
