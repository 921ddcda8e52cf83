"""The committed production files are valid for the programs that read them."""

import subprocess

from tests.deploy.conftest import BIN, REPO, app_env, tool
from tests.deploy.sites import render_site, self_signed_certificate

UNITS = sorted((REPO / "deploy" / "systemd").iterdir())


def test_every_unit_and_timer_passes_systemd_analyze_verify(tmp_path):
    analyze = tool("systemd-analyze", "systemd")
    assert {unit.name for unit in UNITS} >= {
        "rakortek-web.service",
        "rakortek-worker.service",
        "rakortek-reminders.timer",
        "rakortek-prune-drafts.timer",
        "rakortek-backup.timer",
    }
    # The units name /srv/rakortek; here the checkout stands in for it, so every
    # ExecStart must point at a program that exists.
    for unit in UNITS:
        (tmp_path / unit.name).write_text(unit.read_text().replace("/srv/rakortek", str(REPO)))
    result = subprocess.run(
        [analyze, "verify", *sorted(str(path) for path in tmp_path.iterdir())],
        capture_output=True,
        text=True,
    )
    # verify exits 0 on unknown keys and bad values; it only warns, so warnings fail too.
    assert result.returncode == 0 and not result.stderr.strip(), result.stderr


def test_every_timer_starts_a_service_of_the_same_name():
    services = {unit.stem for unit in UNITS if unit.suffix == ".service"}
    timers = {unit.stem for unit in UNITS if unit.suffix == ".timer"}
    assert timers <= services
    for timer in timers:
        assert "OnCalendar=" in (REPO / "deploy" / "systemd" / f"{timer}.timer").read_text()


def test_the_worker_unit_limits_memory_and_restarts():
    text = (REPO / "deploy" / "systemd" / "rakortek-worker.service").read_text()
    assert "MemoryMax=" in text and "Restart=always" in text
    assert "manage.py db_worker" in text


def test_the_nginx_site_passes_nginx_t(tmp_path):
    nginx = tool("nginx", "nginx")
    tool("openssl", "openssl")
    cert, key = self_signed_certificate(tmp_path)
    (tmp_path / "static").mkdir()
    (tmp_path / "media").mkdir()
    main = render_site(
        tmp_path,
        app_ports=[8001],
        https_port=8443,
        http_port=8080,
        static_root=tmp_path / "static",
        media_root=tmp_path / "media",
        cert=cert,
        key=key,
    )
    result = subprocess.run(
        [nginx, "-t", "-p", tmp_path, "-e", tmp_path / "error.log", "-c", main],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert "test is successful" in result.stderr


def test_gunicorn_loads_its_configuration_and_the_app():
    result = subprocess.run(
        [BIN / "gunicorn", "-c", REPO / "deploy" / "gunicorn.conf.py", "--check-config",
         "rakortek.wsgi"],
        cwd=REPO,
        env=app_env(),
        capture_output=True,
        text=True,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
