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

from kopiena.accounts.models import User
from kopiena.communities.models import Community, CommunityMembership
from kopiena.core.extensions import DemoContext
from kopiena.places.models import Municipality

from .models import Guide, PracticeCase
from .services import (
    case_create,
    case_review,
    case_submit,
    guide_save,
    replication_request,
    thread_message_post,
)

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
            municipality=Municipality.objects.get(slug=item["municipality"]),
        )
        # Published straight away: the survey's answers were collected and reviewed by the
        # survey's authors before they were published.
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


# Cases demo communities wrote, and who asks to replicate them (with the thread that follows).
COMMUNITY_CASES = [
    {
        "community": ("Baloži", "kekavas_nov"),
        "title": "Pavasara talka kopā ar skolu",
        "summary": "Kopiena un Baložu vidusskola ik pavasari kopā sakopj parku; pašvaldība "
        "nodrošina maisus un aizved atkritumus.",
        "story": "Sākām ar **kopsapulci** skolā, sadalījām parku zonās pa klasēm un "
        "ģimenēm. Pašvaldība iedeva cimdus un maisus, bet skolas ēdnīca — zupu.",
        "topic": "vide",
        "instruments": ["piedalijusies", "reala_palidziba"],
        "cost": "150 EUR",
        "outcome": "80 dalībnieku, sakopti 6 ha parka.",
        "asked_by": ("Jaunolaine", "olaines_nov"),
        "thread": [
            ("asking", "Sveiki! Kā jūs vienojāties ar skolu? Mēs gribētu to pašu Jaunolainē."),
            (
                "owner",
                "Rakstījām direktorei un piedāvājām talku kā klases stundu dabā — "
                "skola to ieplānoja mācību gadā. Varam atsūtīt mūsu vēstuli.",
            ),
            ("asking", "Lūdzu, atsūtiet! Paldies!"),
        ],
    },
    {
        "community": ("Āgenskalns", "riga"),
        "title": "Kaimiņu brokastis tirgus pagalmā",
        "summary": "Reizi mēnesī kaimiņi kopā brokasto; tā iepazīstas jaunie iedzīvotāji.",
        "story": "Tirgus pārvalde ļauj izmantot pagalmu bez maksas; katrs atnes kaut ko "
        "uz galda. Bērniem — darbnīcas.",
        "topic": "kultura",
        "instruments": ["piedalijusies"],
        "cost": "0 EUR",
        "outcome": "Katru reizi 40–60 kaimiņu.",
        "asked_by": ("Mežaparks", "riga"),
        "thread": [("asking", "Vai tirgus pārvaldei vajadzēja iesniegumu? Kā to noformējāt?")],
    },
]
# A survey example no community wrote, which a demo community wants to try: its
# municipality's staff answer.
SEEDED_REQUEST = {
    "case": "aptauja-darba-grupa",
    "asked_by": ("Jāņupe", "olaines_nov"),
    "thread": [
        ("asking", "Kā izveidojāt darba grupu ar kopienām? Kas to vada un cik bieži tiekaties?"),
        (
            "owner",
            "Darba grupu apstiprināja ar domes rīkojumu; to vada sadarbības koordinators, "
            "tiekamies reizi ceturksnī, un katrs jautājums tiek reģistrēts līdz atrisinājumam.",
        ),
    ],
}


def _coordinator(community: Community) -> User:
    return community.memberships.filter(role=CommunityMembership.Role.COORDINATOR).first().user


def _community(name_and_municipality: tuple[str, str]) -> Community:
    name, municipality = name_and_municipality
    return Community.objects.get(name=name, municipality__slug=municipality)


def _thread(case: PracticeCase, asking: Community, messages, owner_side, owner_author) -> None:
    asker = _coordinator(asking)
    first, *rest = messages
    request = replication_request(case=case, community=asking, actor=asker, message=first[1])
    for side, text in rest:
        if side == "asking":
            thread_message_post(request=request.request, side=asking, author=asker, body=text)
        else:
            thread_message_post(
                request=request.request, side=owner_side, author=owner_author, body=text
            )


@transaction.atomic
def demo_cases_load(context: DemoContext) -> None:
    """Cases written by demo communities, published by their municipality's staff, and
    replication threads between communities and with a municipality."""
    reviewer = User.objects.get(email="admin@kopiena.lv")
    for item in COMMUNITY_CASES:
        community = _community(item["community"])
        if PracticeCase.objects.filter(title=item["title"], community=community).exists():
            context.existing.append(item["title"])
            continue
        fields = {k: v for k, v in item.items() if k not in ("community", "asked_by", "thread")}
        case = case_create(community=community, author=_coordinator(community), **fields)
        case_submit(case=case)
        case_review(case=case, reviewer=reviewer, publish=True)
        _thread(
            case,
            _community(item["asked_by"]),
            item["thread"],
            community,
            _coordinator(community),
        )
        context.created.append(f"labās prakses piemērs ar sarunu: {item['title']}")
    seeded = PracticeCase.objects.get(seed_key=SEEDED_REQUEST["case"])
    asking = _community(SEEDED_REQUEST["asked_by"])
    if not seeded.replication_requests.filter(community=asking).exists():
        _thread(
            seeded,
            asking,
            SEEDED_REQUEST["thread"],
            seeded.municipality,
            seeded.municipality.staff.first() or reviewer,
        )
        context.created.append(f"saruna ar pašvaldību: {seeded.title}")


def demo_load(context: DemoContext) -> None:
    """The good-practice cases the survey reports, the first know-how guides, and cases and
    threads of the demo communities."""
    seeded = practices_seed_load()
    context.created += [f"labās prakses piemērs: {title}" for title in seeded.cases_created]
    context.created += [f"ceļvedis: {title}" for title in seeded.guides_created]
    demo_cases_load(context)
