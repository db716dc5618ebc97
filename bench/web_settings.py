"""Production settings for the web-form benchmark, with one difference: static files
are served unhashed, so the run does not depend on `collectstatic` post-processing
every vendored asset (the load never fetches static files)."""

from config.settings import *  # noqa: F403

STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
