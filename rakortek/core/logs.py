"""Log lines that say which request and which account, and nothing secret.

Every record gets `request_id` and `user_id` (`-` outside a request). The request
id comes from nginx's `X-Request-ID` when it sends one (so the proxy's and the
app's lines match) and is returned in the response. Before a record is written,
`RedactingFilter` removes passwords, tokens, secret links and phone numbers from
its text; `sentry_before_send` does the same for error reports.
"""

import logging
import re
import uuid
from contextvars import ContextVar

_request_id: ContextVar[str] = ContextVar("request_id", default="-")
_user_id: ContextVar[str] = ContextVar("user_id", default="-")

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")

REDACTED = "[redacted]"

_PATTERNS = [
    # key=value, key: value, "key": "value" for anything that names a secret.
    re.compile(
        r"""(?P<key>["']?\b[\w-]*(?:password|passwd|pwd|secret|token|sessionid|csrftoken|"""
        r"""api[_-]?key|authorization|cookie|dsn)[\w-]*\b["']?\s*[=:]\s*)"""
        r"""(?P<value>(?:(?:Bearer|Basic|Token)\s+)?(?:"[^"]*"|'[^']*'|[^\s,;&'"}]+))""",
        re.IGNORECASE,
    ),
    # Links that work as a password: invitations, password resets, self check-in codes.
    re.compile(r"(?P<key>/akun/undangan/)(?P<value>[^/\s?\"']+)"),
    re.compile(r"(?P<key>/akun/kata-sandi/atur/)(?P<value>(?!selesai/)[^/\s?\"']+/[^/\s?\"']+)"),
    re.compile(r"(?P<key>(?<![\w-])/hadir/)(?P<value>(?![0-9]+/)[A-Za-z0-9_-]{6,})"),
]
# Phone numbers as people write them in Indonesia: +62 812-3456-7890, 0812 3456 7890,
# (021) 555 1234: a leading +62, 62 or 0, then at least six more digits, grouped by
# spaces or hyphens. Dates, times and addresses (2026-12-03, 13:48, 10.0.0.1) do not match.
_PHONE = re.compile(r"(?<![\w/.:+-])(?:\+62|62|\(0\d{1,3}\)|0)(?:[\s-]?\d){6,13}(?![\w/.:-])")
PHONE_REDACTED = "[phone]"


def redact(text: str) -> str:
    """`text` without secrets, secret links or phone numbers."""
    for pattern in _PATTERNS:
        text = pattern.sub(lambda m: m.group("key") + REDACTED, text)
    return _PHONE.sub(PHONE_REDACTED, text)


class RequestContextFilter(logging.Filter):
    """Adds `request_id` and `user_id` to every record."""

    def filter(self, record):
        record.request_id = _request_id.get()
        record.user_id = _user_id.get()
        return True


class RedactingFilter(logging.Filter):
    """Rewrites a record's message (and its traceback text) with `redact`."""

    def filter(self, record):
        try:
            message = record.getMessage()
        except Exception:  # a broken format string is logged as it stands
            message = str(record.msg)
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, ()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True


class RequestContextMiddleware:
    """Sets the request and user ids for the log lines of one request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get("X-Request-ID", "")
        request_id = given if _REQUEST_ID.match(given) else uuid.uuid4().hex
        request.request_id = request_id
        _request_id.set(request_id)
        user = getattr(request, "user", None)
        _user_id.set(str(user.pk) if user and user.is_authenticated else "-")
        response = self.get_response(request)
        # A login or logout during the request: later lines name the new account.
        user = getattr(request, "user", None)
        _user_id.set(str(user.pk) if user and user.is_authenticated else "-")
        response.headers["X-Request-ID"] = request_id
        return response


def clear_request_context(**kwargs):
    """Connected to request_finished: lines after a request no longer name it."""
    _request_id.set("-")
    _user_id.set("-")


def _redact_in(value):
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, dict):
        return {key: _redact_in(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_redact_in(item) for item in value]
    return value


def sentry_before_send(event, hint):
    """Sentry's own scrubber removes known fields; this removes the rest, as in the logs."""
    entry = event.get("logentry")
    if entry and entry.get("params"):
        # A parameter alone ("hunter2") does not say it is a password; the formatted
        # message does ("password=hunter2"), so only that one is sent, redacted.
        try:
            entry["formatted"] = entry["message"] % tuple(entry["params"])
        except (TypeError, ValueError, KeyError):
            entry["formatted"] = entry.get("formatted") or entry["message"]
        entry["message"] = entry["formatted"]
        entry["params"] = []
    event = _redact_in(event)
    event.setdefault("tags", {})["request_id"] = _request_id.get()
    return event
