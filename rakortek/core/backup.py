"""Backups that restore: a PostgreSQL dump, the stored files and a manifest.

A backup folder holds:

- `database.dump`: `pg_dump --format=custom` of the database;
- `media/`: every file of the default storage (local disk or object storage), by name;
- `manifest.json`: the SHA-256 and size of the dump and of each file, the number of
  rows of each table and the recorded fingerprint of every final document.

The row counts and the dump come from one snapshot of the database (pg_dump
--snapshot), so they agree even while people keep working. `restore_backup` checks
the folder against its manifest before touching anything, restores the database and
the files, and then checks every final document against the fingerprint recorded
when it was finalised.
"""

import hashlib
import json
import os
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.utils import timezone

MANIFEST = "manifest.json"
DUMP = "database.dump"
MEDIA = "media"
FORMAT = 1
CHUNK = 1024 * 1024


class BackupError(Exception):
    pass


def sha256_of(handle) -> str:
    digest = hashlib.sha256()
    for chunk in iter(lambda: handle.read(CHUNK), b""):
        digest.update(chunk)
    return digest.hexdigest()


def _file_sha256(path: Path) -> str:
    with open(path, "rb") as handle:
        return sha256_of(handle)


def _pg_command(program: str) -> tuple[list[str], dict]:
    """`program` with the connection of the default database, and its environment."""
    if connection.vendor != "postgresql":
        raise BackupError(
            "Backups need PostgreSQL (DATABASE_URL=postgres://...). With SQLite, stop the "
            "server and copy db.sqlite3 and the media folder."
        )
    params = connection.settings_dict
    binary = shutil.which(program)
    if not binary:
        raise BackupError(f"{program} not found: install the Debian package postgresql-client.")
    command = [binary, "--no-password"]
    if params.get("HOST"):
        command += ["--host", params["HOST"]]
    if params.get("PORT"):
        command += ["--port", str(params["PORT"])]
    if params.get("USER"):
        command += ["--username", params["USER"]]
    env = {**os.environ}
    if params.get("PASSWORD"):
        env["PGPASSWORD"] = params["PASSWORD"]
    return command, env


def _tables() -> list[str]:
    """Every table of the installed models (Django's own included), sorted."""
    names = {model._meta.db_table for model in apps.get_models(include_auto_created=True)}
    existing = set(connection.introspection.table_names())
    return sorted(names & existing)


def _row_counts() -> dict[str, int]:
    quote = connection.ops.quote_name
    counts = {}
    with connection.cursor() as cursor:
        for table in _tables():
            cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")
            counts[table] = cursor.fetchone()[0]
    return counts


def _final_documents() -> list[dict]:
    FinalDocument = apps.get_model("documents", "FinalDocument")
    return [
        {"id": pk, "file": name, "sha256": digest}
        for pk, name, digest in FinalDocument.objects.order_by("pk").values_list(
            "pk", "file", "sha256"
        )
    ]


