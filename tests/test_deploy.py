"""Production settings: Django's deployment checklist passes, and secrets are required."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def production_env(tmp_path, **overrides) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "KOPIENA_", "SECURE_", "SESSION_"))
        and key not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "EMAIL_BACKEND"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        # Set explicitly so a developer's .env (KOPIENA_DEV=1, DEBUG=1) cannot leak in.
        DEBUG="0",
        KOPIENA_DEV="0",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="kopiena.example.lv",
        KOPIENA_DATA_DIR=str(tmp_path),
    )
    env.update(overrides)
    return env


def run(code: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", "import django; django.setup();" + code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_has_no_warnings(tmp_path):
    result = run(
        "from django.core.management import call_command;"
        "call_command('check', deploy=True, fail_level='DEBUG')",
        production_env(tmp_path),
    )
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_settings_are_secure(tmp_path):
    result = run(
        "from django.conf import settings as s;"
        "print(s.DEBUG, s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE,"
        " s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS >= 31536000,"
        " s.PASSWORD_HASHERS[0].endswith('Argon2PasswordHasher'),"
        " s.EMAIL_BACKEND.endswith('smtp.EmailBackend'),"
        " s.CACHES['default']['BACKEND'].endswith('NoEvictionDatabaseCache'))",
        production_env(tmp_path),
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False"] + ["True"] * 7


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    env = production_env(tmp_path)
    env["SECRET_KEY"] = ""
    result = run("", env)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_a_developer_machine_prints_e_mail_to_the_console(tmp_path):
    env = production_env(tmp_path, DEBUG="1", KOPIENA_DEV="1", SECRET_KEY="")
    result = run("from django.conf import settings as s; print(s.EMAIL_BACKEND)", env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "django.core.mail.backends.console.EmailBackend"
