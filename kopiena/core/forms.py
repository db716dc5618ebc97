"""Form rendering and form helpers shared by every app."""

from django.core.exceptions import ValidationError
from django.forms.renderers import DjangoTemplates
from django.utils.translation import gettext_lazy as _

ANY = _("visi")


class FormRenderer(DjangoTemplates):
    """Django's renderer, with each field wrapped in a `.field` group.

    Django 5.2 already links help texts and errors to their input with
    aria-describedby and marks invalid inputs with aria-invalid; the wrapper adds
    the layout and the error styling of kopiena.css.
    """

    field_template_name = "core/forms/field.html"


def add_errors(form, error: ValidationError) -> None:
    """Show a service's refusal on the form: on its fields where it names them."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def with_any_choice(choices, label=ANY):
    """A filter's choices with "all" first: an empty value that filters nothing."""
    return [("", label), *choices]
