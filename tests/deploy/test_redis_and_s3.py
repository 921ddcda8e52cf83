"""CACHE_URL=redis://... and STORAGE_URL=s3://... against real servers on loopback.

Redis is the one running on this machine (a database number of its own); the S3 API
is served by moto's server mode, started here.
"""

import io
import json
import urllib.error
import urllib.request

import environ
import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from issues.submission.attachments import attachment_add
from rakortek.core.storage_url import storage_from_url
from tests.deploy.conftest import REDIS_URL, make_bucket, redis_client, tool
from tests.factories import DeskFactory, IssueFactory, ParticipantFactory, field, region
from tests.issues.submission.test_attachments import jpeg_bytes, pdf_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def redis_cache(settings):
    """The app's cache in Redis, as CACHE_URL=redis://... configures it."""
    client = redis_client()
    client.flushdb()
    settings.CACHES = {"default": environ.Env.cache_url_config(REDIS_URL)}
    yield client
    client.flushdb()


@pytest.fixture
def s3_storage(settings, s3_server):
    s3, bucket, url = make_bucket(s3_server)
    settings.STORAGES = {**settings.STORAGES, "default": storage_from_url(url)}
    return s3, bucket


def object_names(s3, bucket):
    return {item["Key"] for item in s3.list_objects_v2(Bucket=bucket).get("Contents", [])}


# ---- Redis ----


def test_the_cache_is_redis_and_another_connection_sees_its_values(redis_cache):
    cache.set("uji:nilai", {"rapat": 2022}, timeout=60)
    assert cache.get("uji:nilai") == {"rapat": 2022}
    assert any(key.endswith(b"uji:nilai") for key in redis_cache.keys("*"))


def test_check_in_limits_count_in_redis(client, settings, redis_cache, meeting):
    settings.CHECKIN_RATE_LIMITS = {"search": (2, 60), "write": (100, 600)}
    settings.CHECKIN_OPENS_DAYS_BEFORE = 30  # the factory's meeting starts in 14 days
    budi = ParticipantFactory(meeting=meeting, name="Budi Santoso", region=region("bangka"))
    url = reverse("meetings:checkin", args=[meeting.checkin_code])
    codes = [client.get(url, {"q": "budi"}).status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    keys = [key.decode() for key in redis_cache.keys("*checkin:search*")]
    assert len(keys) == 1 and f":{meeting.pk}:127.0.0.1" in keys[0]
    assert int(redis_cache.get(keys[0])) == 3
    # Counted in Redis, not in this process: emptying Redis lets the address search again.
    redis_cache.flushdb()
    assert client.get(url, {"q": budi.name}).status_code == 200


def test_failed_logins_count_in_redis_with_the_cache_handler(client, settings, redis_cache):
    from axes.handlers.proxy import AxesProxyHandler

    settings.AXES_HANDLER = "axes.handlers.cache.AxesCacheHandler"
    AxesProxyHandler.implementation = None
    try:
        for _ in range(settings.AXES_FAILURE_LIMIT):
            client.post(reverse("login"), {"username": "siapa", "password": "salah"})
        locked = client.post(reverse("login"), {"username": "siapa", "password": "salah"})
        assert locked.status_code == 429
        assert redis_cache.keys("*axes*")
    finally:
        AxesProxyHandler.implementation = None


# ---- S3-compatible object storage ----


def test_an_attachment_is_stored_in_the_bucket_and_downloaded_through_the_access_check(
    settings, s3_storage, delegate_pangkalpinang, delegate_bangka, desk_bina_marga
):
    s3, bucket = s3_storage
    # The nginx hand-over applies to local disk only: object storage is streamed.
    settings.PROTECTED_FILES_ACCEL_PREFIX = "/_protected/"
    issue = IssueFactory(desk=desk_bina_marga, entered_by=delegate_pangkalpinang)
    photo = jpeg_bytes()
    attachment = attachment_add(
        issue=issue,
        uploaded_file=SimpleUploadedFile("jalan.jpg", photo, "image/jpeg"),
        user=delegate_pangkalpinang,
    )
    names = object_names(s3, bucket)
    assert f"media/{attachment.file.name}" in names
    assert f"media/{attachment.thumbnail.name}" in names
    stored = s3.get_object(Bucket=bucket, Key=f"media/{attachment.file.name}")["Body"].read()
    assert stored.startswith(b"\xff\xd8")  # the JPEG, without its GPS tags

    url = reverse(
        "issues:attachment_download", kwargs={"pk": issue.pk, "attachment_pk": attachment.pk}
    )
    owner, other = Client(), Client()
    owner.force_login(delegate_pangkalpinang)
    other.force_login(delegate_bangka)
    response = owner.get(url)
    assert response.status_code == 200 and "X-Accel-Redirect" not in response
    assert b"".join(response.streaming_content) == stored
    assert other.get(url).status_code == 404
    assert Client().get(url).status_code == 302
    # Nothing in the bucket is public: an unsigned request is refused by the store.
    endpoint = s3.meta.endpoint_url
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(f"{endpoint}/{bucket}/media/{attachment.file.name}", timeout=10)
    assert refused.value.code == 403


def test_a_file_gone_from_the_bucket_is_not_found(
    s3_storage, delegate_pangkalpinang, desk_bina_marga
):
    s3, bucket = s3_storage
    issue = IssueFactory(desk=desk_bina_marga, entered_by=delegate_pangkalpinang)
    attachment = attachment_add(
        issue=issue,
        uploaded_file=SimpleUploadedFile("ded.pdf", pdf_bytes(), "application/pdf"),
        user=delegate_pangkalpinang,
    )
    s3.delete_object(Bucket=bucket, Key=f"media/{attachment.file.name}")
    owner = Client()
    owner.force_login(delegate_pangkalpinang)
    url = reverse(
        "issues:attachment_download", kwargs={"pk": issue.pk, "attachment_pk": attachment.pk}
    )
    assert owner.get(url).status_code == 404


def test_a_backup_copies_the_bucket_with_its_fingerprints(
    postgres_url, s3_storage, tmp_path, delegate_pangkalpinang
):
    tool("pg_dump", "postgresql-client")
    s3, bucket = s3_storage
    desk = DeskFactory(field=field("bina-marga"))
    issue = IssueFactory(desk=desk, entered_by=delegate_pangkalpinang)
    attachment_add(
        issue=issue,
        uploaded_file=SimpleUploadedFile("ded.pdf", pdf_bytes(), "application/pdf"),
        user=delegate_pangkalpinang,
    )
    call_command("backup", "--out", tmp_path / "backup", stdout=io.StringIO())
    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text())
    assert {f"media/{entry['name']}" for entry in manifest["media"]} == object_names(s3, bucket)
