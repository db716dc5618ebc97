"""Small questionnaires built with the models directly, for the answering tests."""

from kopiena.surveys.models import Choice, ChoiceList, Question, Survey
from tests.factories import SurveyFactory

T = Question.Type


class FormBuilder:
    def __init__(self, survey: Survey):
        self.survey = survey
        self.position = 0

    def choices(self, name: str, *items: str | tuple[str, str]) -> ChoiceList:
        choice_list = ChoiceList.objects.create(survey=self.survey, name=name)
        for position, item in enumerate(items):
            choice_name, label = item if isinstance(item, tuple) else (item, item.capitalize())
            Choice.objects.create(
                choice_list=choice_list, position=position, name=choice_name, label={"lv": label}
            )
        return choice_list

    def add(self, name: str, type: str, label: str, **fields) -> Question:
        self.position += 1
        return Question.objects.create(
            survey=self.survey,
            position=self.position,
            name=name,
            type=type,
            label={"lv": label, "en": f"{label} (en)"},
            **fields,
        )


def sections_survey(**survey_fields) -> Survey:
    """Three sections: about the community, support, and a section only big communities see."""
    fields = {"status": Survey.Status.PUBLISHED, "paging": Survey.Paging.SECTIONS, **survey_fields}
    survey = SurveyFactory(**fields)
    form = FormBuilder(survey)
    about = form.add("about", T.GROUP, "Par kopienu")
    form.add("community_name", T.TEXT, "Kopienas nosaukums", group=about, required=True)
    form.add(
        "municipality",
        T.SELECT_ONE,
        "Pašvaldība",
        group=about,
        required=True,
        appearance="minimal",
        choice_list=form.choices("municipality", ("kekavas_nov", "Ķekavas novads"), "riga"),
    )
    form.add(
        "members",
        T.INTEGER,
        "Cik dalībnieku?",
        group=about,
        constraint=". >= 1",
        constraint_message={"lv": "Vismaz vienam dalībniekam jābūt."},
    )
    support = form.add("support", T.GROUP, "Atbalsts")
    form.add(
        "support_received",
        T.SELECT_MULTIPLE,
        "Kāds atbalsts saņemts?",
        group=support,
        choice_list=form.choices(
            "support", "projektu_konkurss", "telpas", "nav", ("other", "Cits")
        ),
    )
    form.add(
        "support_received_other",
        T.TEXT,
        "Cits atbalsts",
        group=support,
        relevant="selected(${support_received}, 'other')",
    )
    form.add(
        "influence",
        T.SELECT_ONE,
        "Ietekme (0–5)",
        group=support,
        appearance="likert",
        choice_list=form.choices("influence", *[(str(n), str(n)) for n in range(6)]),
    )
    form.add("founded", T.DATE, "Dibināta", group=support)
    form.add("budget_share", T.DECIMAL, "Budžeta daļa", group=support)
    form.add(
        "instruments",
        T.SELECT_MULTIPLE,
        "Svarīgākie instrumenti (līdz 3)",
        group=support,
        constraint="count-selected(.) <= 3",
        constraint_message={"lv": "Izvēlieties ne vairāk kā 3."},
        choice_list=form.choices("instrument", "prakses", "info", "platforma", "padome"),
    )
    big = form.add("big", T.GROUP, "Lielām kopienām", relevant="${members} > 10")
    form.add("big_note", T.NOTE, "Šī sadaļa ir lielām kopienām.", group=big)
    form.add("comments", T.TEXT, "Komentāri", group=big, appearance="multiline")
    form.add(
        "involvement",
        T.SELECT_ONE,
        "Vēlamā iesaiste",
        group=big,
        has_other=True,
        choice_list=form.choices("involvement", "maza", "liela"),
    )
    return survey


def single_page_survey(**survey_fields) -> Survey:
    return sections_survey(paging=Survey.Paging.SINGLE, **survey_fields)
