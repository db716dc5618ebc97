from kopiena.core.text import fold, latvian_sort_key, render_markdown


def latvian_sorted(items):
    return sorted(items, key=latvian_sort_key)


def test_fold_drops_latvian_diacritics_and_case():
    assert fold("ĶEKAVAS  Ūdri") == "kekavas udri"
    assert fold("Jāņupe, Kažoku ciems, Kaldabruņa") == "janupe, kazoku ciems, kaldabruna"
    assert fold("tal\x00ka\u200b") == "talka"


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
