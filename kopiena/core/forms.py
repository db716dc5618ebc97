"""Form rendering shared by every app."""

from django.forms.renderers import DjangoTemplates


class FormRenderer(DjangoTemplates):
    """Django's renderer, with each field wrapped in a `.field` group.

    Django 5.2 already links help texts and errors to their input with
    aria-describedby and marks invalid inputs with aria-invalid; the wrapper adds
    the layout and the error styling of kopiena.css.
    """

    field_template_name = "core/forms/field.html"
