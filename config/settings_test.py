"""Test settings: only what makes the suite fast. Behaviour stays as in production."""

import os

os.environ.setdefault("KOPIENA_DEV", "1")

from config.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
# No collectstatic before tests: WhiteNoise finds files on demand, not by scanning STATIC_ROOT.
WHITENOISE_AUTOREFRESH = True
