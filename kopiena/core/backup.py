"""The database and the uploaded files in one archive, and back (`kopiena backup|restore`).

The archive is a gzip-compressed tar holding

    kopiena-backup.json   what it is: format, version, database kind, time, migrations
    database.pgdump       PostgreSQL: pg_dump's custom format, restored with pg_restore
    database.sqlite3      SQLite: a copy taken with SQLite's online backup API
    media/…               every file under MEDIA_ROOT

Both copies are consistent snapshots taken while the site keeps running: pg_dump reads
in one transaction; SQLite's backup copies every page in one step under a read lock,
which in WAL mode does not stop writers. Media files are copied after the database, so
a file uploaded meanwhile is at worst present without its row, never the other way.

A restore goes into an empty database of the same kind and an empty MEDIA_ROOT (stop the
site first); `force` empties both first. Nothing is touched before the archive, the
tools and the targets have been checked; the media are unpacked beside MEDIA_ROOT and
moved in only after the database is restored (pg_restore runs in one
transaction), so a failed restore leaves the files as they were.

Only the standard library, Django and the PostgreSQL client programs are used: the
kernel imports no Kopiena app.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.db import connection

FORMAT = "kopiena-backup"
VERSION = 1
MANIFEST = "kopiena-backup.json"
DUMPS = {"postgresql": "database.pgdump", "sqlite": "database.sqlite3"}
MEDIA = "media"


class BackupError(Exception):
    """A backup or a restore that cannot be done; the message says why, for an operator."""


@dataclass(frozen=True)
class BackupResult:
    path: Path
    database: str
    media_files: int


def backup_write(*, path: Path, log: Callable[[str], None] = lambda _: None) -> BackupResult:
    """Write the database and MEDIA_ROOT into a new archive at `path`."""
    vendor = _vendor()
    path = Path(path)
    if path.is_dir():
        raise BackupError(f"{path} is a directory; name the archive file to write.")
    media_root = Path(settings.MEDIA_ROOT)
    # Written beside its final name and renamed at the end: a half-written file never
    # looks like a backup.
    partial = path.with_name(path.name + ".partial")
    with tempfile.TemporaryDirectory(prefix="kopiena-backup-") as scratch:
        dump = Path(scratch) / DUMPS[vendor]
        log(f"Database ({vendor}) …")
        if vendor == "postgresql":
            _run(["pg_dump", "--format=custom", f"--file={dump}"], _pg_environment())
        else:
            _sqlite_backup(dump)
        manifest = {
            "format": FORMAT,
            "version": VERSION,
            "database": vendor,
            "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "migrations": _applied_migrations(),
        }
        media_files = 0
        try:
            with tarfile.open(partial, "w:gz", compresslevel=6) as archive:
                _add_bytes(archive, MANIFEST, json.dumps(manifest, indent=2).encode())
                archive.add(dump, arcname=DUMPS[vendor])
                log(f"Media from {media_root} …")
                for file in _files_under(media_root):
                    archive.add(file, arcname=f"{MEDIA}/{file.relative_to(media_root).as_posix()}")
                    media_files += 1
            os.replace(partial, path)
        finally:
            partial.unlink(missing_ok=True)
    return BackupResult(path=path, database=vendor, media_files=media_files)


def backup_restore(
    *, path: Path, force: bool = False, log: Callable[[str], None] = lambda _: None
) -> BackupResult:
    """Restore an archive written by `backup_write` into this installation's database and
    MEDIA_ROOT, which must be empty unless `force`."""
    vendor = _vendor()
    path = Path(path)
    try:
        archive = tarfile.open(path, "r:*")  # noqa: SIM115 - closed by the with below
    except FileNotFoundError:
        raise BackupError(f"{path}: no such file.") from None
    except (tarfile.TarError, OSError):
        raise BackupError(f"{path} is not a Kopiena backup (not a tar archive).") from None
    with archive, tempfile.TemporaryDirectory(prefix="kopiena-restore-") as scratch:
        manifest = _manifest(archive, path)
        if manifest["database"] != vendor:
            raise BackupError(
                f"{path} holds a {manifest['database']} database; this installation uses "
                f"{vendor} (DATABASE_URL). Restore it into a {manifest['database']} database."
            )
        media_root = Path(settings.MEDIA_ROOT)
        _refuse_unless_empty(vendor, media_root, force)
        if vendor == "postgresql":
            _require_program("pg_restore")
        dump = Path(scratch) / DUMPS[vendor]
        _extract_file(archive, DUMPS[vendor], dump, path)
        media_root.parent.mkdir(parents=True, exist_ok=True)
        unpacked = Path(tempfile.mkdtemp(prefix=".restoring-", dir=media_root.parent))
        try:
            log(f"Media into {media_root} …")
            media_files = _extract_media(archive, unpacked, path)
            log(f"Database ({vendor}) …")
            if vendor == "postgresql":
                _pg_restore(dump, force)
            else:
                _sqlite_restore(dump)
            _move_into_place(unpacked, media_root)
        finally:
            shutil.rmtree(unpacked, ignore_errors=True)
    return BackupResult(path=path, database=vendor, media_files=media_files)


# --------------------------------------------------------------------------- checks


def _vendor() -> str:
    if connection.vendor not in DUMPS:
        raise BackupError(f"Backups of a {connection.vendor} database are not supported.")
    return connection.vendor


def _manifest(archive: tarfile.TarFile, path: Path) -> dict:
    try:
        member = archive.extractfile(MANIFEST)
        manifest = json.loads(member.read()) if member else None
    except (KeyError, tarfile.TarError, OSError, ValueError):
        manifest = None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{path} is not a Kopiena backup (it has no {MANIFEST}).")
    if manifest.get("version") != VERSION or manifest.get("database") not in DUMPS:
        raise BackupError(
            f"{path} is a Kopiena backup of another format (version {manifest.get('version')})."
        )
    return manifest


def _refuse_unless_empty(vendor: str, media_root: Path, force: bool) -> None:
    if force:
        return
    tables = _tables() if vendor == "postgresql" else _sqlite_tables(_sqlite_path())
    if tables:
        raise BackupError(
            f"The database is not empty ({len(tables)} tables, e.g. {sorted(tables)[0]}). "
            "Restore into a new, empty database, or add --force to replace everything in it."
        )
    if any(_files_under(media_root)):
        raise BackupError(
            f"MEDIA_ROOT ({media_root}) already holds files. Restore into an empty folder, "
            "or add --force to replace them."
        )


def _tables() -> list[str]:
    with connection.cursor() as cursor:
        return connection.introspection.table_names(cursor)


def _require_program(name: str) -> None:
    if shutil.which(name) is None:
        raise BackupError(
            f"{name} is not installed: it comes with PostgreSQL's client programs "
            "(Debian and Ubuntu: apt-get install postgresql-client), of the server's version "
            "or newer."
        )


# --------------------------------------------------------------------------- PostgreSQL


def _pg_environment() -> dict[str, str]:
    """libpq's variables for the configured database (the password stays off the command line)."""
    config = connection.settings_dict
    env = dict(os.environ)
    for variable, value in (
        ("PGDATABASE", config["NAME"]),
        ("PGUSER", config.get("USER")),
        ("PGPASSWORD", config.get("PASSWORD")),
        ("PGHOST", config.get("HOST")),
        ("PGPORT", str(config.get("PORT") or "")),
        ("PGSSLMODE", config.get("OPTIONS", {}).get("sslmode")),
    ):
        if value:
            env[variable] = value
    return env


