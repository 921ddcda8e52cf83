"""Pages go out gzip-compressed when the browser accepts it; stored files, files handed
to nginx, already-compressed downloads and static files go out as they are."""

import gzip

import pytest
from django.templatetags.static import static
from django.urls import reverse

from issues.submission.attachments import attachment_add
from tests.issues.submission.test_attachments import pdf_bytes, upload

pytestmark = pytest.mark.django_db

GZIP = {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br"}


def test_a_page_is_compressed_when_the_browser_accepts_gzip(as_secretariat, meeting):
    url = reverse("issues:meeting_issues", kwargs={"slug": meeting.slug})
    plain = as_secretariat.get(url)
    packed = as_secretariat.get(url, **GZIP)
    assert plain.status_code == packed.status_code == 200
    assert not plain.has_header("Content-Encoding")
    assert packed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed["Vary"]
    assert len(packed.content) < len(plain.content)
    assert meeting.title in gzip.decompress(packed.content).decode()
    # Headers set below the compression are all there, unchanged.
    assert packed["Content-Security-Policy"] == plain["Content-Security-Policy"]
    assert "script-src 'self'" in packed["Content-Security-Policy"]
    assert packed["X-Frame-Options"] == "DENY"


def test_the_same_page_compresses_differently_each_time(as_secretariat, meeting):
    """BREACH: the gzip header carries random bytes, so two answers never match byte for byte."""
    url = reverse("issues:meeting_issues", kwargs={"slug": meeting.slug})
    first = as_secretariat.get(url, **GZIP).content
    second = as_secretariat.get(url, **GZIP).content
    assert first != second


@pytest.fixture
def document(draft, delegate_pangkalpinang):
    text = "Catatan survei lapangan jembatan " * 40
    return attachment_add(
        issue=draft,
        uploaded_file=upload("Catatan.pdf", pdf_bytes(text), "application/pdf"),
        user=delegate_pangkalpinang,
    )


def _download_url(attachment):
    return reverse(
        "issues:attachment_download",
        kwargs={"pk": attachment.issue_id, "attachment_pk": attachment.pk},
    )


def test_a_stored_file_is_streamed_uncompressed(as_delegate_pangkalpinang, document):
    response = as_delegate_pangkalpinang.get(_download_url(document), **GZIP)
    assert response.status_code == 200
    assert response.streaming
    assert not response.has_header("Content-Encoding")
    assert b"".join(response.streaming_content) == document.file.open("rb").read()


def test_a_file_handed_to_nginx_is_not_compressed(settings, as_delegate_pangkalpinang, document):
    settings.PROTECTED_FILES_ACCEL_PREFIX = "/_protected"
    response = as_delegate_pangkalpinang.get(_download_url(document), **GZIP)
    assert response["X-Accel-Redirect"] == f"/_protected/{document.file.name}"
    assert not response.has_header("Content-Encoding")


def test_a_spreadsheet_download_is_not_compressed_again(as_secretariat, meeting, desk_bina_marga):
    response = as_secretariat.get(
        reverse("issues:import_template", kwargs={"slug": meeting.slug}), **GZIP
    )
    assert response.status_code == 200
    assert "spreadsheetml" in response["Content-Type"]
    assert not response.has_header("Content-Encoding")
    assert response.content.startswith(b"PK")


def test_static_files_keep_their_precompressed_variants(client, production_static):
    url = static("css/app.css")
    response = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    collected = production_static / url.removeprefix("/static/")
    assert (
        b"".join(response.streaming_content)
        == collected.with_name(collected.name + ".gz").read_bytes()
    )
