"""SENTRY_DSN sends errors, redacted, to a Sentry-compatible server (one started here)."""

import gzip
import subprocess
import threading
import zlib
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from tests.deploy.conftest import BIN, REPO, app_env


@pytest.fixture
def sentry_server():
    received = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            encoding = self.headers.get("Content-Encoding", "")
            if encoding == "gzip":
                body = gzip.decompress(body)
            elif encoding == "deflate":
                body = zlib.decompress(body)
            elif encoding == "br":
                import brotli

                body = brotli.decompress(body)
            received.append((self.path, body.decode("utf-8", "replace")))
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(b"{}")

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1], received
    server.shutdown()


def test_an_error_is_reported_without_passwords_or_phone_numbers(sentry_server, tmp_path):
    port, received = sentry_server
    script = (
        "import logging; logging.getLogger('rakortek.uji').error("
        "'gagal mengirim undangan ke %s, password=%s /akun/undangan/%s/', "
        "'0812-3456-7890', 'rahasia123', 'Q2x9-k3LmPq7')"
    )
    # From a file: Sentry reports the command line, which must not hold the secrets itself.
    (tmp_path / "uji.py").write_text(script)
    result = subprocess.run(
        [
            BIN / "python",
            "manage.py",
            "shell",
            "-c",
            f"exec(open({str(tmp_path / 'uji.py')!r}).read())",
        ],
        cwd=REPO,
        env=app_env(SENTRY_DSN=f"http://publickey@127.0.0.1:{port}/1", DATABASE_URL="sqlite://"),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert received, "nothing reached the Sentry server"
    path, body = received[0]
    assert path == "/api/1/envelope/"
    assert "gagal mengirim undangan" in body
    # (The phone number's groups with their dashes: four bare digits could occur in an id.)
    for secret in ("0812-3456-7890", "3456-7890", "rahasia123", "Q2x9-k3LmPq7"):
        assert secret not in body
    # The log line on stdout is redacted the same way.
    assert "gagal mengirim undangan" in result.stdout and "rahasia123" not in result.stdout
