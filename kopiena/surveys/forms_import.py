"""The upload form of a response import."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .imports import FORMAT_CHOICES


def max_import_megabytes() -> int:
    return settings.KOPIENA_MAX_IMPORT_BYTES // (1024 * 1024)


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Atbilžu fails (CSV vai XLSX)"),
        help_text=_(
            "Eksports no Google Forms, KoboToolbox, LimeSurvey vai tabula, kuras kolonnas "
            "nosauktas kā aptaujas jautājumi."
        ),
    )
    format = forms.ChoiceField(label=_("Formāts"), choices=FORMAT_CHOICES, initial="auto")
    strict = forms.BooleanField(
        label=_("Stingrā pārbaude"),
        required=False,
        help_text=_("Pārbaudīt arī obligātās atbildes un veidlapas nosacījumus."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs["accept"] = ".csv,.xlsx,text/csv"

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.KOPIENA_MAX_IMPORT_BYTES:
            raise forms.ValidationError(
                _("Fails ir pārāk liels (ne vairāk kā %(size)s MB).")
                % {"size": max_import_megabytes()}
            )
        return upload
