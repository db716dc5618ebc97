"""A community leader answers the reference survey in Chromium: skip logic, errors, resume."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from kopiena.surveys.models import Answer, Response, Survey
from kopiena.surveys.services.questionnaires import survey_import_xlsform

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

REFERENCE = Path(__file__).resolve().parents[3] / "kopiena/surveys/reference/kopienu-aptauja.xlsx"
SLUG = "kopienu-aptauja"
ADDRESS = f"/surveys/{SLUG}/"


def reference_survey(**fields) -> Survey:
    survey = survey_import_xlsform(source=REFERENCE, filename=REFERENCE.name, slug=SLUG)
    Survey.objects.filter(pk=survey.pk).update(**{"status": Survey.Status.PUBLISHED, **fields})
    return Survey.objects.get(pk=survey.pk)


def choose(page, name: str, *values: str) -> None:
    for value in values:
        page.locator(f"input[name='{name}'][value='{value}']").check()


def fill_required(page, community: str = "Kaldabruņa") -> None:
    page.get_by_label("Kopienas nosaukums").fill(community)
    page.get_by_label("Ķekavas novads").check()
    choose(page, "population", "200_1000")
    choose(page, "years_active", "3_6")
    choose(page, "legal_status", "biedriba")
    choose(page, "start_trigger", "talka")


def submit(page) -> None:
    page.get_by_role("button", name="Iesniegt atbildes").click()
    page.wait_for_load_state()


def stored_answers() -> dict[str, list[str]]:
    response = Response.objects.get(status=Response.Status.COMPLETE)
    found: dict[str, list[str]] = {}
    for answer in Answer.objects.filter(response=response).select_related("question", "choice"):
        found.setdefault(answer.question.name, []).append(
            answer.choice.name if answer.choice else answer.text
        )
    return found


def test_fill_the_reference_survey_with_live_skip_logic_and_errors(page, axe_violations):
    reference_survey()
    page.goto(ADDRESS)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Aptauja kopienām par sadarbību ar pašvaldību"
    )
    assert axe_violations(page) == []

    # Nothing filled in: the summary lists the required questions and takes the focus.
    submit(page)
    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Kopienas nosaukums: Šis jautājums ir obligāts.")
    expect(page.locator("#q-community_name-error")).to_have_text(
        "Kļūda: Šis jautājums ir obligāts."
    )
    assert axe_violations(page) == []

    fill_required(page)
    other_support = page.get_by_label("Cits atbalsts (lūdzu, norādiet)")
    expect(other_support).to_be_hidden()
    page.get_by_role("group", name="Kā ir izpaudusies").get_by_label("Cits", exact=True).check()
    expect(other_support).to_be_visible()
    other_support.fill("Skaņas aparatūra pasākumiem")
    choose(page, "support_received", "projektu_konkurss")
    other_involvement = page.get_by_label("Cits (lūdzu, norādiet)")
    expect(other_involvement).to_be_hidden()
    choose(page, "needed_involvement", "atbalsta_sistema")
    choose(page, "municipality_influence", "1")
    choose(page, "instruments_new", "prakses", "info", "platforma", "padome")
    choose(page, "instruments_existing", "prakses")
    page.get_by_label("Kādus labās prakses").fill("Līdzdalības budžets")
    assert axe_violations(page) == []

    # Four instruments where three are allowed.
    submit(page)
    expect(page.locator("#error-summary")).to_be_focused()
    expect(page.locator("#q-instruments_new-error")).to_contain_text("nosacījumiem")
    expect(page.get_by_label("Kopienas nosaukums")).to_have_value("Kaldabruņa")
    expect(other_support).to_be_visible()
    assert axe_violations(page) == []

    page.locator("input[name='instruments_new'][value='padome']").uncheck()
    submit(page)
    expect(page.get_by_role("heading", name="Paldies! Jūsu atbildes ir saņemtas.")).to_be_visible()
    assert axe_violations(page) == []
    answers = stored_answers()
    assert answers["support_received"] == ["projektu_konkurss", "other"]
    assert answers["support_received_other"] == ["Skaņas aparatūra pasākumiem"]
    assert answers["instruments_new"] == ["prakses", "info", "platforma"]
    assert "needed_involvement_other" not in answers


def test_the_same_path_without_javascript(browser, live_server):
    # axe-core needs JavaScript; the markup here is the one checked in the test above.
    reference_survey()
    context = browser.new_context(
        base_url=live_server.url, locale="lv-LV", java_script_enabled=False
    )
    context.set_default_timeout(20_000)
    page = context.new_page()
    page.goto(ADDRESS)
    # Without JavaScript the follow-up question is simply shown; the server decides.
    other_support = page.get_by_label("Cits atbalsts (lūdzu, norādiet)")
    expect(other_support).to_be_visible()
    fill_required(page)
    choose(page, "instruments_existing", "prakses", "info", "platforma", "padome")
    submit(page)
    expect(page.locator("#error-summary")).to_contain_text("Kuri pašvaldības atbalsta")

    page.locator("input[name='instruments_existing'][value='padome']").uncheck()
    choose(page, "support_received", "other")
    other_support.fill("Telpas")
    # An answer to a question that does not apply is discarded by the server.
    page.get_by_label("Cits (lūdzu, norādiet)").fill("Nekas")
    choose(page, "needed_involvement", "pasvaldiba_veido")
    submit(page)
    expect(page.get_by_role("heading", name="Paldies! Jūsu atbildes ir saņemtas.")).to_be_visible()
    answers = stored_answers()
    assert answers["support_received_other"] == ["Telpas"]
    assert "needed_involvement_other" not in answers
    context.close()


def test_save_and_resume_in_a_fresh_browser(page, browser, live_server, axe_violations):
    reference_survey()
    page.goto(ADDRESS)
    page.get_by_label("Kopienas nosaukums").fill("Jāņupe")
    page.get_by_label("Ķekavas novads").check()
    page.get_by_role("button", name="Saglabāt un turpināt vēlāk").click()
    expect(page.get_by_role("heading", name="Atbildes saglabātas")).to_be_visible()
    assert axe_violations(page) == []
    link = page.get_by_label("Saite turpināšanai").input_value()
    assert "/resume/" in link

    context = browser.new_context(base_url=live_server.url, locale="lv-LV")
    context.set_default_timeout(20_000)
    elsewhere = context.new_page()
    elsewhere.goto(link)
    expect(elsewhere.get_by_label("Kopienas nosaukums")).to_have_value("Jāņupe")
    expect(elsewhere.get_by_label("Ķekavas novads")).to_be_checked()
    fill_required(elsewhere, community="Jāņupes kopiena")
    submit(elsewhere)
    expect(
        elsewhere.get_by_role("heading", name="Paldies! Jūsu atbildes ir saņemtas.")
    ).to_be_visible()
    assert Response.objects.get().status == Response.Status.COMPLETE

    # Once submitted, the private link no longer opens the answers.
    response = elsewhere.goto(link)
    assert response.status == 404
    expect(elsewhere.get_by_role("heading", name="Saite vairs nav derīga")).to_be_visible()
    assert axe_violations(elsewhere) == []
    context.close()


def test_closed_survey_says_so(page, axe_violations):
    reference_survey(status=Survey.Status.CLOSED)
    page.goto(ADDRESS)
    expect(page.get_by_role("heading", name="Aptauja ir slēgta")).to_be_visible()
    assert axe_violations(page) == []


def tab_to(page, selector: str, limit: int = 400) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def test_keyboard_only(page):
    reference_survey()
    page.goto(ADDRESS)
    tab_to(page, "#q-community_name")
    page.keyboard.type("Liepa")
    for name in ("municipality", "population", "years_active", "legal_status", "start_trigger"):
        tab_to(page, f"input[name='{name}']")
        page.keyboard.press("Space")
    tab_to(page, "input[name='support_received'][value='other']")
    page.keyboard.press("Space")
    tab_to(page, "#q-support_received_other")
    page.keyboard.type("Ar tastatūru")
    tab_to(page, "button[value='submit']")
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    expect(page.get_by_role("heading", name="Paldies! Jūsu atbildes ir saņemtas.")).to_be_visible()
    answers = stored_answers()
    assert answers["community_name"] == ["Liepa"]
    assert answers["support_received_other"] == ["Ar tastatūru"]


PARITY_CASES = [
    ("selected(${support_received}, 'other')", {"support_received": "projektu_konkurss other"}),
    ("selected(${support_received}, 'other')", {"support_received": "nav"}),
    ("${needed_involvement} = 'other'", {"needed_involvement": "other"}),
    ("${needed_involvement} = 'other'", {}),
    ("count-selected(${i}) <= 3", {"i": "a b c d"}),
    ("${members} > 10 and not(${members} > 100)", {"members": 25.0}),
    ("${members} > 10", {"members": ""}),
    ("${rating} = 5", {"rating": "5.0"}),
    ("${rating} = '5'", {"rating": "5.0"}),
    ("if(${a} = '', 'tukšs', 'ir') = 'tukšs'", {}),
    ("string-length(${name}) >= 3 or regex(${name}, '^[A-Z]')", {"name": "Al"}),
    ("coalesce(${a}, 'x') = 'x'", {}),
    ("${d} > '2020-01-01'", {"d": "2024-05-01"}),
    ("7 mod 3 = 1 and 7 div 2 = 3.5 and -2 + 5 = 3", {}),
    ("pulldata('x', 'y') = 1", {}),
    ("${a} = ", {}),
]


def test_browser_and_server_read_conditions_alike(page):
    """The live skip logic is a JavaScript port of expressions.py: both must agree."""
    from kopiena.surveys.questionnaire.expressions import is_relevant

    reference_survey()
    page.goto(ADDRESS)
    for source, values in PARITY_CASES:
        in_browser = page.evaluate(
            "([source, values]) => window.KopienaExpressions.isRelevant(source, values)",
            [source, values],
        )
        assert in_browser == is_relevant(source, values), source