def _pg_restore(dump: Path, force: bool) -> None:
    if force and (tables := _tables()):
        with connection.cursor() as cursor:
            names = ", ".join(connection.ops.quote_name(table) for table in tables)
            cursor.execute(f"DROP TABLE IF EXISTS {names} CASCADE")
    connection.close()
    _run(
        [
            "pg_restore",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            f"--dbname={connection.settings_dict['NAME']}",
            str(dump),
        ],
        _pg_environment(),
    )


def _run(command: list[str], env: dict[str, str]) -> None:
    _require_program(command[0])
    result = subprocess.run(command, env=env, capture_output=True, text=True)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()}")


# --------------------------------------------------------------------------- SQLite


def _sqlite_path() -> Path:
    return Path(connection.settings_dict["NAME"])


def _sqlite_backup(target: Path) -> None:
    """An online copy through Django's own connection (also an in-memory test database)."""
    connection.ensure_connection()
    copy = sqlite3.connect(target)
    try:
        connection.connection.backup(copy)
    finally:
        copy.close()


def _sqlite_tables(path: Path) -> list[str]:
    if not path.exists() or path.stat().st_size == 0:
        return []
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as database:
        rows = database.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        ).fetchall()
    return [name for (name,) in rows]


def _sqlite_restore(dump: Path) -> None:
    check = sqlite3.connect(dump)
    try:
        (result,) = check.execute("PRAGMA integrity_check").fetchone()
    finally:
        check.close()
    if result != "ok":
        raise BackupError(f"The database in the archive is damaged: {result}")
    target = _sqlite_path()
    connection.close()
    target.parent.mkdir(parents=True, exist_ok=True)
    staged = target.with_name(target.name + ".restoring")
    shutil.copyfile(dump, staged)
    # The old file's write-ahead log belongs to it, not to the restored copy.
    for suffix in ("-wal", "-shm"):
        target.with_name(target.name + suffix).unlink(missing_ok=True)
    os.replace(staged, target)


