"""`kopiena backup` and `kopiena restore`: a fresh database gets back the same rows, the same
files and a byte-identical report (issue 13, item 13), on SQLite and on PostgreSQL."""

import io
import json
import os
import re
import subprocess
import sys
import tarfile
from pathlib import Path

import psycopg
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from PIL import Image

from kopiena.communities import services as communities
from tests.factories import UserFactory, municipality
from tests.reports.reference import SLUG, reference_survey

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[2]
COUNT_ROWS = """
import json, django
django.setup()
from django.db import connection
with connection.cursor() as cursor:
    counts = {}
    for table in sorted(connection.introspection.table_names(cursor)):
        cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
        counts[table] = cursor.fetchone()[0]
print(json.dumps(counts))
"""


def row_counts() -> dict[str, int]:
    counts = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
            counts[table] = cursor.fetchone()[0]
    return counts


def without_generated_at(report: bytes) -> bytes:
    return re.sub(rb'"generated_at": "[^"]*"', b'"generated_at": ""', report)


@pytest.fixture
def fresh_database(tmp_path):
    """The URL of a new, empty database of the kind the tests run on."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    settings = connection.settings_dict
    name = settings["NAME"] + "_restore"  # test_wt_NAME_restore: the tests' own scratch name
    server = {
        "host": settings["HOST"] or None,
        "port": settings["PORT"] or None,
        "user": settings["USER"] or None,
        "password": settings["PASSWORD"] or None,
    }

    def admin(sql: str) -> None:
        with psycopg.connect(dbname="postgres", autocommit=True, **server) as db:
            db.execute(sql)

    admin(f'DROP DATABASE IF EXISTS "{name}"')
    admin(f'CREATE DATABASE "{name}"')
    login = settings["USER"] + (f":{settings['PASSWORD']}" if settings["PASSWORD"] else "")
    yield f"postgres://{login}@{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}/{name}"
    admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def kopiena(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - our own interpreter and command
        [sys.executable, "-m", "kopiena", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        timeout=300,
    )


def logo_png() -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), "green").save(out, format="PNG")
    return SimpleUploadedFile("logo.png", out.getvalue(), content_type="image/png")


def test_a_restored_database_has_the_same_rows_files_and_report(settings, tmp_path, fresh_database):
    settings.MEDIA_ROOT = tmp_path / "media"
    reference_survey(municipality=municipality("kekavas_nov"))
    coordinator = UserFactory()
    community = communities.community_create(
        name="Ūdri", municipality=municipality("kekavas_nov"), actor=None, coordinator=coordinator
    )
    communities.community_logo_set(community=community, upload=logo_png(), actor=coordinator)
    community.refresh_from_db()
    report = tmp_path / "report.json"
    call_command("report", SLUG, "--format", "json", "--output", str(report))
    counts = row_counts()
    archive = tmp_path / "kopiena.tar.gz"

    call_command("backup", str(archive))

    restored_media = tmp_path / "restored-media"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings_test",
        "DATABASE_URL": fresh_database,
        "MEDIA_ROOT": str(restored_media),
    }
    restore = kopiena("restore", str(archive), env=env)
    assert restore.returncode == 0, restore.stderr.decode()

    counted = subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", COUNT_ROWS], cwd=ROOT, env=env, capture_output=True, check=True
    )
    assert json.loads(counted.stdout) == counts
    assert counts["surveys_response"] == 17 and counts["communities_community"] >= 1
    restored_report = kopiena("report", SLUG, "--format", "json", env=env)
    assert restored_report.returncode == 0, restored_report.stderr.decode()
    assert without_generated_at(restored_report.stdout) == without_generated_at(report.read_bytes())
    logo = restored_media / community.logo
    assert logo.read_bytes() == (settings.MEDIA_ROOT / community.logo).read_bytes()

    # The target now holds data: a second restore is refused unless forced.
    again = kopiena("restore", str(archive), env=env)
    assert again.returncode != 0
    assert "not empty" in again.stderr.decode() and "--force" in again.stderr.decode()
    forced = kopiena("restore", "--force", str(archive), env=env)
    assert forced.returncode == 0, forced.stderr.decode()
    counted = subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", COUNT_ROWS], cwd=ROOT, env=env, capture_output=True, check=True
    )
    assert json.loads(counted.stdout) == counts


def test_a_file_that_is_no_backup_is_refused_and_nothing_changes(tmp_path, fresh_database):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings_test",
        "DATABASE_URL": fresh_database,
        "MEDIA_ROOT": str(tmp_path / "media"),
    }
    junk = tmp_path / "junk.tar.gz"
    junk.write_bytes(b"PK\x03\x04 not a backup at all")
    result = kopiena("restore", str(junk), env=env)
    assert result.returncode != 0 and "is not a Kopiena backup" in result.stderr.decode()

    # A tar archive without the manifest is no backup either.
    other = tmp_path / "other.tar.gz"
    with tarfile.open(other, "w:gz") as archive:
        archive.add(ROOT / "README.md", arcname="README.md")
    result = kopiena("restore", str(other), env=env)
    assert result.returncode != 0 and "is not a Kopiena backup" in result.stderr.decode()
    assert not (tmp_path / "media").exists()
