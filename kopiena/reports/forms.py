"""The report page's options: a segment, filters by date and by answer; conclusions."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kopiena.surveys.questionnaire.schema import QuestionnaireSchema

from .services import MAX_CONCLUSION_CHARS


def _choice_options(schema: QuestionnaireSchema, language: str) -> list:
    """Every choice question with its values, grouped by question, as "QUESTION=CHOICE"."""
    groups: list = [("", _("— nav —"))]
    for question in schema.questions:
        if question.is_choice:
            groups.append(
                (
                    question.label_text(language),
                    [
                        (f"{question.name}={c.name}", c.label_text(language))
                        for c in question.choices
                    ],
                )
            )
    return groups


class DateInput(forms.DateInput):
    input_type = "date"

    def format_value(self, value):
        return value.isoformat() if hasattr(value, "isoformat") else value


class ReportOptionsForm(forms.Form):
    segment = forms.ChoiceField(
        label=_("Salīdzināt grupu ar visiem"),
        required=False,
        help_text=_("Jebkura izvēles jautājuma atbilde, piemēram, viena pašvaldība."),
    )
    answer = forms.ChoiceField(
        label=_("Tikai respondenti, kuri atbildējuši"),
        required=False,
    )
    submitted_from = forms.DateField(
        label=_("Iesniegtas no"),
        required=False,
        widget=DateInput,
        input_formats=["%Y-%m-%d", "%d.%m.%Y"],
    )
    submitted_to = forms.DateField(
        label=_("Iesniegtas līdz"),
        required=False,
        widget=DateInput,
        input_formats=["%Y-%m-%d", "%d.%m.%Y"],
    )

    def __init__(self, *args, schema: QuestionnaireSchema, language: str, **kwargs):
        super().__init__(*args, **kwargs)
        options = _choice_options(schema, language)
        self.fields["segment"].choices = options
        self.fields["answer"].choices = options

    def clean(self):
        data = super().clean()
        start, end = data.get("submitted_from"), data.get("submitted_to")
        if start and end and start > end:
            self.add_error("submitted_to", _("Beigu datums ir pirms sākuma datuma."))
        return data

    def options(self) -> dict:
        """The chosen options in plain-text form (see engine.report_options)."""
        data = self.cleaned_data
        options: dict = {}
        if data.get("segment"):
            options["segment"] = data["segment"]
        if data.get("answer"):
            options["answers"] = [data["answer"]]
        if data.get("submitted_from"):
            options["submitted_from"] = data["submitted_from"].isoformat()
        if data.get("submitted_to"):
            options["submitted_to"] = data["submitted_to"].isoformat()
        return options


class ConclusionForm(forms.Form):
    section = forms.CharField(required=False, widget=forms.HiddenInput)
    text = forms.CharField(
        label=_("Secinājumi"),
        required=False,
        max_length=MAX_CONCLUSION_CHARS,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Markdown: **treknraksts**, *slīpraksts*, saraksti ar “- ”."),
    )


class PublishForm(forms.Form):
    is_public = forms.BooleanField(label=_("Publiski pieejams ikvienam ar saiti"), required=False)
