"""Telephone numbers as people type them, checked and written one way (phonenumbers,
Google's libphonenumber data): Latvian numbers may be typed without +371."""

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

DEFAULT_REGION = "LV"


def phone_normalized(text: str) -> str:
    """The number in international format ("+371 20 000 000"), or ValidationError when it
    is not a number that can exist; an empty text stays empty."""
    text = text.strip()
    if not text:
        return ""
    try:
        number = phonenumbers.parse(text, DEFAULT_REGION)
    except phonenumbers.NumberParseException as error:
        raise ValidationError(_("Tas nav tālruņa numurs: %(text)s") % {"text": text}) from error
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(
            _("Tālruņa numurs %(text)s nav derīgs: pārbaudiet ciparus un valsts kodu.")
            % {"text": text}
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
