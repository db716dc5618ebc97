import pytest

from kopiena.reports import prefetch
from tests.factories import municipality

from .reference import reference_survey as load_reference_survey


@pytest.fixture
def reference_survey(db):
    """The reference questionnaire with its 17 responses, owned by Ķekavas novads."""
    return load_reference_survey(municipality=municipality("kekavas_nov"))


@pytest.fixture(autouse=True)
def report_cache(settings, tmp_path):
    """Report files are cached under MEDIA_ROOT: keep each test's apart."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def prefetches(monkeypatch) -> list:
    """Every read-ahead a report started (None where it could not)."""
    started = []
    start = prefetch.TextAnswerPrefetch.start.__func__

    def recording(cls, *args):
        started.append(start(cls, *args))
        return started[-1]

    monkeypatch.setattr(prefetch.TextAnswerPrefetch, "start", classmethod(recording))
    return started
