"""The questionnaire package is plain data: it reads an XLSForm file and checks answers
without Django's database layer (import-linter checks its imports; this, that it runs)."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = """
import sys
from pathlib import Path

from kopiena.surveys.questionnaire.answer_rules import AnswerRules
from kopiena.surveys.questionnaire.schema import QuestionnaireSchema, QuestionSpec
from kopiena.surveys.questionnaire.xlsform import read_xlsform

form = read_xlsform(Path("kopiena/surveys/reference/kopienu-aptauja.xlsx"))
items = tuple(
    QuestionSpec(id=number, position=number, **{
        name: getattr(question, name)
        for name in ("name", "type", "label", "required", "relevant", "constraint")
    })
    for number, question in enumerate(form.questions, start=1)
    if question.type not in ("select_one", "select_multiple", "group")
)
schema = QuestionnaireSchema(
    survey_id=1, slug="x", default_language="lv", min_group_size=5, items=items
)
rules = AnswerRules(schema, single_page=True)
result = rules.check(rules.questions, {"community_name": "Kaldabruņa"}, complete=False)
assert [row.text for row in result.rows] == ["Kaldabruņa"], result
assert not any(name.startswith("django.db") for name in sys.modules), "the ORM was loaded"
print(len(form.questions))
"""


def test_the_questionnaire_runs_without_the_database_layer():
    result = subprocess.run(  # noqa: S603 -- our own interpreter and script
        [sys.executable, "-c", SCRIPT],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin"},
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "19"
