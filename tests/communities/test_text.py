from kopiena.communities.text import (
    fold,
    latvian_sorted,
    registration_number_is_valid,
    render_markdown,
)

from .conftest import registration_number


def test_fold_drops_latvian_diacritics_and_case():
    assert fold("ĶEKAVAS  Ūdri") == "kekavas udri"
    assert fold("Jāņupe, Kažoku ciems, Kaldabruņa") == "janupe, kazoku ciems, kaldabruna"


def test_latvian_alphabetical_order():
    names = ["Zebra", "Šķēle", "Ābele", "Čiekurs", "Cēsis", "Aba", "Ķekava", "Kaldabruņa", "Sala"]
    assert latvian_sorted(names) == [
        "Aba",
        "Ābele",
        "Cēsis",
        "Čiekurs",
        "Kaldabruņa",
        "Ķekava",
        "Sala",
        "Šķēle",
        "Zebra",
    ]


def test_registration_numbers():
    assert registration_number_is_valid("40003000642")  # a real legal entity's number
    assert registration_number_is_valid(registration_number())
    assert not registration_number_is_valid("40003000643")  # wrong check digit
    assert not registration_number_is_valid("4000300064")  # ten digits
    assert not registration_number_is_valid("10003000642")  # a personal code, not an entity
    assert not registration_number_is_valid("4000300064x")
    assert not registration_number_is_valid("４0003000642")  # full-width digit


def test_markdown_keeps_formatting_and_drops_anything_executable():
    html = render_markdown(
        "**Talka** _sestdien_\n\n- viens\n\n[mājas lapa](https://example.lv)\n\n"
        "<script>alert(1)</script><svg onload=alert(1)><img src=x onerror=alert(1)>"
        '[x](javascript:alert(1)) <a href="jav&#x09;ascript:alert(1)">y</a>'
        '<noscript><p title="</noscript><img src=x onerror=alert(1)>">'
    )
    assert "<strong>Talka</strong>" in html and "<em>sestdien</em>" in html
    assert '<a href="https://example.lv" rel="nofollow noopener noreferrer">' in html
    for bad in ("<script", "<svg", "onload", "onerror", "javascript:", "<img", "<noscript"):
        assert bad not in html.lower()
