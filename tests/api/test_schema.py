"""schemathesis against /api/v1/openapi.json on the demo data, in-process through WSGI: no
5xx, every response as the document describes it (status, content type, body), data the
schema allows is answered, and what it forbids (NUL bytes, negative or huge page numbers,
unknown choices) is refused with a 4xx.

The document is read when the tests are collected, one test for each operation; the demo
data is loaded once for all of them, in a transaction rolled back at the end of the
module, and each test runs in a savepoint inside it.
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, settings

from config.wsgi import application
from kopiena.core import api
from kopiena.network.services import content_moderate, news_post_create
from kopiena.portal.demo import demo_load
from kopiena.reports.services import report_publish
from kopiena.surveys.demo import SURVEY_SLUG
from kopiena.surveys.models import Survey
from tests.factories import UserFactory

# Enough to try a spread of random values in well under a minute a database; the coverage
# phase adds each parameter's boundary and invalid cases on top of these.
EXAMPLES = 25

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
schema.config.generation.update(max_examples=EXAMPLES)
schema.config.phases.update(phases=["examples", "coverage", "fuzzing"])


@pytest.fixture(scope="module")
def demo_data(django_db_setup, django_db_blocker, tmp_path_factory):
    with pytest.MonkeyPatch.context() as patch, django_db_blocker.unblock():
        from django.conf import settings as django_settings

        patch.setattr(django_settings, "MEDIA_ROOT", tmp_path_factory.mktemp("media"))
        # schemathesis sends a few thousand requests from one address.
        patch.setattr(api, "ANONYMOUS_REQUESTS", 1_000_000)
        # As Django's test client does: the end of a request must not close the connection
        # that holds the demo data's transaction.
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        try:
            with transaction.atomic():
                demo_load()
                _a_hidden_post_and_a_public_report()
                yield
                transaction.set_rollback(True)
        finally:
            request_started.connect(close_old_connections)
            request_finished.connect(close_old_connections)


def _a_hidden_post_and_a_public_report() -> None:
    """What the demo does not have: a post a moderator hid, and a public report."""
    survey = Survey.objects.select_related("municipality").get(slug=SURVEY_SLUG)
    staff = UserFactory(staff_of=[survey.municipality])
    report_publish(survey=survey, options={}, is_public=True, actor=staff)
    post = news_post_create(
        author=staff, municipality=survey.municipality, title="Slēpta ziņa", body="Teksts."
    )
    content_moderate(content=post, moderator=staff, hide=True)


@pytest.mark.django_db
@schema.parametrize()
@settings(
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
def test_api_answers_as_its_openapi_document_says(demo_data, case):
    response = case.call_and_validate()
    assert response.status_code < 500
