"""About forty demo communities across several municipalities, with people in them.

The survey's named communities (Kaldabruņa, Kažoku ciems, Jaunolaine, Liepa, Jāņupe)
are among them, in the municipalities the survey's answers give, with the same bands.
Idempotent: a community whose name already exists is left alone, so running it again,
or after `kopiena demo`, adds nothing twice.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from kopiena.accounts.demo import COORDINATOR, DEMO_PASSWORD, RESIDENT, demo_user
from kopiena.accounts.models import User
from kopiena.accounts.services import user_create
from kopiena.core.extensions import DemoContext
from kopiena.places.models import Municipality

from .models import Community, CommunityMembership
from .services import community_create, coordinator_handover, membership_join

# Approximate centres, so the map shows each municipality's communities in its place.
CENTRES = {
    "kekavas_nov": (56.83, 24.23),
    "augsdaugavas_nov": (55.95, 26.60),
    "gulbenes_nov": (57.18, 26.75),
    "olaines_nov": (56.79, 23.94),
    "cesu_nov": (57.31, 25.27),
    "kuldigas_nov": (56.97, 21.97),
    "jekabpils_nov": (56.50, 25.87),
    "riga": (56.95, 24.11),
    "marupes_nov": (56.91, 24.05),
}

# (name, municipality, population, years founded ago or None, legal status, start, core)
NAMED = [
    ("Kaldabruņa", "augsdaugavas_nov", "lidz_200", 9, "biedriba", "biedriba", "3_6"),
    ("Kažoku ciems", "gulbenes_nov", "lidz_200", 2, "vajadzigs", "talka", "3_6"),
    ("Jaunolaine", "olaines_nov", "virs_3000", 10, "biedriba", "biedriba", "20_30"),
    ("Liepa", "cesu_nov", "virs_3000", 5, "biedriba", "projekts", "20_30"),
    ("Jāņupe", "olaines_nov", "virs_3000", 2, "biedriba", "biedriba", "ap_10"),
    ("Skujenes kopiena", "cesu_nov", "200_1000", 8, "biedriba", "svetki", "20_30"),
]
GENERATED = {
    "kekavas_nov": [
        "Baloži",
        "Baldone",
        "Daugmale",
        "Katlakalns",
        "Ķekavas Ūdri",
        "Rāmava",
        "Valdlauči",
        "Pļavniekkalns",
        "Titurga",
        "Krustkalni",
    ],
    "riga": [
        "Ķīpsala",
        "Āgenskalns",
        "Čiekurkalns",
        "Šampēteris",
        "Mežaparks",
        "Torņakalns",
        "Grīziņkalns",
        "Jugla",
    ],
    "marupes_nov": ["Tīraine", "Jaunmārupe", "Skulte", "Babīte", "Piņķi"],
    "kuldigas_nov": ["Kuldīgas vecpilsēta", "Rumba", "Padure"],
    "jekabpils_nov": ["Sala", "Krustpils", "Sēlpils"],
    "gulbenes_nov": ["Stāmeriena", "Lizums"],
    "cesu_nov": ["Vaive", "Rauna"],
}
POPULATIONS = ["lidz_200", "200_1000", "1000_3000", "virs_3000"]
LEGAL = ["biedriba", "vajadzigs", "nevajag"]
TRIGGERS = ["biedriba", "kopsapulce", "talka", "svetki", "projekts", "sports"]
CORES = ["1_2", "3_6", "ap_10", "20_30", "virs_30"]
# Check-digit-valid Enterprise Register numbers for the demo associations.
REGISTRATION_PREFIX = 400080


@dataclass
class DemoCommunities:
    created: list[str] = field(default_factory=list)
    existing: list[str] = field(default_factory=list)


def _registration_number(n: int) -> str:
    prefix = f"{REGISTRATION_PREFIX}{n:04d}"[:10]
    weights = (9, 1, 4, 8, 3, 10, 2, 5, 7, 6)
    total = sum(w * int(d) for w, d in zip(weights, prefix, strict=True))
    for digit in range(10):
        if (total + digit) % 11 == 3:
            return prefix + str(digit)
    return _registration_number(n + 1)


def _person(email: str, full_name: str) -> User:
    user = User.objects.filter(email=email).first()
    return user or user_create(
        email=email, password=DEMO_PASSWORD, full_name=full_name, email_verified=True
    )


def _profiles(rng: random.Random):
    year = timezone.localdate().year
    for name, slug, population, age, legal, trigger, core in NAMED:
        yield name, slug, population, year - age if age is not None else None, legal, trigger, core
    for slug, names in GENERATED.items():
        for name in names:
            age = rng.choice([None, 1, 2, 4, 5, 8, 12, 20])
            yield (
                name,
                slug,
                rng.choice(POPULATIONS),
                year - age if age is not None else None,
                rng.choice(LEGAL),
                rng.choice(TRIGGERS),
                rng.choice(CORES),
            )


@transaction.atomic
def demo_communities_load() -> DemoCommunities:
    rng = random.Random(2026)  # the same demo every time
    result = DemoCommunities()
    municipalities = {m.slug: m for m in Municipality.objects.filter(slug__in=CENTRES)}
    residents = [_person(f"iedzivotajs{n}@kopiena.lv", f"Iedzīvotājs {n}") for n in range(1, 21)]
    for index, (name, slug, population, founded, legal, trigger, core) in enumerate(
        _profiles(rng), start=1
    ):
        lat, lon = CENTRES[slug]
        jitter = (Decimal(rng.randint(-900, 900)) / 10000, Decimal(rng.randint(-900, 900)) / 10000)
        if Community.objects.filter(name=name).exists():
            result.existing.append(name)
            continue
        coordinator = _person(f"koordinators{index}@kopiena.lv", f"{name}: koordinators")
        community = community_create(
            name=name,
            municipality=municipalities[slug],
            actor=None,
            coordinator=coordinator,
            status="forming" if founded is None else rng.choice(["active"] * 5 + ["dormant"]),
            neighbourhood=name,
            latitude=(Decimal(lat) + jitter[0]).quantize(Decimal("0.00001")),
            longitude=(Decimal(lon) + jitter[1]).quantize(Decimal("0.00001")),
            population=population,
            founded_year=founded,
            legal_status=legal,
            registration_number=_registration_number(index) if legal == "biedriba" else "",
            start_trigger=trigger,
            active_core=core,
            public_email=f"kopiena{index}@example.lv",
            description=f"**{name}** — apkaimes kopiena. Rīkojam talkas, svētkus un kopsapulces.",
        )
        for resident in rng.sample(residents, rng.randint(1, 5)):
            membership_join(community=community, user=resident)
        result.created.append(f"{name} ({community.municipality})")
    return result


# A community of Ķekavas novads led by the demo coordinator, the demo resident a member.
DEMO_COMMUNITY = ("Baloži", "kekavas_nov")


def demo_load(context: DemoContext) -> None:
    """The registry's demo communities, then the demo coordinator and resident in Baloži."""
    loaded = demo_communities_load()
    context.created += loaded.created
    context.existing += loaded.existing
    with transaction.atomic():
        name, municipality = DEMO_COMMUNITY
        community = Community.objects.get(name=name, municipality__slug=municipality)
        coordinator = demo_user(COORDINATOR)
        coordinators = community.memberships.filter(role=CommunityMembership.Role.COORDINATOR)
        if not coordinators.filter(user=coordinator).exists():
            previous = coordinators.first()
            membership_join(community=community, user=coordinator)
            coordinator_handover(
                community=community,
                actor=previous.user if previous else coordinator,
                to_user=coordinator,
            )
            context.created.append(f"{coordinator.email} coordinates {community.name}")
        membership_join(community=community, user=demo_user(RESIDENT))
