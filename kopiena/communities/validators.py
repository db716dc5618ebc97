"""Checks of registry data against Latvian public registers."""


def registration_number_is_valid(number: str) -> bool:
    """A legal entity's number in the Latvian Enterprise Register (Uzņēmumu reģistrs).

    Eleven digits; a legal entity's start with 4 (personal codes start with 0–3), and
    the weighted sum with weights 9,1,4,8,3,10,2,5,7,6,1 is 3 modulo 11 (the same
    check digit as the Latvian VAT number, e.g. 40003000642).
    """
    if len(number) != 11 or not number.isascii() or not number.isdigit() or number[0] != "4":
        return False
    weights = (9, 1, 4, 8, 3, 10, 2, 5, 7, 6, 1)
    return sum(w * int(d) for w, d in zip(weights, number, strict=True)) % 11 == 3
