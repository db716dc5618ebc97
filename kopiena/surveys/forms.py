"""The Django forms of the surveys app's pages: they parse input into what a service takes."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kopiena.communities.models import Community
from kopiena.places.models import Municipality

from .exports import ExportOptions
from .imports import FORMAT_CHOICES
from .models import ChoiceList, Question, Response, Survey
from .questionnaire.schema import texts
from .selectors import ResponseFilters
from .services.questions import QuestionData
from .services.surveys import SurveySettings

DATE_INPUT_FORMATS = ["%d.%m.%Y", "%Y-%m-%d"]
XLSX_MAGIC = b"PK\x03\x04"  # a ZIP container, as every .xlsx file is
XLS_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an OLE2 compound file (.xls)
# A questionnaire is a few hundred kilobytes at most; refuse anything far larger.
MAX_XLSFORM_BYTES = 5 * 1024 * 1024
T = Question.Type


class LatvianDateField(forms.DateField):
    """A date typed as dd.mm.gggg in a text box (the browser's date picker shows US order)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("input_formats", DATE_INPUT_FORMATS)
        kwargs.setdefault("help_text", _("dd.mm.gggg"))
        kwargs.setdefault(
            "widget", forms.DateInput(format="%d.%m.%Y", attrs={"inputmode": "numeric"})
        )
        kwargs.setdefault("error_messages", {"invalid": _("Ievadiet datumu formātā dd.mm.gggg.")})
        super().__init__(**kwargs)


def _start_of_day(day: dt.date | None) -> dt.datetime | None:
    if day is None:
        return None
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


class SurveyCreateForm(forms.Form):
    title_lv = forms.CharField(label=_("Nosaukums latviski"), max_length=300)
    title_en = forms.CharField(label=_("Nosaukums angliski"), max_length=300, required=False)
    municipality = forms.ModelChoiceField(
        label=_("Pašvaldība"), queryset=Municipality.objects.none(), required=True
    )

    def __init__(self, *args, municipalities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = municipalities
        if len(municipalities) == 1:
            # Nothing to choose: the survey belongs to the one municipality.
            self.fields["municipality"].initial = municipalities[0]
            self.fields["municipality"].widget = forms.HiddenInput()

    @property
    def title(self) -> dict[str, str]:
        return texts(lv=self.cleaned_data["title_lv"], en=self.cleaned_data["title_en"])


class XLSFormUploadForm(SurveyCreateForm):
    """An XLSForm file instead of a title: the file's own settings sheet gives the title."""

    file = forms.FileField(
        label=_("XLSForm fails (.xlsx)"),
        help_text=_("Lapas survey, choices un settings, kā XLSForm to nosaka."),
    )
    slug = forms.SlugField(
        label=_("Identifikators adresē"),
        required=False,
        help_text=_("Neobligāts; ja tukšs, to veido no veidlapas ID."),
    )

    field_order = ["file", "municipality", "slug"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["title_lv"]
        del self.fields["title_en"]
        self.fields["file"].widget.attrs["accept"] = ".xlsx,.xls"

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_XLSFORM_BYTES:
            raise forms.ValidationError(
                _("Fails ir pārāk liels (ne vairāk kā %(size)s MB).")
                % {"size": MAX_XLSFORM_BYTES // (1024 * 1024)}
            )
        head = upload.read(8)
        upload.seek(0)
        if not (head.startswith(XLSX_MAGIC) or head == XLS_MAGIC):
            raise forms.ValidationError(
                _("Tas nav Excel fails (.xlsx vai .xls). Saglabājiet veidlapu XLSForm formātā.")
            )
        return upload


class SurveySettingsForm(forms.Form):
    title_lv = forms.CharField(label=_("Nosaukums latviski"), max_length=300)
    title_en = forms.CharField(label=_("Nosaukums angliski"), max_length=300, required=False)
    description_lv = forms.CharField(
        label=_("Apraksts latviski"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    description_en = forms.CharField(
        label=_("Apraksts angliski"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    access = forms.ChoiceField(
        label=_("Kas var atbildēt"), choices=Survey.Access.choices, widget=forms.RadioSelect
    )
    anonymous = forms.BooleanField(
        label=_("Anonīma aptauja"),
        required=False,
        help_text=_(
            "Kopā ar atbildēm netiek glabāts ne lietotājs, ne IP adrese, ne cits identifikators."
        ),
    )
    paging = forms.ChoiceField(
        label=_("Lapas"), choices=Survey.Paging.choices, widget=forms.RadioSelect
    )
    opens_at = LatvianDateField(label=_("Atveras (datums)"), required=False)
    closes_at = LatvianDateField(
        label=_("Pēdējā diena atbildēm"),
        required=False,
        help_text=_("dd.mm.gggg; atbildes pieņem līdz šīs dienas beigām."),
    )
    min_group_size = forms.IntegerField(
        label=_("Mazākais grupas lielums pārskatos"),
        min_value=1,
        max_value=1000,
        help_text=_("Respondentu grupas, kas mazākas par šo, pārskatos netiek rādītas."),
    )

    @classmethod
    def initial_for(cls, survey: Survey) -> dict:
        closes = timezone.localtime(survey.closes_at) if survey.closes_at else None
        return {
            "title_lv": survey.title.get("lv", ""),
            "title_en": survey.title.get("en", ""),
            "description_lv": survey.description.get("lv", ""),
            "description_en": survey.description.get("en", ""),
            "access": survey.access,
            "anonymous": survey.anonymous,
            "paging": survey.paging,
            "opens_at": timezone.localtime(survey.opens_at).date() if survey.opens_at else None,
            # Answers are taken until the end of the last day: closes_at is the next midnight.
            "closes_at": (closes - dt.timedelta(microseconds=1)).date() if closes else None,
            "min_group_size": survey.min_group_size,
        }

    def settings(self) -> SurveySettings:
        data = self.cleaned_data
        closes_at = data["closes_at"]
        return SurveySettings(
            title=texts(lv=data["title_lv"], en=data["title_en"]),
            description=texts(lv=data["description_lv"], en=data["description_en"]),
            access=data["access"],
            anonymous=data["anonymous"],
            paging=data["paging"],
            opens_at=_start_of_day(data["opens_at"]),
            closes_at=_start_of_day(closes_at + dt.timedelta(days=1)) if closes_at else None,
            min_group_size=data["min_group_size"],
        )


# The builder offers one-line and multi-line text as two kinds; both are XLSForm `text`.
MULTILINE = "multiline"
TEXT_MULTILINE = "text_multiline"
KIND_CHOICES = [
    (T.TEXT, _("Teksts (viena rinda)")),
    (TEXT_MULTILINE, _("Teksts (vairākas rindas)")),
    (T.INTEGER, _("Vesels skaitlis")),
    (T.DECIMAL, _("Decimālskaitlis")),
    (T.DATE, _("Datums")),
    (T.SELECT_ONE, _("Viena izvēle")),
    (T.SELECT_MULTIPLE, _("Vairākas izvēles")),
    (T.RANGE, _("Vērtējuma skala")),
    (T.NOTE, _("Piezīme (bez atbildes)")),
    (T.GROUP, _("Sadaļa")),
]
NEW_LIST = ""


class QuestionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Veids"), choices=KIND_CHOICES)
    name = forms.CharField(
        label=_("Nosaukums (XLSForm)"),
        max_length=100,
        help_text=_("Latīņu burti, cipari un pasvītrojumi, piemēram: kopienas_vecums."),
    )
    label_lv = forms.CharField(
        label=_("Teksts latviski"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    label_en = forms.CharField(
        label=_("Teksts angliski"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    hint_lv = forms.CharField(label=_("Paskaidrojums latviski"), required=False)
    hint_en = forms.CharField(label=_("Paskaidrojums angliski"), required=False)
    required = forms.BooleanField(label=_("Obligāts jautājums"), required=False)
    group = forms.ModelChoiceField(
        label=_("Sadaļa"),
        queryset=Question.objects.none(),
        required=False,
        empty_label=_("— bez sadaļas —"),
    )
    choice_list = forms.ChoiceField(
        label=_("Izvēļu saraksts"),
        required=False,
        help_text=_("Izvēles jautājumiem: jauns saraksts vai kāda cita jautājuma saraksts."),
    )
    has_other = forms.BooleanField(label=_("Atļaut citu atbildi (“Cits”)"), required=False)
    start = forms.DecimalField(label=_("Skalas sākums"), required=False, initial=1)
    end = forms.DecimalField(label=_("Skalas beigas"), required=False, initial=5)
    step = forms.DecimalField(label=_("Solis"), required=False, initial=1)
    relevant = forms.CharField(
        label=_("Rāda, ja (relevant)"),
        required=False,
        help_text=_("XLSForm izteiksme, piemēram: ${legal_status} = 'yes'"),
    )
    constraint = forms.CharField(
        label=_("Ierobežojums (constraint)"),
        required=False,
        help_text=_("XLSForm izteiksme, piemēram: . >= 0"),
    )
    constraint_message_lv = forms.CharField(
        label=_("Paziņojums par ierobežojumu latviski"), required=False
    )
    constraint_message_en = forms.CharField(
        label=_("Paziņojums par ierobežojumu angliski"), required=False
    )
    appearance = forms.CharField(label=_("Izskats (appearance)"), max_length=100, required=False)

    def __init__(
        self, *args, survey: Survey, question: Question | None = None, locked=False, **kwargs
    ):
        self.survey = survey
        self.question = question
        if question is not None:
            kwargs.setdefault("initial", self.initial_for(question))
        super().__init__(*args, **kwargs)
        if locked:
            # Answers are stored under this name and type: they stay as they are.
            for name in ("kind", "name"):
                self.fields[name].disabled = True
                self.fields[name].help_text = _("Uz jautājumu jau ir atbildes; to mainīt nevar.")
        groups = survey.questions.filter(type=T.GROUP, is_archived=False)
        if question is not None:
            groups = groups.exclude(pk=question.pk)
        self.fields["group"].queryset = groups
        self.fields["group"].label_from_instance = lambda group: group.label_text or group.name
        lists = [(NEW_LIST, _("— jauns saraksts —"))]
        lists += [(str(pk), name) for pk, name in survey.choice_lists.values_list("pk", "name")]
        self.fields["choice_list"].choices = lists

    @staticmethod
    def initial_for(question: Question) -> dict:
        appearance = question.appearance.split()
        multiline = question.type == T.TEXT and MULTILINE in appearance
        return {
            "kind": TEXT_MULTILINE if multiline else question.type,
            "name": question.name,
            "label_lv": question.label.get("lv", ""),
            "label_en": question.label.get("en", ""),
            "hint_lv": question.hint.get("lv", ""),
            "hint_en": question.hint.get("en", ""),
            "required": question.required,
            "group": question.group_id,
            "choice_list": str(question.choice_list_id or NEW_LIST),
            "has_other": question.has_other,
            "start": question.parameters.get("start", 1),
            "end": question.parameters.get("end", 5),
            "step": question.parameters.get("step", 1),
            "relevant": question.relevant,
            "constraint": question.constraint,
            "constraint_message_lv": question.constraint_message.get("lv", ""),
            "constraint_message_en": question.constraint_message.get("en", ""),
            "appearance": " ".join(word for word in appearance if word != MULTILINE)
            if multiline
            else question.appearance,
        }

    def clean_name(self):
        return self.cleaned_data["name"].strip()

    def data_for_service(self) -> QuestionData:
        data = self.cleaned_data
        kind = data["kind"]
        appearance = data["appearance"].strip()
        if kind == TEXT_MULTILINE:
            appearance = f"{MULTILINE} {appearance}".strip()
        list_id = data["choice_list"]
        return QuestionData(
            type=T.TEXT if kind == TEXT_MULTILINE else kind,
            name=data["name"],
            label=texts(lv=data["label_lv"], en=data["label_en"]),
            hint=texts(lv=data["hint_lv"], en=data["hint_en"]),
            required=data["required"],
            relevant=data["relevant"],
            constraint=data["constraint"],
            constraint_message=texts(
                lv=data["constraint_message_lv"], en=data["constraint_message_en"]
            ),
            appearance=appearance,
            has_other=data["has_other"],
            parameters={
                key: data[key] for key in ("start", "end", "step") if data[key] is not None
            },
            group=data["group"],
            choice_list=ChoiceList.objects.filter(survey=self.survey, pk=list_id).first()
            if list_id
            else None,
        )


class ChoiceForm(forms.Form):
    name = forms.CharField(
        label=_("Nosaukums (XLSForm)"),
        max_length=200,
        help_text=_("Bez atstarpēm, piemēram: 1 vai biedriba."),
    )
    label_lv = forms.CharField(label=_("Teksts latviski"), max_length=500)
    label_en = forms.CharField(label=_("Teksts angliski"), max_length=500, required=False)

    def __init__(self, *args, prefix_id: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if prefix_id:
            # Several choice forms share a page: their ids must differ.
            self.auto_id = f"id_{prefix_id}_%s"

    @property
    def label(self) -> dict[str, str]:
        return texts(lv=self.cleaned_data["label_lv"], en=self.cleaned_data["label_en"])


class InvitationForm(forms.Form):
    communities = forms.ModelMultipleChoiceField(
        label=_("Kopienas"),
        queryset=Community.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    labels = forms.CharField(
        label=_("Citi uzaicinātie"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Katrā rindā viens nosaukums; katrs saņem savu saiti."),
    )

    def __init__(self, *args, survey: Survey, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["communities"].queryset = Community.objects.filter(
            municipality_id=survey.municipality_id
        ).exclude(survey_invitations__survey=survey)

    def clean(self):
        data = super().clean()
        data["labels"] = [
            line.strip() for line in data.get("labels", "").splitlines() if line.strip()
        ]
        if not data.get("communities") and not data["labels"]:
            raise forms.ValidationError(
                _("Izvēlieties kopienas vai ierakstiet uzaicināto nosaukumus.")
            )
        return data


STATUS_ALL = "all"


class ResponseFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Statuss"),
        required=False,
        initial=Response.Status.COMPLETE,
        choices=[
            (Response.Status.COMPLETE, _("iesniegtās")),
            (Response.Status.DRAFT, _("nepabeigtās")),
            (STATUS_ALL, _("visas")),
        ],
    )
    submitted_from = LatvianDateField(label=_("Iesniegta no"), required=False)
    submitted_to = LatvianDateField(label=_("Iesniegta līdz"), required=False)
    community = forms.ModelChoiceField(
        label=_("Kopiena"),
        queryset=Community.objects.none(),
        required=False,
        empty_label=_("— visas —"),
    )
    answer = forms.ChoiceField(label=_("Atbilde uz jautājumu"), required=False)

    def __init__(self, *args, survey: Survey, schema, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = Community.objects.filter(
            survey_responses__survey=survey
        ).distinct()
        answers = [("", _("— jebkura —"))]
        for question in schema.items:
            if question.is_choice:
                answers.append(
                    (
                        question.label_text(),
                        [(str(choice.id), choice.label_text()) for choice in question.choices],
                    )
                )
        self.fields["answer"].choices = answers

    def filters(self):
        data = self.cleaned_data if self.is_valid() else {}
        status = data.get("status") or Response.Status.COMPLETE
        community = data.get("community")
        return ResponseFilters(
            status=None if status == STATUS_ALL else status,
            submitted_from=data.get("submitted_from"),
            submitted_to=data.get("submitted_to"),
            community_id=community.pk if community else None,
            choice_id=int(data["answer"]) if data.get("answer") else None,
        )


class ExportForm(forms.Form):
    values = forms.ChoiceField(
        label=_("Izvēles atbildes kā"),
        choices=[("names", _("nosaukumi (XLSForm)")), ("labels", _("teksti"))],
        initial="names",
        widget=forms.RadioSelect,
        required=False,
    )
    multiple = forms.ChoiceField(
        label=_("Vairāku izvēļu jautājumi"),
        choices=[
            ("cell", _("vienā šūnā")),
            ("columns", _("katra izvēle savā kolonnā (1/0)")),
        ],
        initial="cell",
        widget=forms.RadioSelect,
        required=False,
    )
    language = forms.ChoiceField(
        label=_("Tekstu valoda"), choices=settings.LANGUAGES, initial="lv", required=False
    )

    def options(self):
        data = self.cleaned_data if self.is_valid() else {}
        return ExportOptions(
            labels=data.get("values") == "labels",
            choice_columns=data.get("multiple") == "columns",
            language=data.get("language") or "lv",
        )


class SurveyInviteForm(forms.Form):
    survey = forms.ModelChoiceField(label=_("Aptauja"), queryset=Survey.objects.none())
    communities = forms.ModelMultipleChoiceField(
        label=_("Kopienas"), queryset=Community.objects.none()
    )

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["survey"].queryset = Survey.objects.filter(municipality=municipality).exclude(
            status=Survey.Status.CLOSED
        )
        self.fields["survey"].label_from_instance = lambda s: s.title_text
        self.fields["communities"].queryset = Community.objects.filter(municipality=municipality)

    def clean_communities(self):
        communities = self.cleaned_data["communities"]
        if not communities:
            raise ValidationError(_("Atzīmējiet vismaz vienu kopienu."))
        return list(communities)


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
