"""Reads for the ledger's pages, feeds, exports and the public accountability figures.

The figures are aggregates in SQL over columns the services keep: `outcome_at` and
`days_to_outcome` (set when an item is done or declined), `stale_at` (an open item's last
word from the municipality plus the municipality's period). Medians use window functions
(row number and count per group), which PostgreSQL and SQLite both have, so only the one
or two middle values per group leave the database.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Value
from django.db.models.expressions import Window
from django.db.models.functions import RowNumber, TruncQuarter
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kopiena.accounts.models import User
from kopiena.communities.models import Community
from kopiena.core.text import latvian_sort_key, search_words
from kopiena.places.models import Municipality

from .models import LedgerEntry, LedgerItem, LedgerSettings, Liaison

Status = LedgerItem.Status

# An item is judged on whether it reached an outcome within this many days of being raised.
OUTCOME_WINDOW_DAYS = 90
DUE_SOON_DAYS = 30
FEED_LIMIT = 50

FIELD_LABELS = {
    "title": _("nosaukums"),
    "description": _("apraksts"),
    "url": _("saite"),
    "community": _("kopiena"),
    "owner": _("atbildīgais"),
    "department": _("struktūrvienība"),
    "due_date": _("termiņš"),
    "latitude": _("vieta kartē"),
}


@dataclass(frozen=True)
class Baseline:
    """The survey's answer the figures answer: communities that had joint meetings with
    the municipality "but no further progress on the issue yet" (support_received =
    sanaksmes in kopiena/surveys/reference/kopienu-aptauja-atbildes.csv)."""

    no_progress: int
    respondents: int

    @property
    def percent(self) -> int:
        return round(100 * self.no_progress / self.respondents)


# Everyone (9 of 17, 53 %) and the report's own segment, Ķekavas novads (4 of 6). Other
# municipalities had three respondents or fewer: too few to show without identifying one.
SURVEY_BASELINE = {"": Baseline(9, 17), "kekavas_nov": Baseline(4, 6)}


def survey_baseline(municipality: Municipality | None = None) -> tuple[Baseline, bool]:
    """The baseline for a municipality (its own, or everyone's) and whether it is its own."""
    slug = municipality.slug if municipality is not None else ""
    own = SURVEY_BASELINE.get(slug)
    return (own, True) if own and slug else (SURVEY_BASELINE[""], False)


def ledger_settings_of(municipality: Municipality | int) -> LedgerSettings:
    """The municipality's settings, or the defaults (not saved) where it has none."""
    municipality_id = getattr(municipality, "pk", municipality)
    stored = LedgerSettings.objects.filter(municipality_id=municipality_id).first()
    return stored or LedgerSettings(municipality_id=municipality_id)


def liaisons_for(municipality_id: int, community_id: int | None) -> list[Liaison]:
    """The liaison people an item of this community reaches: those named for the
    community first, then those for the whole municipality."""
    scoped = Liaison.communities.through.objects.filter(liaison_id=OuterRef("pk"))
    reach = ~Exists(scoped)
    if community_id is not None:
        reach |= Exists(scoped.filter(community_id=community_id))
    return list(
        Liaison.objects.filter(reach, municipality_id=municipality_id)
        .annotate(scoped=Exists(scoped))
        .select_related("user")
        .order_by("-scoped", "name", "id")
    )


def liaisons_of_municipality(municipality: Municipality) -> QuerySet[Liaison]:
    return (
        Liaison.objects.filter(municipality=municipality)
        .prefetch_related("communities")
        .order_by("name", "id")
    )


def liaisons_of_community(community: Community) -> list[Liaison]:
    return liaisons_for(community.municipality_id, community.pk)


# --- lists ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class LedgerFilters:
    q: str = ""
    status: str = ""  # a Status, or "open" / "outcome"
    kind: str = ""
    owner: str = ""  # a user id, or "none"
    community: str = ""  # a slug
    department: str = ""
    due: str = ""  # "overdue", "soon", "later", "none"
    stale: bool = False
    sort: str = "updated"  # "updated", "due", "raised"


SORTS = {
    "updated": ("-updated_at", "-id"),
    "due": (F("due_date").asc(nulls_last=True), "id"),
    "raised": ("-raised_at", "-id"),
}


def ledger_items(
    municipality: Municipality | None, filters: LedgerFilters, *, now: datetime | None = None
) -> QuerySet[LedgerItem]:
    """Items of a municipality (or of all) matching the filters, with what a list row shows."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    items = LedgerItem.objects.all()
    if municipality is not None:
        items = items.filter(municipality=municipality)
    if filters.status == "open":
        items = items.filter(status__in=LedgerItem.OPEN)
    elif filters.status == "outcome":
        items = items.filter(status__in=LedgerItem.OUTCOMES)
    elif filters.status:
        items = items.filter(status=filters.status)
    if filters.kind:
        items = items.filter(kind=filters.kind)
    if filters.owner == "none":
        items = items.filter(owner__isnull=True)
    elif filters.owner:
        items = items.filter(owner_id=filters.owner)
    if filters.community:
        items = items.filter(community__slug=filters.community)
    if filters.department:
        items = items.filter(department=filters.department)
    if filters.due == "overdue":
        items = items.filter(status__in=LedgerItem.OPEN, due_date__lt=today)
    elif filters.due == "soon":
        items = items.filter(
            status__in=LedgerItem.OPEN,
            due_date__gte=today,
            due_date__lte=today + timedelta(days=DUE_SOON_DAYS),
        )
    elif filters.due == "later":
        items = items.filter(due_date__gt=today + timedelta(days=DUE_SOON_DAYS))
    elif filters.due == "none":
        items = items.filter(due_date__isnull=True)
    if filters.stale:
        items = items.filter(status__in=LedgerItem.OPEN, stale_at__lte=now)
    if filters.q:
        items = items.filter(search_words("search_key", filters.q))
    return (
        items.select_related("community", "owner", "municipality")
        .defer("description", "search_key", "outcome_note")
        .order_by(*SORTS.get(filters.sort, SORTS["updated"]))
    )


@dataclass(frozen=True)
class FilterChoices:
    owners: list[tuple[str, str]]
    departments: list[str]
    communities: list[tuple[str, str]]


def ledger_filter_choices(municipality: Municipality) -> FilterChoices:
    owners = (
        User.objects.filter(owned_ledger_items__municipality=municipality)
        .distinct()
        .order_by("full_name", "id")
        .values_list("pk", "full_name")
    )
    departments = (
        LedgerItem.objects.filter(municipality=municipality)
        .exclude(department="")
        .order_by("department")
        .values_list("department", flat=True)
        .distinct()
    )
    communities = Community.objects.filter(municipality=municipality).values_list("slug", "name")
    return FilterChoices(
        owners=[(str(pk), name or _("(bez vārda)")) for pk, name in owners],
        departments=list(departments),
        communities=list(communities.order_by("sort_key", "name")),
    )


def ledger_map_points(items: QuerySet[LedgerItem], limit: int = 2000) -> list[dict]:
    return [
        {"pk": pk, "title": title, "status": status, "lat": float(lat), "lon": float(lon)}
        for pk, title, status, lat, lon in items.filter(latitude__isnull=False).values_list(
            "pk", "title", "status", "latitude", "longitude"
        )[:limit]
    ]


def ledger_item_detail(pk: int) -> LedgerItem:
    return LedgerItem.objects.select_related(
        "municipality", "community", "owner", "merged_into"
    ).get(pk=pk)


def item_timeline(item: LedgerItem) -> list[LedgerEntry]:
    """The public timeline, oldest first: staff updates and community replies interleaved."""
    return list(
        LedgerEntry.objects.filter(item=item)
        .prefetch_related("evidence")
        .order_by("created_at", "id")
    )


def merged_items(item: LedgerItem) -> QuerySet[LedgerItem]:
    return LedgerItem.objects.filter(merged_into=item).only("pk", "title").order_by("pk")


def is_following(item: LedgerItem, user) -> bool:
    return user.is_authenticated and item.follows.filter(user=user).exists()


def community_items(community: Community, limit: int = 10) -> QuerySet[LedgerItem]:
    return (
        LedgerItem.objects.filter(community=community)
        .exclude(status=Status.MERGED)
        .select_related("owner")
        .order_by("-updated_at", "-id")[:limit]
    )


def recent_entries(
    *, municipality: Municipality | None = None, community: Community | None = None
) -> list[LedgerEntry]:
    """The newest timeline entries, for the feeds."""
    entries = LedgerEntry.objects.all()
    if municipality is not None:
        entries = entries.filter(item__municipality=municipality)
    if community is not None:
        entries = entries.filter(item__community=community)
    return list(
        entries.select_related("item", "item__community").order_by("-created_at", "-id")[
            :FEED_LIMIT
        ]
    )


def ledger_search(query: str, limit: int) -> QuerySet[LedgerItem]:
    items = LedgerItem.objects.exclude(status=Status.MERGED).filter(
        search_words("search_key", query)
    )
    return items.select_related("municipality").order_by("-updated_at", "-id")[:limit]


def items_waiting_for(user, *, now: datetime | None = None) -> QuerySet[LedgerItem]:
    """Open items a person owns that are overdue, due soon or stale, and open items of
    the communities they are liaison for that are stale or have no owner."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    urgent = Q(due_date__lte=today + timedelta(days=7)) | Q(stale_at__lte=now)
    liaison_of = Liaison.objects.filter(user=user)
    liaison_scope = Q(pk__in=[])
    for liaison in liaison_of.prefetch_related("communities"):
        communities = [c.pk for c in liaison.communities.all()]
        scope = Q(municipality_id=liaison.municipality_id)
        if communities:
            scope &= Q(community_id__in=communities)
        liaison_scope |= scope & (Q(owner__isnull=True) | Q(stale_at__lte=now))
    return (
        LedgerItem.objects.filter(status__in=LedgerItem.OPEN)
        .filter((Q(owner=user) & urgent) | liaison_scope)
        .select_related("community")
        .order_by(F("due_date").asc(nulls_last=True), "id")
    )


# --- the public accountability figures ------------------------------------------------------


@dataclass(frozen=True)
class Accountability:
    """How a set of items fared. `judged` are the items raised at least 90 days ago;
    `on_time` of them reached an outcome (done, or declined with a reason) within 90 days."""

    raised: int = 0
    judged: int = 0
    on_time: int = 0
    outcomes: int = 0
    open: int = 0
    stale: int = 0
    overdue: int = 0
    median_days: float | None = None
    label: str = ""
    key: object = None
    extra: dict = field(default_factory=dict)

    @property
    def on_time_percent(self) -> int | None:
        return round(100 * self.on_time / self.judged) if self.judged else None

    @property
    def no_progress_percent(self) -> int | None:
        """The survey's question turned on the ledger: what share saw no outcome in 90 days."""
        return 100 - self.on_time_percent if self.judged else None


def _counts(now: datetime) -> dict:
    cutoff = now - timedelta(days=OUTCOME_WINDOW_DAYS)
    is_open = Q(status__in=LedgerItem.OPEN)
    return {
        "raised": Count("pk"),
        "judged": Count("pk", filter=Q(raised_at__lte=cutoff)),
        "on_time": Count(
            "pk", filter=Q(raised_at__lte=cutoff, days_to_outcome__lte=OUTCOME_WINDOW_DAYS)
        ),
        "outcomes": Count("pk", filter=Q(outcome_at__isnull=False)),
        "open": Count("pk", filter=is_open),
        "stale": Count("pk", filter=is_open & Q(stale_at__lte=now)),
        "overdue": Count("pk", filter=is_open & Q(due_date__lt=timezone.localdate(now))),
    }


def _medians(items: QuerySet[LedgerItem], key) -> dict:
    """The median of days to an outcome per group: each group's outcomes are numbered in
    order by a window function and only the middle one or two rows are read."""
    partition = [key] if key is not None else None
    ranked = items.filter(days_to_outcome__isnull=False).annotate(
        group_key=key if key is not None else Value(0),
        position=Window(
            RowNumber(),
            partition_by=partition,
            order_by=[F("days_to_outcome").asc(), F("pk").asc()],
        ),
        total=Window(Count("pk"), partition_by=partition),
    )
    middle = ranked.filter(
        Q(position=(F("total") + 1) / 2) | Q(position=(F("total") + 2) / 2)
    ).values_list("group_key", "days_to_outcome")
    values: dict = defaultdict(list)
    for group_key, days in middle:
        values[group_key].append(days)
    return {group_key: sum(days) / len(days) for group_key, days in values.items()}


def accountability_by(
    items: QuerySet[LedgerItem], key=None, *, now: datetime | None = None
) -> dict:
    """Accountability per value of `key` (an expression over the item: a municipality, a
    community, the quarter raised), or for all items under the key None. Merged items
    count through the item they were merged into."""
    now = now or timezone.now()
    counted = items.exclude(status=Status.MERGED).order_by()
    if key is None:
        rows = [{"group_key": None, **counted.aggregate(**_counts(now))}]
    else:
        rows = counted.annotate(group_key=key).values("group_key").annotate(**_counts(now))
    medians = _medians(counted, key)
    result = {}
    for row in rows:
        group_key = row.pop("group_key")
        median_key = group_key if key is not None else 0
        result[group_key] = Accountability(
            **row, median_days=medians.get(median_key), key=group_key
        )
    return result


def accountability(
    *,
    municipality: Municipality | None = None,
    community: Community | None = None,
    now: datetime | None = None,
) -> Accountability:
    """The figures for a municipality, a community or the whole platform."""
    items = LedgerItem.objects.all()
    if municipality is not None:
        items = items.filter(municipality=municipality)
    if community is not None:
        items = items.filter(community=community)
    return accountability_by(items, now=now).get(None) or Accountability()


def accountability_of_municipalities(*, now: datetime | None = None) -> list[Accountability]:
    """Every municipality with items, in Latvian order: one grouped query, one for the
    medians and one for the names."""
    figures = accountability_by(LedgerItem.objects.all(), F("municipality_id"), now=now)
    places = {
        pk: (name, slug)
        for pk, name, slug in Municipality.objects.filter(pk__in=list(figures))
        .values_list("pk", "name", "slug")
        .order_by()
    }
    rows = [
        Accountability(
            **{**vars(figure), "label": places[pk][0], "extra": {"slug": places[pk][1]}},
        )
        for pk, figure in figures.items()
    ]
    return sorted(rows, key=lambda row: latvian_sort_key(row.label))


def accountability_of_communities(
    municipality: Municipality, *, now: datetime | None = None
) -> list[Accountability]:
    """Each community of a municipality with items (and the items no community raised,
    last)."""
    figures = accountability_by(
        LedgerItem.objects.filter(municipality=municipality), F("community_id"), now=now
    )
    communities = {
        pk: (name, slug)
        for pk, name, slug in Community.objects.filter(pk__in=[pk for pk in figures if pk])
        .values_list("pk", "name", "slug")
        .order_by()
    }
    others = str(_("citi (padomes, pašvaldība)"))
    rows = [
        Accountability(
            **{
                **vars(figure),
                "label": communities[pk][0] if pk else others,
                "extra": {"slug": communities[pk][1] if pk else ""},
            }
        )
        for pk, figure in figures.items()
    ]
    return sorted(rows, key=lambda row: (row.key is None, latvian_sort_key(row.label)))


def accountability_by_quarter(
    *,
    municipality: Municipality | None = None,
    community: Community | None = None,
    now: datetime | None = None,
) -> list[Accountability]:
    """The trend: items grouped by the quarter they were raised in, oldest first."""
    items = LedgerItem.objects.all()
    if municipality is not None:
        items = items.filter(municipality=municipality)
    if community is not None:
        items = items.filter(community=community)
    figures = accountability_by(items, TruncQuarter("raised_at"), now=now)
    rows = []
    for quarter_start, figure in sorted(figures.items(), key=lambda pair: pair[0]):
        start = quarter_start.date() if isinstance(quarter_start, datetime) else quarter_start
        rows.append(Accountability(**{**vars(figure), "label": quarter_label(start)}))
    return rows


def quarter_label(start: date) -> str:
    return gettext("%(year)d. gada %(quarter)d. ceturksnis") % {
        "year": start.year,
        "quarter": (start.month - 1) // 3 + 1,
    }
