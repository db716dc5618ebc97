"""`kopiena demo` loads the reference survey, its responses and the demo people, idempotently."""

from io import StringIO

import pytest
from django.core.management import call_command

from kopiena.accounts.demo import DEMO_PASSWORD
from kopiena.accounts.models import User
from kopiena.communities.models import Community, CommunityMembership

pytestmark = pytest.mark.django_db


def run_demo() -> str:
    out = StringIO()
    call_command("demo", stdout=out, stderr=out)
    return out.getvalue()


def test_demo_creates_people_in_every_role_and_is_idempotent():
    output = run_demo()
    assert DEMO_PASSWORD in output
    counts = (User.objects.count(), Community.objects.count(), CommunityMembership.objects.count())
    run_demo()
    assert (
        User.objects.count(),
        Community.objects.count(),
        CommunityMembership.objects.count(),
    ) == counts

    admin = User.objects.get(email="admin@kopiena.lv")
    assert admin.is_superuser and admin.check_password(DEMO_PASSWORD)
    assert list(
        User.objects.get(email="kekava@kopiena.lv").staff_of.values_list("slug", flat=True)
    ) == ["kekavas_nov"]
    assert list(
        User.objects.get(email="riga@kopiena.lv").staff_of.values_list("slug", flat=True)
    ) == ["riga"]
    coordinator = CommunityMembership.objects.get(user__email="koordinators@kopiena.lv")
    assert coordinator.role == CommunityMembership.Role.COORDINATOR
    assert coordinator.community.municipality.slug == "kekavas_nov"
    resident = User.objects.get(email="iedzivotajs@kopiena.lv")
    assert not resident.is_superuser and not resident.staff_of.exists()


def test_demo_accounts_can_log_in(client):
    run_demo()
    response = client.post(
        "/accounts/login/", {"login": "kekava@kopiena.lv", "password": DEMO_PASSWORD}
    )
    assert response.status_code == 302


def test_demo_loads_the_reference_survey_with_its_17_responses():
    from kopiena.surveys.models import Survey

    run_demo()
    run_demo()
    survey = Survey.objects.get(slug="kopienu-aptauja")
    assert survey.status == Survey.Status.PUBLISHED
    assert survey.municipality.slug == "kekavas_nov"
    assert survey.responses.count() == 17


def test_demo_has_news_threads_and_notifications_to_show():
    from kopiena.accounts.models import Notification
    from kopiena.network.models import NewsPost
    from kopiena.practices.models import ReplicationRequest, ThreadMessage

    run_demo()
    run_demo()
    posts = NewsPost.objects.all()
    assert posts.count() >= 10
    assert posts.filter(community__isnull=True).exists()  # a municipality publishes too
    assert ReplicationRequest.objects.count() == 3
    assert ThreadMessage.objects.filter(municipality__slug="kekavas_nov").exists()
    assert Notification.objects.filter(user__email="iedzivotajs@kopiena.lv").exists()
