"""The committed nginx site, moved onto loopback ports and temporary folders."""

import os
import subprocess
from pathlib import Path

from tests.deploy.conftest import REPO

SITE = REPO / "deploy" / "nginx" / "rakortek.conf"


def self_signed_certificate(folder: Path):
    """A certificate for localhost and 127.0.0.1, made with openssl for the test."""
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
            "-keyout", key, "-out", cert, "-subj", "/CN=localhost",
            "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return cert, key


def render_site(folder, *, app_ports, https_port, http_port, static_root, media_root, cert, key):
    """The site with only its addresses and paths changed; the main nginx.conf around it.

    Every replaced text must be in the site: if the file changes shape, this fails
    instead of testing something else.
    """
    text = SITE.read_text()
    servers = "\n    ".join(f"server 127.0.0.1:{port} fail_timeout=0;" for port in app_ports)
    replacements = {
        "server 127.0.0.1:8001 fail_timeout=0;": servers,
        "listen 443 ssl http2;": f"listen 127.0.0.1:{https_port} ssl;",
        "listen 80;": f"listen 127.0.0.1:{http_port};",
        "server_name rakortek.example.go.id;": "server_name localhost;",
        "/etc/ssl/rakortek/fullchain.pem": str(cert),
        "/etc/ssl/rakortek/privkey.pem": str(key),
        "/var/lib/rakortek/static/": f"{static_root}/",
        "/var/lib/rakortek/media/": f"{media_root}/",
        "/var/log/nginx/rakortek.access.log": str(folder / "access.log"),
        "/var/log/nginx/rakortek.error.log": str(folder / "error.log"),
    }
    for old, new in replacements.items():
        assert old in text, f"{old!r} is no longer in {SITE}"
        text = text.replace(old, new)
    # No IPv6 on every test machine.
    text = "\n".join(line for line in text.splitlines() if "[::]" not in line)
    site = folder / "rakortek.conf"
    site.write_text(text)
    main = folder / "nginx.conf"
    temp = folder / "temp"
    temp.mkdir(exist_ok=True)
    user = "user root;\n" if os.geteuid() == 0 else ""
    main.write_text(
        f"""{user}worker_processes 1;
pid {folder}/nginx.pid;
error_log {folder}/error.log warn;
events {{ worker_connections 128; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    sendfile on;
    client_body_temp_path {temp}/body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
    include {site};
}}
"""
    )
    return main
