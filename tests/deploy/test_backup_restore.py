"""The backup drill: seed, finalise, back up, restore into a fresh database, verify."""

import hashlib
import io
import json
import subprocess

import psycopg2
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from meetings.models import Meeting
from rakortek.accounts.models import User
from rakortek.core.backup import _keep_newest, _tables, read_manifest, verify_restored
from rakortek.documents.catalog import SPECS
from rakortek.documents.models import FinalDocument
from rakortek.documents.services import DocumentError, document_finalise
from tests.deploy.conftest import BIN, REPO, app_env, tool


@pytest.fixture
def fresh_database(postgres_url):
    """An empty database beside the test database; dropped afterwards."""
    name = f"{connection.settings_dict['NAME']}_restored"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    url = postgres_url.rsplit("/", 1)[0] + f"/{name}"
    yield url
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def restore(folder, url, media, *extra):
    return subprocess.run(
        [BIN / "python", "manage.py", "restore", folder, *extra],
        cwd=REPO,
        env=app_env(DATABASE_URL=url, MEDIA_ROOT=media),
        capture_output=True,
        text=True,
    )


def finalise_what_the_demo_allows():
    secretariat = User.objects.get(username="sekretariat")
    for meeting in Meeting.objects.all():
        for key in ("rekapitulasi", "rekapitulasi-xlsx", "daftar-hadir", "notulen"):
            try:
                document_finalise(actor=secretariat, meeting=meeting, spec=SPECS[key])
            except DocumentError:
                pass


def test_backup_then_restore_into_a_fresh_database_keeps_every_row_and_fingerprint(
    postgres_url, fresh_database, tmp_path, settings
):
    tool("pg_dump", "postgresql-client")
    tool("pg_restore", "postgresql-client")
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("seed_demo", "--force", stdout=io.StringIO())
    finalise_what_the_demo_allows()
    documents = dict(FinalDocument.objects.values_list("file", "sha256"))
    assert len(documents) >= 3

    folder = tmp_path / "backup"
    out = io.StringIO()
    call_command("backup", "--out", folder, stdout=out)
    manifest = json.loads((folder / "manifest.json").read_text())
    assert {entry["file"] for entry in manifest["final_documents"]} == set(documents)
    assert {entry["name"] for entry in manifest["media"]} >= set(documents)
    assert (folder / "database.dump").read_bytes().startswith(b"PGDMP")

    restored_media = tmp_path / "restored-media"
    result = restore(folder, fresh_database, restored_media)
    assert result.returncode == 0, result.stderr
    assert f"{len(documents)} final documents match their fingerprints" in result.stdout

    # Checked again here, independently of the command: every table's rows...
    quote = connection.ops.quote_name
    with psycopg2.connect(fresh_database) as restored, restored.cursor() as cursor:
        for table in _tables():
            with connection.cursor() as source:
                source.execute(f"SELECT COUNT(*) FROM {quote(table)}")
                expected = source.fetchone()[0]
            cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")
            assert cursor.fetchone()[0] == expected, table
        cursor.execute("SELECT file, sha256 FROM documents_finaldocument")
        restored_documents = dict(cursor.fetchall())
    restored.close()
    assert restored_documents == documents
    # ...and every final document's file against the fingerprint recorded at finalising.
    for name, digest in documents.items():
        assert hashlib.sha256((restored_media / name).read_bytes()).hexdigest() == digest

    # A database that is no longer empty is refused without --force.
    again = restore(folder, fresh_database, tmp_path / "other-media")
    assert again.returncode != 0 and "is not empty" in again.stderr
    forced = restore(folder, fresh_database, tmp_path / "other-media", "--force")
    assert forced.returncode == 0, forced.stderr

    # A final document whose file changed after finalising is named by the check.
    assert verify_restored(read_manifest(folder)).problems == []
    changed = FinalDocument.objects.first()
    (tmp_path / "media" / changed.file.name).write_bytes(b"%PDF-1.7 changed afterwards")
    problems = verify_restored(read_manifest(folder)).problems
    assert any(
        f"final document {changed.pk} " in problem and "recorded fingerprint" in problem
        for problem in problems
    )

    # A backup whose files no longer match the manifest is not restored at all.
    name = next(iter(documents))
    damaged = folder / "media" / name
    damaged.write_bytes(damaged.read_bytes()[:-10])
    refused = restore(folder, fresh_database, tmp_path / "third-media", "--force")
    assert refused.returncode != 0 and f"media/{name}: missing or changed" in refused.stderr


def test_backup_refuses_a_folder_that_is_not_empty(postgres_url, tmp_path):
    tool("pg_dump", "postgresql-client")
    (tmp_path / "old.txt").write_text("x")
    with pytest.raises(CommandError, match="is not empty"):
        call_command("backup", "--out", tmp_path)


def test_dated_backups_beyond_the_newest_few_are_removed(tmp_path):
    for stamp in ("20261101-023000", "20261102-023000", "20261103-023000"):
        (tmp_path / f"rakortek-{stamp}").mkdir()
        (tmp_path / f"rakortek-{stamp}" / "manifest.json").write_text("{}")
    (tmp_path / "rakortek-unfinished").mkdir()  # no manifest: not a backup, left alone
    _keep_newest(tmp_path, 2)
    assert sorted(path.name for path in tmp_path.iterdir()) == [
        "rakortek-20261102-023000",
        "rakortek-20261103-023000",
        "rakortek-unfinished",
    ]
