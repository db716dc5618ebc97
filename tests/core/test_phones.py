import pytest
from django.core.exceptions import ValidationError

from kopiena.core.phones import phone_normalized


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("20000000", "+371 20 000 000"),
        ("+371 2000 0000", "+371 20 000 000"),
        ("67 000 000", "+371 67 000 000"),
        ("+370 612 34567", "+370 612 34567"),
        ("", ""),
    ],
)
def test_numbers_are_stored_in_international_format(typed, stored):
    assert phone_normalized(typed) == stored


@pytest.mark.parametrize("typed", ["abc-not-a-phone", "123", "+371 1234", "2000000000000000"])
def test_what_is_not_a_number_is_refused_naming_it(typed):
    with pytest.raises(ValidationError) as error:
        phone_normalized(typed)
    assert typed in error.value.messages[0]
