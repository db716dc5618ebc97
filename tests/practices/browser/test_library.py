"""The library in Chromium: submit, review and publish a case, ask to replicate, answer."""

import re

import pytest
from playwright.sync_api import expect

from kopiena.communities import services as communities
from kopiena.places.models import Municipality
from kopiena.practices.demo import practices_seed_load
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def people():
    # Transactional tests empty the tables the migrations filled; bring Ķekava back.
    kekava, _ = Municipality.objects.get_or_create(
        slug="kekavas_nov", defaults={"name": "Ķekavas novads", "kind": "novads"}
    )
    author = UserFactory(email="koordinatore@example.lv", full_name="Koordinatore Anna")
    asker = UserFactory(email="jautataja@example.lv", full_name="Jautātāja Ilze")
    staff = UserFactory(email="darbinieks@kekava.lv", staff_of=[kekava])
    communities.community_create(
        name="Ķekavas Ūdri", municipality=kekava, actor=None, coordinator=author
    )
    communities.community_create(name="Baloži", municipality=kekava, actor=None, coordinator=asker)
    return {"author": author, "asker": asker, "staff": staff}


@pytest.fixture
def as_user(browser, live_server):
    """A browser window of its own per user, logged in; closed when the test ends (an open
    window keeps its connections to the live server until the whole run ends)."""
    contexts = []

    def log_in(user):
        context = browser.new_context(base_url=live_server.url, locale="lv-LV")
        contexts.append(context)
        context.set_default_timeout(10_000)
        page = context.new_page()
        page.goto("/accounts/login/")
        page.get_by_label("E-pasts").fill(user.email)
        page.get_by_label("Parole").fill(PASSWORD)
        page.get_by_role("button", name="Ieiet").click()
        page.wait_for_load_state()
        return page

    yield log_in
    for context in contexts:
        context.close()


def test_case_from_draft_to_a_replication_thread(as_user, people, axe_violations):
    author = as_user(people["author"])
    author.goto("/practices/new/")
    assert axe_violations(author) == []
    author.get_by_label("Nosaukums").fill("Soliņi pie dīķa")
    author.get_by_label("Kopsavilkums").fill("Uzlikām soliņus kopā ar pagastu.")
    author.get_by_label("Stāsts").fill("Sākām ar **kopsapulci**.")
    author.get_by_label("telpas", exact=True).check()
    author.get_by_label("Izmaksas").fill("300 EUR")
    author.get_by_role("button", name="Saglabāt").click()
    author.get_by_role("link", name="Labot").click()
    expect(author).to_have_url(re.compile(r"/practices/[\w-]+/edit/$"))
    assert axe_violations(author) == []
    author.go_back()
    author.get_by_role("button", name="Iesniegt pašvaldībai").click()
    expect(author.get_by_text("iesniegts izskatīšanai")).to_be_visible()
    assert axe_violations(author) == []

    staff = as_user(people["staff"])
    staff.goto("/practices/review/")
    assert axe_violations(staff) == []
    staff.get_by_role("link", name="Soliņi pie dīķa").click()
    assert axe_violations(staff) == []
    staff.get_by_role("button", name="Publicēt").click()
    expect(staff.get_by_text("Piemērs publicēts.")).to_be_visible()

    asker = as_user(people["asker"])
    asker.goto("/practices/?q=solini+dika")
    assert axe_violations(asker) == []
    asker.get_by_role("link", name="Soliņi pie dīķa").click()
    expect(asker.get_by_text("0 kopienas vēlas to darīt arī")).to_be_visible()
    assert axe_violations(asker) == []
    asker.get_by_label("Ziņa piemēra kopienai").fill("Cik maksāja soliņi?")
    asker.get_by_role("button", name="Mēs arī gribam to darīt").click()
    expect(asker.get_by_text("Cik maksāja soliņi?")).to_be_visible()
    assert axe_violations(asker) == []

    author.goto("/practices/mine/")
    assert axe_violations(author) == []
    author.get_by_role("link", name="Soliņi pie dīķa").last.click()
    author.get_by_label("Jūsu ziņa").fill("Apmēram 300 EUR, atbalstīja pagasts.")
    author.get_by_role("button", name="Atbildēt kopienas „Ķekavas Ūdri” vārdā").click()
    expect(author.get_by_text("Apmēram 300 EUR")).to_be_visible()
    assert axe_violations(author) == []

    asker.reload()
    expect(asker.get_by_text("Apmēram 300 EUR, atbalstīja pagasts.")).to_be_visible()
    asker.goto("/practices/")
    expect(asker.get_by_text("1 kopiena vēlas to darīt arī")).to_be_visible()

    # The authors take the case back: a draft again, gone from the library.
    author.goto("/practices/mine/")
    author.get_by_role("link", name="Soliņi pie dīķa").first.click()
    author.get_by_role("button", name="Atsaukt publicēšanu").click()
    expect(author.get_by_text("tas atkal ir melnraksts")).to_be_visible()
    expect(author.get_by_role("button", name="Iesniegt pašvaldībai")).to_be_visible()
    assert axe_violations(author) == []
    asker.goto("/practices/?q=solini+dika")
    expect(asker.get_by_role("link", name="Soliņi pie dīķa")).to_have_count(0)


def test_guides_open_by_section_and_print(page, axe_violations):
    practices_seed_load()
    page.goto("/practices/guides/")
    assert axe_violations(page) == []
    page.get_by_role("link", name="Biedrības dibināšana soli pa solim").click()
    assert axe_violations(page) == []
    page.get_by_role("link", name="Soļi", exact=True).click()
    assert page.url.endswith("#soli")
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.get_by_role("heading", name="Soļi")).to_be_visible()


def test_staff_edit_a_guide_and_see_its_history(as_user, people, axe_violations):
    practices_seed_load()
    staff = as_user(people["staff"])
    staff.goto("/practices/guides/kodols/")
    staff.get_by_role("link", name="Labot").click()
    assert axe_violations(staff) == []
    body = staff.get_by_label("Saturs")
    body.fill(body.input_value() + "\n\n## Pateicība\nPasakiet paldies katram palīgam.\n")
    staff.get_by_label("Kas mainīts").fill("Pievienota pateicība")
    staff.get_by_role("button", name="Saglabāt").click()
    expect(staff.get_by_role("heading", name="Pateicība")).to_be_visible()
    staff.get_by_role("link", name="Vēsture").click()
    expect(staff.get_by_text("Pievienota pateicība")).to_be_visible()
    assert axe_violations(staff) == []
