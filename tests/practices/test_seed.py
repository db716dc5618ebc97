import json

import pytest
from django.core.management import call_command

from kopiena.practices.demo import SEED
from kopiena.practices.models import Guide, PracticeCase

pytestmark = pytest.mark.django_db


def test_seed_loads_the_survey_examples_and_guides_once():
    call_command("demo_practices")
    call_command("demo_practices")
    data = json.loads((SEED / "cases.json").read_text(encoding="utf-8"))
    # The survey's 17 answers, less the two that name no example.
    assert len(data["cases"]) + data["answers_without_example"] == 17
    assert PracticeCase.objects.filter(status="published").count() == len(data["cases"])
    assert set(Guide.objects.values_list("slug", flat=True)) == {
        "sakums",
        "biedriba",
        "kodols",
        "projektu-konkurss",
        "lidzdalibas-budzets",
        "sadarbiba-ar-pasvaldibu",
    }
    bus = PracticeCase.objects.get(seed_key="aptauja-skolas-autobuss")
    # No community is named; the answering respondent's municipality routes replication requests.
    assert bus.community is None and bus.municipality.slug == "kekavas_nov"
    assert list(bus.instruments.values_list("code", flat=True)) == ["reala_palidziba"]


def test_seed_does_not_overwrite_an_edited_guide(staff):
    call_command("demo_practices")
    guide = Guide.objects.get(slug="kodols")
    guide.title = "Mainīts"
    guide.save()
    call_command("demo_practices")
    assert Guide.objects.get(slug="kodols").title == "Mainīts"


def test_a_seeded_case_page_names_its_source(client):
    call_command("demo_practices")
    case = PracticeCase.objects.get(seed_key="aptauja-takas-talka")
    page = client.get(f"/practices/{case.slug}/").content.decode()
    assert "karstu zupu" in page
    assert "Partnerība Daugavkrasts" in page
    assert "pašvaldības pārstāvji piedalījās" in page
