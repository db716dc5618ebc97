"""The library's first content: the survey's cooperation examples and the know-how guides.

Both ship as data in `seed/`; loading is idempotent: a case is found again by its seed
key, a guide by its slug, and neither is overwritten once there (staff may have edited it).
"""

import json
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kopiena.core.extensions import DemoContext

from .models import Guide, PracticeCase
from .services import case_create, guide_save

SEED = Path(__file__).resolve().parent / "seed"


@dataclass
class SeedResult:
    cases_created: list[str] = field(default_factory=list)
    guides_created: list[str] = field(default_factory=list)


def _guide_files() -> list[tuple[int, str, Path]]:
    files = []
    for path in sorted((SEED / "guides").glob("*.md")):
        position, slug = path.stem.split("-", 1)
        files.append((int(position), slug, path))
    return files


@transaction.atomic
def practices_seed_load() -> SeedResult:
    result = SeedResult()
    data = json.loads((SEED / "cases.json").read_text(encoding="utf-8"))
    existing = set(
        PracticeCase.objects.filter(seed_key__isnull=False).values_list("seed_key", flat=True)
    )
    for item in data["cases"]:
        if item["key"] in existing:
            continue
        case = case_create(
            community=None,
            author=None,
            instruments=item["instruments"],
            title=item["title"],
            summary=item["summary"],
            topic=item["topic"],
            funding_source=item.get("funding_source", ""),
        )
        # Published straight away: the survey's answers were collected and reviewed by the
        # survey's authors, and no municipality is named that could review them here.
        case.seed_key = item["key"]
        case.source_note = data["source"]
        case.status = PracticeCase.Status.PUBLISHED
        case.published_at = timezone.now()
        case.save(update_fields=["seed_key", "source_note", "status", "published_at"])
        result.cases_created.append(case.slug)
    known_guides = set(Guide.objects.values_list("slug", flat=True))
    for position, slug, path in _guide_files():
        if slug in known_guides:
            continue
        title_line, summary_line, body = path.read_text(encoding="utf-8").split("\n", 2)
        guide_save(
            slug=slug,
            title=title_line.removeprefix("# ").strip(),
            summary=summary_line.strip(),
            body=body.strip() + "\n",
            author=None,
            note=_("Pirmā versija"),
            position=position,
        )
        result.guides_created.append(slug)
    return result


def demo_load(context: DemoContext) -> None:
    """The good-practice cases the survey reports and the first know-how guides."""
    seeded = practices_seed_load()
    context.created += [f"labās prakses piemērs: {title}" for title in seeded.cases_created]
    context.created += [f"ceļvedis: {title}" for title in seeded.guides_created]