def _storage_names(storage, folder=""):
    """Every file name in `storage` under `folder`, depth first."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield f"{folder}/{name}" if folder else name
    for sub in sorted(folders):
        yield from _storage_names(storage, f"{folder}/{sub}" if folder else sub)


@dataclass
class BackupResult:
    folder: Path
    manifest: dict = field(default_factory=dict)


def create_backup(out: Path, *, dated: bool = False, keep: int = 0) -> BackupResult:
    """Write a backup into `out` (or a new dated folder in it); keep the newest `keep`."""
    out = Path(out)
    folder = out / timezone.localtime().strftime("rakortek-%Y%m%d-%H%M%S") if dated else out
    if folder.exists() and any(folder.iterdir()):
        raise BackupError(f"{folder} is not empty: back up into a new folder.")
    command, env = _pg_command("pg_dump")
    folder.mkdir(parents=True, exist_ok=True)
    (folder / MEDIA).mkdir()
    dump = folder / DUMP
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
        # pg_dump reads the very snapshot the counts below are taken in.
        result = subprocess.run(
            [
                *command,
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                f"--snapshot={snapshot}",
                f"--file={dump}",
                connection.settings_dict["NAME"],
            ],
            env=env,
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
        counts = _row_counts()
        documents = _final_documents()
    files = []
    for name in _storage_names(default_storage):
        target = folder / MEDIA / name
        target.parent.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256()
        size = 0
        with default_storage.open(name, "rb") as source, open(target, "wb") as copy:
            for chunk in iter(lambda source=source: source.read(CHUNK), b""):
                digest.update(chunk)
                size += len(chunk)
                copy.write(chunk)
        files.append({"name": name, "sha256": digest.hexdigest(), "size": size})
    manifest = {
        "format": FORMAT,
        "created_at": timezone.now().isoformat(),
        "database": {
            "file": DUMP,
            "sha256": _file_sha256(dump),
            "size": dump.stat().st_size,
            "engine": "postgresql",
            "rows": counts,
        },
        "media": files,
        "final_documents": documents,
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False))
    if dated and keep > 0:
        _keep_newest(out, keep)
    return BackupResult(folder=folder, manifest=manifest)


def _keep_newest(out: Path, keep: int):
    backups = sorted(
        path for path in out.glob("rakortek-*") if path.is_dir() and (path / MANIFEST).exists()
    )
    for old in backups[:-keep]:
        shutil.rmtree(old)


def read_manifest(folder: Path) -> dict:
    path = Path(folder) / MANIFEST
    if not path.exists():
        raise BackupError(f"{path} not found: not a Rakortek backup folder.")
    manifest = json.loads(path.read_text())
    if manifest.get("format") != FORMAT:
        raise BackupError(f"Unknown backup format {manifest.get('format')!r}.")
    return manifest


def check_backup(folder: Path, manifest: dict) -> list[str]:
    """What in `folder` does not match its manifest (missing or changed files)."""
    folder = Path(folder)
    problems = []
    dump = folder / manifest["database"]["file"]
    if not dump.exists() or _file_sha256(dump) != manifest["database"]["sha256"]:
        problems.append(f"{dump.name}: missing or changed")
    for entry in manifest["media"]:
        path = folder / MEDIA / entry["name"]
        if not path.exists() or _file_sha256(path) != entry["sha256"]:
            problems.append(f"media/{entry['name']}: missing or changed")
    return problems


def database_is_empty() -> bool:
    return not connection.introspection.table_names()


def storage_is_empty() -> bool:
    return next(_storage_names(default_storage), None) is None


@dataclass
class RestoreResult:
    rows: dict
    files: int
    documents_checked: int
    problems: list[str]


def restore_backup(folder: Path, *, force: bool = False) -> RestoreResult:
    """Restore the backup in `folder` into the configured database and storage.

    Refuses a database that has any table (or a storage that has any file) unless
    `force`; then the database's public schema is dropped first and files with the
    same names are replaced. Returns what was checked; `problems` lists mismatches.
    """
    folder = Path(folder)
    manifest = read_manifest(folder)
    problems = check_backup(folder, manifest)
    if problems:
        raise BackupError("The backup does not match its manifest: " + "; ".join(problems))
    command, env = _pg_command("pg_restore")
    if not force:
        if not database_is_empty():
            raise BackupError(
                f"The database {connection.settings_dict['NAME']} is not empty. Restore into "
                "a new database, or pass --force to replace everything in it."
            )
        if not storage_is_empty():
            raise BackupError(
                "The file storage is not empty. Restore into an empty MEDIA_ROOT or bucket, "
                "or pass --force to replace files with the same names."
            )
    if force:
        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA IF EXISTS public CASCADE")
            cursor.execute("CREATE SCHEMA public")
    connection.close()
    result = subprocess.run(
        [
            *command,
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            f"--dbname={connection.settings_dict['NAME']}",
            str(folder / manifest["database"]["file"]),
        ],
        env=env,
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        raise BackupError(f"pg_restore failed: {result.stderr.strip()}")
    for entry in manifest["media"]:
        name = entry["name"]
        if force and default_storage.exists(name):
            default_storage.delete(name)
        with open(folder / MEDIA / name, "rb") as handle:
            saved = default_storage.save(name, File(handle, name=name))
        if saved != name:
            problems.append(f"{name}: stored as {saved}")
    return verify_restored(manifest, problems)


def verify_restored(manifest: dict, problems: list[str] | None = None) -> RestoreResult:
    """Compare the database and storage with the manifest and every final document's
    file with its recorded fingerprint."""
    problems = list(problems or [])
    rows = _row_counts()
    for table, expected in manifest["database"]["rows"].items():
        if rows.get(table) != expected:
            problems.append(f"table {table}: {rows.get(table)} rows, backup had {expected}")
    files = 0
    for entry in manifest["media"]:
        try:
            with default_storage.open(entry["name"], "rb") as handle:
                digest = sha256_of(handle)
        except FileNotFoundError:
            problems.append(f"{entry['name']}: not in storage after restoring")
            continue
        files += 1
        if digest != entry["sha256"]:
            problems.append(f"{entry['name']}: SHA-256 differs from the manifest")
    FinalDocument = apps.get_model("documents", "FinalDocument")
    checked = 0
    for document in FinalDocument.objects.order_by("pk"):
        try:
            with document.file.open("rb") as handle:
                digest = sha256_of(handle)
        except (FileNotFoundError, ValueError):
            problems.append(f"final document {document.pk} ({document.number}): file missing")
            continue
        checked += 1
        if digest != document.sha256:
            problems.append(
                f"final document {document.pk} ({document.number}): SHA-256 differs from "
                "its recorded fingerprint"
            )
    recorded = {entry["id"]: entry["sha256"] for entry in manifest["final_documents"]}
    current = dict(FinalDocument.objects.values_list("pk", "sha256"))
    if recorded != current:
        problems.append("the final documents differ from those listed in the manifest")
    return RestoreResult(rows=rows, files=files, documents_checked=checked, problems=problems)
