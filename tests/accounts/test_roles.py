"""The role predicates every app's permissions build on, and the admin site for people."""

import pytest

from kopiena.accounts import rules as roles
from tests.factories import AdminFactory, UserFactory, municipality

pytestmark = pytest.mark.django_db


def test_platform_admin_is_an_active_superuser():
    admin = AdminFactory()
    assert roles.is_platform_admin(admin)
    admin.is_active = False
    assert not roles.is_platform_admin(admin)
    assert not roles.is_platform_admin(UserFactory())


def test_staff_work_only_for_their_own_municipalities():
    kekava, riga = municipality("kekavas_nov"), municipality("riga")
    staff = UserFactory(staff_of=[kekava])
    assert roles.is_municipality_staff(staff)
    assert roles.works_for_municipality(staff, kekava)
    assert roles.works_for_municipality(staff, kekava.pk)
    assert not roles.works_for_municipality(staff, riga)
    assert not roles.works_for_municipality(staff, None)


def test_staff_of_several_municipalities():
    staff = UserFactory(staff_of=[municipality("kekavas_nov"), municipality("riga")])
    assert roles.works_for_municipality(staff, municipality("riga"))


def test_residents_and_anonymous_visitors_have_no_role():
    from django.contrib.auth.models import AnonymousUser

    for person in (UserFactory(), AnonymousUser()):
        assert not roles.is_platform_admin(person)
        assert not roles.is_municipality_staff(person)
        assert not roles.works_for_municipality(person, municipality("kekavas_nov"))


def test_admin_gives_a_person_a_municipality(client):
    client.force_login(AdminFactory())
    person = UserFactory()
    page = client.get(f"/admin/accounts/user/{person.pk}/change/")
    assert page.status_code == 200
    assert "Ķekavas novads" in page.content.decode()
    assert client.get("/admin/accounts/user/", {"q": person.email}).status_code == 200
    assert client.get("/admin/accounts/user/add/").status_code == 200


def test_a_municipality_employee_cannot_open_the_admin(client):
    client.force_login(UserFactory(staff_of=[municipality("kekavas_nov")]))
    assert client.get("/admin/accounts/user/").status_code == 302
