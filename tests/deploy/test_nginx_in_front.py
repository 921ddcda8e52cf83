"""nginx from Debian's package in front of gunicorn, over TLS on loopback, as in production."""

import re
import urllib.error
import urllib.request
from urllib.parse import urlencode

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from issues.submission.attachments import attachment_add
from rakortek.accounts.models import Role
from tests.deploy.conftest import app_env, free_port, start, stop, tool, wait_for_port
from tests.deploy.sites import render_site, self_signed_certificate
from tests.deploy.web import Browser, _NoRedirect
from tests.factories import (
    DeskFactory,
    IssueFactory,
    MeetingFactory,
    UserFactory,
    field,
    region,
)
from tests.issues.submission.test_attachments import pdf_bytes

PASSWORD = "Kuat-sekali-2026"


@pytest.fixture
def site(tmp_path, postgres_url, static_root, app_servers, settings):
    nginx = tool("nginx", "nginx")
    tool("openssl", "openssl")
    media = tmp_path / "media"
    media.mkdir()
    settings.MEDIA_ROOT = media
    https_port, http_port = free_port(), free_port()
    origin = f"https://localhost:{https_port}"
    app = app_servers(
        tmp_path,
        app_env(
            DATABASE_URL=postgres_url,
            MEDIA_ROOT=media,
            STATIC_ROOT=static_root,
            BEHIND_TLS_PROXY=1,
            AXES_IPWARE_PROXY_COUNT=1,
            CSRF_TRUSTED_ORIGINS=origin,
            PROTECTED_FILES_ACCEL_PREFIX="/_protected/",
        ),
    )
    cert, key = self_signed_certificate(tmp_path)
    main = render_site(
        tmp_path,
        app_ports=[app.port],
        https_port=https_port,
        http_port=http_port,
        static_root=static_root,
        media_root=media,
        cert=cert,
        key=key,
    )
    proxy = start(
        [nginx, "-p", tmp_path, "-e", tmp_path / "error.log", "-c", main, "-g", "daemon off;"],
        env={"PATH": "/usr/sbin:/usr/bin:/bin"},
        log_path=tmp_path / "nginx.out",
    )
    try:
        wait_for_port(https_port, proxy, "nginx")
        yield {
            "base": origin,
            "cert": cert,
            "http_port": http_port,
            "static_root": static_root,
            "app": app,
        }
    finally:
        stop(proxy)


@pytest.fixture
def attachment(settings):
    delegate = UserFactory(
        username="delegasi-pangkalpinang", role=Role.DELEGATE, region=region("pangkalpinang")
    )
    delegate.set_password(PASSWORD)
    delegate.save()
    meeting = MeetingFactory()
    desk = DeskFactory(meeting=meeting, field=field("bina-marga"))
    issue = IssueFactory(desk=desk, entered_by=delegate)
    return attachment_add(
        issue=issue,
        uploaded_file=SimpleUploadedFile("DED.pdf", pdf_bytes("Lewat nginx"), "application/pdf"),
        user=delegate,
    )


def test_a_page_a_static_file_and_a_protected_file_through_nginx(site, attachment):
    browser = Browser(site["base"], site["cert"])

    # A page: the login form, over TLS, with HSTS and a secure CSRF cookie.
    page = browser.open("/akun/masuk/")
    assert page.status == 200, page.body[:500]
    assert page.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    assert len(page.headers.get_all("Strict-Transport-Security")) == 1
    assert b'name="csrfmiddlewaretoken"' in page.body
    assert browser.cookie("csrftoken").secure

    # A static file from STATIC_ROOT, served by nginx with its own headers.
    stylesheet = re.search(rb'href="(/static/[^"]+\.css)"', page.body).group(1).decode()
    static = browser.open(stylesheet)
    assert static.status == 200
    assert static.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    assert static.body == (site["static_root"] / stylesheet.removeprefix("/static/")).read_bytes()

    # Log in through the form: the session cookie is secure and HTTP-only.
    token = browser.cookie("csrftoken").value
    login = browser.open(
        "/akun/masuk/",
        data=urlencode(
            {"username": "delegasi-pangkalpinang", "password": PASSWORD,
             "csrfmiddlewaretoken": token}
        ).encode(),
        headers={"Referer": site["base"] + "/akun/masuk/"},
    )  # fmt: skip
    assert login.status == 302, login.body[:1000]
    session = browser.cookie("sessionid")
    assert session is not None and session.secure
    assert session.has_nonstandard_attr("HttpOnly")

    # A protected file: the app checks access and nginx sends the bytes from MEDIA_ROOT.
    url = f"/isu/{attachment.issue_id}/lampiran/{attachment.pk}/"
    download = browser.open(url)
    assert download.status == 200
    # Sent by nginx from disk (its ETag and byte ranges), not streamed by the app.
    assert "ETag" in download.headers and download.headers["Accept-Ranges"] == "bytes"
    assert download.body == attachment.file.open("rb").read()
    assert download.headers["Content-Type"] == "application/pdf"
    assert download.headers["Content-Disposition"].startswith("inline;")
    assert download.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    assert "default-src 'none'" in download.headers["Content-Security-Policy"]
    assert "X-Accel-Redirect" not in download.headers
    assert "private" in download.headers["Cache-Control"]

    # nginx never serves the protected folder or MEDIA_URL to a client directly.
    assert browser.open(f"/_protected/{attachment.file.name}").status == 404
    assert browser.open(f"/media/{attachment.file.name}").status == 404
    # Anyone else is sent to log in, and gets no file.
    stranger = Browser(site["base"], site["cert"]).open(url)
    assert stranger.status == 302 and b"%PDF" not in stranger.body


def test_plain_http_is_sent_to_https(site):
    request = urllib.request.Request(f"http://127.0.0.1:{site['http_port']}/akun/masuk/")
    opener = urllib.request.build_opener(_NoRedirect)
    with pytest.raises(urllib.error.HTTPError) as error:
        opener.open(request, timeout=10)
    assert error.value.code == 301
    assert error.value.headers["Location"].startswith("https://")
