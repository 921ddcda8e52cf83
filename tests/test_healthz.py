"""/healthz: 200 when the database, the storage, the cache and a worker are fine; 503 naming
each part that is not. Every failure is real: an unreachable database, a media folder that
cannot be created, a cache table that was never created, no (or an old) worker heartbeat."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from rakortek.models import WorkerHeartbeat
from tests.test_database_unavailable import database_unreachable

pytestmark = pytest.mark.django_db

URL = "/healthz"


@pytest.fixture
def worker_alive():
    now = timezone.now()
    return WorkerHeartbeat.objects.create(
        worker_id="worker-a", hostname="app1", pid=4242, started_at=now, seen_at=now
    )


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_all_fine_is_200_for_anyone_and_says_nothing_confidential(client, worker_alive):
    response = client.get(URL)
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "failing": [],
        "checks": {"database": "ok", "storage": "ok", "cache": "ok", "worker": "ok"},
    }
    assert "no-cache" in response["Cache-Control"]
    text = response.content.decode()
    for secret in (settings.SECRET_KEY, str(settings.MEDIA_ROOT), "worker-a", "app1", "4242"):
        assert secret not in text
    # The probe leaves no file behind.
    assert not list((settings.MEDIA_ROOT / "healthz").glob("*"))


def test_head_works_and_post_is_refused(client, worker_alive):
    assert client.head(URL).status_code == 200
    assert client.post(URL).status_code == 405


def test_no_worker_is_503_naming_the_worker(client):
    response = client.get(URL)
    assert response.status_code == 503
    body = response.json()
    assert body["failing"] == ["worker"]
    assert body["checks"]["worker"] == "no worker has reported"


def test_a_worker_not_seen_for_a_while_is_503(client, worker_alive):
    WorkerHeartbeat.objects.update(
        seen_at=timezone.now() - timedelta(seconds=settings.WORKER_STALE_SECONDS + 30)
    )
    body = client.get(URL).json()
    assert body["failing"] == ["worker"]
    assert body["checks"]["worker"].startswith("no heartbeat for ")


def test_storage_that_cannot_be_written_is_503_naming_the_storage(
    client, worker_alive, settings, tmp_path
):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    settings.MEDIA_ROOT = blocker / "media"
    response = client.get(URL)
    assert response.status_code == 503
    assert response.json()["failing"] == ["storage"]
    assert str(blocker) not in response.content.decode()


def test_a_cache_that_fails_is_503_naming_the_cache(client, worker_alive, settings):
    # A database cache whose table was never created (`createcachetable` forgotten).
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "cache_table_never_created",
        }
    }
    response = client.get(URL)
    assert response.status_code == 503
    assert response.json()["failing"] == ["cache"]
    assert "cache_table_never_created" not in response.content.decode()


def test_an_unreachable_database_is_503_naming_the_database(client, worker_alive, tmp_path):
    with database_unreachable(tmp_path):
        response = client.get(URL)
    assert response.status_code == 503
    body = response.json()
    # The worker's heartbeat is read from the database too, so it cannot be vouched for.
    assert body["failing"] == ["database", "worker"]
    assert body["checks"]["storage"] == "ok" and body["checks"]["cache"] == "ok"
