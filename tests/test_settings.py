import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _import_settings(**env):
    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY"}}
    clean.update(env)
    return subprocess.run(
        [sys.executable, "-c", "import rakortek.settings as s; print(s.DEBUG, s.TIME_ZONE)"],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_without_secret_key_fails_with_a_clear_message():
    result = _import_settings()
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_production_with_secret_key_starts_in_jakarta_time():
    result = _import_settings(SECRET_KEY="x" * 50)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "Asia/Jakarta"]


def test_development_needs_no_variables():
    result = _import_settings(DEBUG="1")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[0] == "True"


def test_production_static_storage_is_the_one_the_document_tests_render_under():
    from tests.conftest import PRODUCTION_STATIC_STORAGE

    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY"}}
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import rakortek.settings as s; print(s.STORAGES['staticfiles']['BACKEND'])",
        ],
        cwd=ROOT,
        env={**clean, "SECRET_KEY": "x" * 50},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == PRODUCTION_STATIC_STORAGE


def _deploy_check(**env):
    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "SITE_URL"}}
    clean.update({"SECRET_KEY": "x" * 60, "ALLOWED_HOSTS": "rakortek.example.go.id", **env})
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--tag", "security"],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        check=False,
    )


def test_deployment_check_fails_without_the_site_address():
    result = _deploy_check()
    assert result.returncode != 0
    assert "rakortek.E002" in result.stderr + result.stdout


def test_deployment_check_fails_on_a_local_site_address():
    result = _deploy_check(SITE_URL="http://127.0.0.1:8000")
    assert "rakortek.E002" in result.stderr + result.stdout


def test_deployment_check_passes_the_site_address_with_a_public_host():
    result = _deploy_check(SITE_URL="https://rakortek.example.go.id")
    assert "rakortek.E002" not in result.stderr + result.stdout


def _setting(name, **env):
    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY"}}
    clean.update({"DEBUG": "1", **env})
    return subprocess.run(
        [sys.executable, "-c", f"import rakortek.settings as s; print(repr(s.{name}))"],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        check=False,
    )


def test_cache_url_may_name_redis():
    result = _setting("CACHES", CACHE_URL="redis://127.0.0.1:6379/4")
    assert result.returncode == 0, result.stderr
    assert "django.core.cache.backends.redis.RedisCache" in result.stdout
    assert "redis://127.0.0.1:6379/4" in result.stdout


def test_failed_logins_count_in_the_database_unless_told_otherwise():
    assert "AxesDatabaseHandler" in _setting("AXES_HANDLER").stdout
    assert "AxesCacheHandler" in _setting("AXES_HANDLER", AXES_HANDLER="cache").stdout
    wrong = _setting("AXES_HANDLER", AXES_HANDLER="redis")
    assert wrong.returncode != 0 and "AXES_HANDLER must be" in wrong.stderr


def test_storage_url_selects_object_storage():
    default = _setting("STORAGES", STORAGE_URL="")
    assert "FileSystemStorage" in default.stdout
    s3 = _setting("STORAGES", STORAGE_URL="s3://k:s@127.0.0.1:9000/arsip?secure=0")
    assert s3.returncode == 0, s3.stderr
    assert "storages.backends.s3.S3Storage" in s3.stdout and "'arsip'" in s3.stdout
