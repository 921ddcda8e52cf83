"""Two app servers and two task workers sharing PostgreSQL, Redis and object storage."""

import subprocess

import pytest
from django.core.files.storage import default_storage

from issues.models import Attachment
from rakortek.accounts.models import Role
from rakortek.documents.catalog import SPECS
from rakortek.documents.models import DraftJob
from rakortek.documents.services import draft_job_enqueue
from tests.deploy.conftest import (
    BIN,
    REDIS_URL,
    app_env,
    make_bucket,
    redis_client,
    start,
    stop,
)
from tests.documents.conftest import decided_issue, lock_board
from tests.factories import DeskFactory, IssueFactory, MeetingFactory, UserFactory, field, region
from tests.issues.submission.test_attachments import jpeg_bytes

PASSWORD = "Kuat-sekali-2026"
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def shared(postgres_url, s3_server, settings, tmp_path, static_root):
    """The environment both servers share, and the same storage for this test process."""
    from rakortek.core.storage_url import storage_from_url

    redis = redis_client()
    redis.flushdb()
    s3, bucket, storage_url = make_bucket(s3_server)
    settings.STORAGES = {**settings.STORAGES, "default": storage_from_url(storage_url)}
    env = app_env(
        DATABASE_URL=postgres_url,
        STORAGE_URL=storage_url,
        CACHE_URL=REDIS_URL,
        AXES_HANDLER="cache",
        STATIC_ROOT=static_root,
        SECURE_SSL_REDIRECT=0,
        SESSION_COOKIE_SECURE=0,
        CSRF_COOKIE_SECURE=0,
    )
    yield {"env": env, "s3": s3, "bucket": bucket}
    redis.flushdb()


@pytest.fixture
def delegate():
    user = UserFactory(
        username="delegasi-pangkalpinang", role=Role.DELEGATE, region=region("pangkalpinang")
    )
    user.set_password(PASSWORD)
    user.save()
    return user


def test_an_upload_through_one_server_downloads_through_the_other(
    shared, app_servers, tmp_path, delegate
):
    from tests.deploy.web import Browser

    first = app_servers(tmp_path, shared["env"], "first")
    second = app_servers(tmp_path, shared["env"], "second")
    issue = IssueFactory(
        desk=DeskFactory(meeting=MeetingFactory(), field=field("bina-marga")), entered_by=delegate
    )
    on_first = Browser(first.url)
    assert on_first.login("delegasi-pangkalpinang", PASSWORD).status == 302
    upload_path = f"/isu/{issue.pk}/lampiran/"
    photo = jpeg_bytes(color=(20, 140, 60))
    uploaded = on_first.post_files(
        upload_path,
        {"csrfmiddlewaretoken": on_first.csrf_token(upload_path), "caption": "Ruas km 12"},
        {"files": ("ruas.jpg", "image/jpeg", photo)},
    )
    assert uploaded.status == 302, uploaded.body[:2000]
    attachment = Attachment.objects.get(issue=issue)
    assert f"media/{attachment.file.name}" in {
        item["Key"] for item in shared["s3"].list_objects_v2(Bucket=shared["bucket"])["Contents"]
    }

    # The same session (in PostgreSQL) on the second server, the file from the bucket.
    on_second = Browser(second.url)
    on_second.cookies.set_cookie(on_first.cookie("sessionid"))
    download = on_second.open(f"/isu/{issue.pk}/lampiran/{attachment.pk}/")
    assert download.status == 200, download.body[:500]
    assert download.body == default_storage.open(attachment.file.name).read()
    assert download.body[:2] == b"\xff\xd8"
    # Another region's delegate is refused on either server.
    stranger = UserFactory(username="delegasi-bangka", role=Role.DELEGATE, region=region("bangka"))
    stranger.set_password(PASSWORD)
    stranger.save()
    for server in (first, second):
        other = Browser(server.url)
        assert other.login("delegasi-bangka", PASSWORD).status == 302
        assert other.open(f"/isu/{issue.pk}/lampiran/{attachment.pk}/").status == 404


def test_failed_logins_count_across_both_servers(shared, app_servers, tmp_path, delegate, settings):
    first = app_servers(tmp_path, shared["env"], "first")
    second = app_servers(tmp_path, shared["env"], "second")
    from tests.deploy.web import Browser

    servers = [Browser(first.url), Browser(second.url)]
    limit = settings.AXES_FAILURE_LIMIT
    # Each server alone sees fewer failures than the limit; together they reach it.
    statuses = [
        servers[attempt % 2].login("delegasi-pangkalpinang", "salah-terus").status
        for attempt in range(limit)
    ]
    assert statuses == [200] * (limit - 1) + [429]
    # Locked on both, even with the right password.
    for browser in servers:
        assert browser.login("delegasi-pangkalpinang", PASSWORD).status == 429
        assert browser.cookie("sessionid") is None


def test_two_workers_drain_one_queue_and_render_each_draft_once(
    shared, tmp_path, settings, monday_meeting_with_desks
):
    settings.TASKS = DATABASE_TASKS
    meeting = monday_meeting_with_desks
    jobs = []
    for number in range(6):
        user = UserFactory(username=f"sekretariat-{number}", role=Role.SECRETARIAT)
        jobs.append(draft_job_enqueue(actor=user, meeting=meeting, spec=SPECS["rekapitulasi"]))
    assert DraftJob.objects.filter(status=DraftJob.Status.QUEUED).count() == 6

    env = {**shared["env"]}
    workers = [
        start(
            [BIN / "python", "manage.py", "db_worker", "--batch", "--no-startup-delay",
             "--worker-id", f"worker-{name}"],
            env=env,
            log_path=tmp_path / f"worker-{name}.log",
        )
        for name in ("a", "b")
    ]  # fmt: skip
    try:
        for worker in workers:
            worker.wait(timeout=300)
    except subprocess.TimeoutExpired:
        pytest.fail("the workers did not drain the queue within 5 minutes")
    finally:
        for worker in workers:
            stop(worker)
    for worker in workers:
        assert worker.returncode == 0, open(worker.log_path).read()[-3000:]

    from django_tasks_db.models import DBTaskResult

    results = list(DBTaskResult.objects.all())
    assert len(results) == 6
    # Each task was taken by exactly one worker, once, and succeeded.
    assert all(result.status == "SUCCESSFUL" for result in results), [
        (result.status, result.exception_class_path) for result in results
    ]
    assert all(len(result.worker_ids) == 1 for result in results)
    assert {worker for result in results for worker in result.worker_ids} <= {
        "worker-a",
        "worker-b",
    }
    done = DraftJob.objects.filter(pk__in=[job.pk for job in jobs])
    assert all(job.status == DraftJob.Status.DONE for job in done)
    names = {job.file.name for job in done}
    assert len(names) == 6
    stored = {
        item["Key"].removeprefix("media/")
        for item in shared["s3"].list_objects_v2(Bucket=shared["bucket"])["Contents"]
    }
    # One file per draft: a draft rendered twice would have left a second file.
    assert {name for name in stored if name.startswith("draf")} == names


@pytest.fixture
def monday_meeting_with_desks(settings):
    settings.DOCUMENTS_BACKGROUND_ROWS = 2
    meeting = MeetingFactory()
    kabid = UserFactory(role=Role.DESK_HEAD)
    bina_marga = DeskFactory(meeting=meeting, field=field("bina-marga"), chair=kabid)
    for rank in (1, 2):
        decided_issue(bina_marga, "bangka", rank=rank, decision="prioritas")
    lock_board(bina_marga)
    return meeting
