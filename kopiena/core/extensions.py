"""Extension points: how an app contributes to what a lower app or the portal owns.

The layers (README, "Layers") let an app import only the apps below it. When a lower
app needs something from higher ones — a person's data from every app, each app's rows
moved when two communities merge, blocks on the home page, demo data, API routers,
search results, work waiting for someone — the higher app *contributes* it here from its
`AppConfig.ready()`, and the owner of the extension point asks `contributions(Kind)`.

Contributions come back in the order of INSTALLED_APPS, which is the layer order, so
demo data of a lower app is loaded before the data of the apps built on it.

Every kind is a frozen dataclass; an app contributes with `contribute(Kind(...))`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser
    from django.db.models import Model
    from django.http import HttpRequest

Contribution = TypeVar("Contribution")

_contributions: dict[type, list[Any]] = defaultdict(list)


def contribute(*items: object) -> None:
    """Register contributions (call from an AppConfig.ready()); registering the same
    contribution twice keeps one."""
    for item in items:
        registered = _contributions[type(item)]
        if item not in registered:
            registered.append(item)


def contributions(kind: type[Contribution]) -> list[Contribution]:
    """Every registered contribution of `kind`, in INSTALLED_APPS order."""
    return list(_contributions.get(kind, ()))


# --- a person's data (GDPR articles 15, 17 and 20) ---------------------------------------


@dataclass(frozen=True)
class PersonalData:
    """What an app holds about a person.

    `export(user)` returns JSON-ready sections ({"survey_responses": [...]}), each
    complete for that app. `erase(user)` runs inside the account deletion's transaction
    before the account row is deleted: it deletes what is personal and cuts the link
    from what stays (contributions kept anonymised); it returns how many contributions
    were kept. `covers` names the (model label, field) relations the export already
    shows, so the accounts app's catch-all of unknown relations does not list them twice.
    """

    app_label: str
    export: Callable[[AbstractBaseUser], Mapping[str, Any]]
    erase: Callable[[AbstractBaseUser], int]
    covers: frozenset[tuple[str, str]] = frozenset()


# --- merging two communities ---------------------------------------------------------------


@dataclass(frozen=True)
class CommunityMerge:
    """An app moves its own rows from a duplicate community to the one that stays.

    Runs inside the merge's transaction before the duplicate is deleted; returns counts
    of what it moved by translated name ({"atbildes": 3}), shown to the staff who merged.
    """

    app_label: str
    move: Callable[[Model, Model], Mapping[str, int]]


@dataclass(frozen=True)
class CommunityIndicator:
    """A column of a municipality's overview of its communities, computed in the database.

    `expression()` returns a query expression over the community row (`OuterRef("pk")`
    names it), annotated on each row as `key`; a boolean shows as "jā"/"nē".
    """

    key: str
    label: Any
    expression: Callable[[], Any]
    order: int = 100


@dataclass(frozen=True)
class CommunityAction:
    """Something staff do with the communities they tick in their municipality's overview
    (invite them to a survey, to a meeting).

    `form(request, municipality)` builds the app's Django form (bound on POST; the ticked
    communities arrive as the `communities` field); `template` renders its fields in the
    overview's fieldset; `perform(request, municipality, form)` acts on a valid form through
    the app's service and returns the confirmation shown to the staff member.
    """

    key: str
    legend: Any
    template: str
    form: Callable[[HttpRequest, Model], Any]
    perform: Callable[[HttpRequest, Model, Any], str]


# --- demo data -----------------------------------------------------------------------------


@dataclass
class DemoContext:
    """What the demo's parts share: a log of what was added, and warnings."""

    created: list[str] = field(default_factory=list)
    existing: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class DemoData:
    """`load(context)` adds the app's demo content where it is missing (idempotent), each
    part in its own transaction, and notes what it added in `context.created`."""

    app_label: str
    load: Callable[[DemoContext], None]


# --- pages the portal composes: home, municipality hubs, dashboards -------------------------


@dataclass(frozen=True)
class PageBlock:
    """A block of live content on the home page and on a municipality's hub page.

    `context(request, municipality)` returns the block's template context, or None to
    leave the block out (nothing to show); `municipality` is None on the home page.
    Blocks are shown by `order`, lowest first.
    """

    key: str
    template: str
    context: Callable[[HttpRequest, Model | None], Mapping[str, Any] | None]
    order: int = 100
    on_home: bool = True
    on_hub: bool = True


@dataclass(frozen=True)
class Figure:
    """A headline number (communities, cases, open calls), for the whole platform or one
    municipality."""

    key: str
    label: Any  # a lazy translation
    value: Callable[[Model | None], int]
    order: int = 100


@dataclass(frozen=True)
class WorkItem:
    """One thing waiting for a person: a review, a flag, a deadline."""

    title: str
    url: str
    kind: str  # shown as a tag: "pārskatīšana", "termiņš"
    due: date | datetime | None = None
    detail: str = ""


@dataclass(frozen=True)
class WorkQueue:
    """What waits for a person in one app, on the dashboard of its audience:
    `STAFF` ("Mans darbs": review queues, flags, deadlines), `COORDINATOR` ("Mana kopiena":
    the profile, requests and threads waiting, their community's surveys) or `RESIDENT`
    ("Mani jaunumi": their registrations, ideas, follows). `items(user)` returns the items;
    an empty list leaves the queue out."""

    STAFF = "staff"
    COORDINATOR = "coordinator"
    RESIDENT = "resident"

    key: str
    label: Any
    audience: str
    items: Callable[[AbstractBaseUser], list[WorkItem]]
    order: int = 100


# --- search ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SearchHit:
    title: str
    url: str
    summary: str = ""


@dataclass(frozen=True)
class SearchSource:
    """One kind of thing the site-wide search finds. `search(query, limit)` returns the
    best hits first; the query is already folded (lower case, no diacritics)."""

    key: str
    label: Any
    search: Callable[[str, int], list[SearchHit]]
    order: int = 100


# --- notifications -----------------------------------------------------------------------------


@dataclass(frozen=True)
class NotificationKind:
    """A kind of notification an app sends (news in a followed community, a change of a
    followed ledger item); its label names it in a person's settings and digest."""

    code: str
    label: Any


# --- the follow-through ledger -------------------------------------------------------------


@dataclass(frozen=True)
class RaisingBody:
    """A body other than a community that raises ledger items (a council): who may reply
    on its items. `source` is the items' `source` ("meetings.council"); `speaks_for(user,
    source_key)` says whether the person speaks for the body the item came from."""

    source: str
    speaks_for: Callable[[AbstractBaseUser, str], bool]


# --- the public API ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ApiRouter:
    """A django-ninja router mounted under /api/v1/<prefix>."""

    prefix: str
    router: Any
    tags: tuple[str, ...] = ()


# --- the ceļa karte ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Evidence:
    text: str
    url: str = ""


@dataclass(frozen=True)
class InstrumentProvision:
    """What counts, in one app's records, as a municipality providing a support instrument
    (a recent competition call, a council with community seats, bookable rooms).

    `evidence(municipality, since)` lists the records since that date; an empty list means
    the app holds no evidence that the municipality provides the instrument.
    """

    instrument: str  # the catalogue code (spec/roadmap-json.md)
    app_label: str
    evidence: Callable[[Model, date], list[Evidence]]
