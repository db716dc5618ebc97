from kopiena.communities.validators import registration_number_is_valid

from .conftest import registration_number


def test_registration_numbers():
    assert registration_number_is_valid("40003000642")  # a real legal entity's number
    assert registration_number_is_valid(registration_number())
    assert not registration_number_is_valid("40003000643")  # wrong check digit
    assert not registration_number_is_valid("4000300064")  # ten digits
    assert not registration_number_is_valid("10003000642")  # a personal code, not an entity
    assert not registration_number_is_valid("4000300064x")
    assert not registration_number_is_valid("４0003000642")  # full-width digit
