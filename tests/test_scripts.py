"""The scripts a newcomer runs say what is wrong in the words of what went wrong."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent


def postgres_check(url: str) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, str(ROOT / "scripts" / "postgres_check.py"), url],
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_postgres_check_says_no_server_answers_and_hides_the_password():
    result = postgres_check("postgres://kopiena:s3cret@127.0.0.1:1/test")
    assert result.returncode == 1
    assert "Connection refused" in result.stdout
    assert "s3cret" not in result.stdout and "kopiena:***@127.0.0.1:1" in result.stdout


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs a PostgreSQL server")
def test_postgres_check_reports_a_refused_login_as_such_not_as_unreachable():
    settings = connection.settings_dict
    url = f"postgres://kopiena_no_such_role@{settings['HOST']}:{settings['PORT'] or 5432}/test"
    result = postgres_check(url)
    assert result.returncode == 1
    assert 'role "kopiena_no_such_role" does not exist' in result.stdout
    assert "reachable" not in result.stdout


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs a PostgreSQL server")
def test_postgres_check_accepts_the_server_the_tests_use():
    settings = connection.settings_dict
    login = settings["USER"] + (f":{settings['PASSWORD']}" if settings["PASSWORD"] else "")
    url = f"postgres://{login}@{settings['HOST']}:{settings['PORT'] or 5432}/x"
    assert postgres_check(url).returncode == 0


def test_setup_names_each_missing_system_package_when_it_cannot_install_it(tmp_path):
    """A normal user without sudo on Debian, with no C++ compiler: told exactly what to ask
    root for (issue 13, item 11), before anything is downloaded."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for program in ("bash", "python3", "pkg-config", "fc-list", "npm", "uv", "apt-get"):
        if found := shutil.which(program):
            (bin_dir / program).symlink_to(found)
    (bin_dir / "id").write_text("#!/bin/sh\necho 1000\n")  # not root
    (bin_dir / "id").chmod(0o755)
    result = subprocess.run(  # noqa: S603 - our own script
        [str(bin_dir / "bash"), "-c", "source scripts/system.sh && ensure_system_packages"],
        cwd=ROOT,
        env={"PATH": str(bin_dir), "HOME": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert "g++ — compiling PyICU" in result.stdout
    assert "You are not root and there is no sudo: as root, run  apt-get install g++" in (
        result.stdout
    )