# --------------------------------------------------------------------------- archive


def _applied_migrations() -> dict[str, str]:
    """The last applied migration of each app, for the operator reading the manifest."""
    from django.db.migrations.recorder import MigrationRecorder

    latest: dict[str, str] = {}
    for app, name in MigrationRecorder(connection).applied_migrations():
        latest[app] = max(latest.get(app, ""), name)
    return dict(sorted(latest.items()))


def _files_under(root: Path):
    if not root.is_dir():
        return
    for folder, _dirs, files in os.walk(root):
        for name in sorted(files):
            yield Path(folder) / name


def _add_bytes(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(dt.datetime.now().timestamp())
    info.mode = 0o600
    archive.addfile(info, io.BytesIO(data))


def _extract_file(
    archive: tarfile.TarFile, member: str | tarfile.TarInfo, target: Path, path: Path
) -> None:
    try:
        source = archive.extractfile(member)
    except KeyError:
        source = None
    if source is None:
        raise BackupError(f"{path} is incomplete: it has no {member}.")
    with source, open(target, "wb") as out:
        shutil.copyfileobj(source, out)


def _extract_media(archive: tarfile.TarFile, folder: Path, path: Path) -> int:
    """Unpack the archive's media/ files into `folder`; names that leave it are refused."""
    count = 0
    for member in archive:
        if not member.name.startswith(f"{MEDIA}/"):
            continue
        relative = PurePosixPath(member.name).relative_to(MEDIA)
        if not member.isfile() or relative.is_absolute() or ".." in relative.parts:
            raise BackupError(f"{path} holds an unsafe entry: {member.name!r}.")
        target = folder.joinpath(*relative.parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        _extract_file(archive, member, target, path)
        count += 1
    return count


def _move_into_place(unpacked: Path, media_root: Path) -> None:
    """Replace MEDIA_ROOT's contents with the unpacked files (MEDIA_ROOT itself may be a
    mount point or a link, so it stays; its contents move)."""
    media_root.mkdir(parents=True, exist_ok=True)
    for entry in media_root.iterdir():
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry)
        else:
            entry.unlink()
    for entry in unpacked.iterdir():
        shutil.move(entry, media_root / entry.name)
