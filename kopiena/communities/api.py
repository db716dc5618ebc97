"""Read-only JSON API of the public registry, described by an OpenAPI 3 document."""

from django.conf import settings
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.decorators.http import require_GET

from kopiena.places.models import Municipality

from . import selectors
from .models import Community

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 200


def _page(request, queryset, serialize) -> JsonResponse:
    try:
        size = min(max(int(request.GET.get("page_size", DEFAULT_PAGE_SIZE)), 1), MAX_PAGE_SIZE)
        number = max(int(request.GET.get("page", 1)), 1)
    except ValueError:
        return JsonResponse({"error": "page and page_size must be integers"}, status=400)
    paginator = Paginator(queryset, size)
    if number > max(paginator.num_pages, 1):
        return JsonResponse({"error": "no such page"}, status=404)
    page = paginator.page(number)
    query = request.GET.copy()

    def link(n: int) -> str:
        query["page"] = str(n)
        return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")

    return JsonResponse(
        {
            "count": paginator.count,
            "next": link(number + 1) if page.has_next() else None,
            "previous": link(number - 1) if page.has_previous() else None,
            "results": [serialize(item) for item in page.object_list],
        },
        json_dumps_params={"ensure_ascii": False},
    )


def community_json(c: Community) -> dict:
    """Public fields only: the private contacts never leave through the API."""
    return {
        "slug": c.slug,
        "name": c.name,
        "municipality": c.municipality.slug,
        "status": c.status,
        "neighbourhood": c.neighbourhood,
        "location": (
            {"lat": float(c.latitude), "lon": float(c.longitude)} if c.has_point else None
        ),
        "population": c.population or None,
        "founded_year": c.founded_year,
        "years_active": selectors.years_active_of(c),
        "legal_status": c.legal_status or None,
        "active_core": c.active_core or None,
        "url": settings.SITE_URL.rstrip("/") + reverse("communities:profile", args=[c.slug]),
    }


def municipality_json(m: Municipality) -> dict:
    return {"slug": m.slug, "name": m.name, "kind": m.kind, "atvk": m.atvk or None}


@require_GET
def communities(request):
    filters = selectors.DirectoryFilters(
        q=request.GET.get("q", "")[:100],
        municipality=request.GET.get("municipality", ""),
        population=request.GET.get("population", ""),
        years_active=request.GET.get("years_active", ""),
        legal_status=request.GET.get("legal_status", ""),
        status=request.GET.get("status", ""),
    )
    return _page(request, selectors.community_directory(filters), community_json)


@require_GET
def community_detail(request, slug: str):
    community = get_object_or_404(Community.objects.select_related("municipality"), slug=slug)
    return JsonResponse(community_json(community), json_dumps_params={"ensure_ascii": False})


@require_GET
def municipalities(request):
    return _page(request, Municipality.objects.order_by("name", "id"), municipality_json)


def _paged(item_ref: str) -> dict:
    return {
        "type": "object",
        "required": ["count", "next", "previous", "results"],
        "properties": {
            "count": {"type": "integer"},
            "next": {"type": "string", "format": "uri", "nullable": True},
            "previous": {"type": "string", "format": "uri", "nullable": True},
            "results": {"type": "array", "items": {"$ref": item_ref}},
        },
    }


def _param(name: str, description: str, schema: dict | None = None) -> dict:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": schema or {"type": "string"},
    }


PAGE_PARAMS = [
    _param("page", "Page number, from 1.", {"type": "integer", "minimum": 1}),
    _param(
        "page_size",
        f"Items per page (default {DEFAULT_PAGE_SIZE}).",
        {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE},
    ),
]


def openapi_document(server_url: str) -> dict:
    from .models import LegalStatus, Population, YearsActive

    nullable_enum = lambda values: {"type": "string", "enum": list(values), "nullable": True}  # noqa: E731
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "Kopiena community registry API",
            "version": "1.0.0",
            "description": "Read-only public data of neighbourhood communities and municipalities. "
            "Band codes are those of the reference survey's choice lists.",
            "license": {"name": "AGPL-3.0-or-later"},
        },
        "servers": [{"url": server_url}],
        "paths": {
            "/api/v1/communities/": {
                "get": {
                    "summary": "Communities in Latvian alphabetical order",
                    "operationId": "listCommunities",
                    "parameters": [
                        _param("q", "Search; case and Latvian diacritics are ignored."),
                        _param("municipality", "Municipality slug."),
                        _param(
                            "population",
                            "Residents band.",
                            {"type": "string", "enum": Population.values},
                        ),
                        _param(
                            "years_active",
                            "Age band.",
                            {"type": "string", "enum": YearsActive.values},
                        ),
                        _param(
                            "legal_status",
                            "Legal form.",
                            {"type": "string", "enum": LegalStatus.values},
                        ),
                        _param(
                            "status", "Status.", {"type": "string", "enum": Community.Status.values}
                        ),
                        *PAGE_PARAMS,
                    ],
                    "responses": {
                        "200": {
                            "description": "A page of communities",
                            "content": {
                                "application/json": {
                                    "schema": _paged("#/components/schemas/Community")
                                }
                            },
                        },
                        "400": {"description": "Invalid paging parameters"},
                        "404": {"description": "No such page"},
                    },
                }
            },
            "/api/v1/communities/{slug}/": {
                "get": {
                    "summary": "One community",
                    "operationId": "getCommunity",
                    "parameters": [
                        {
                            "name": "slug",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "string"},
                        }
                    ],
                    "responses": {
                        "200": {
                            "description": "The community",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/Community"}
                                }
                            },
                        },
                        "404": {"description": "Not found"},
                    },
                }
            },
            "/api/v1/municipalities/": {
                "get": {
                    "summary": "Municipalities",
                    "operationId": "listMunicipalities",
                    "parameters": PAGE_PARAMS,
                    "responses": {
                        "200": {
                            "description": "A page of municipalities",
                            "content": {
                                "application/json": {
                                    "schema": _paged("#/components/schemas/Municipality")
                                }
                            },
                        }
                    },
                }
            },
        },
        "components": {
            "schemas": {
                "Community": {
                    "type": "object",
                    "required": ["slug", "name", "municipality", "status", "url"],
                    "properties": {
                        "slug": {"type": "string"},
                        "name": {"type": "string"},
                        "municipality": {"type": "string", "description": "Municipality slug"},
                        "status": {"type": "string", "enum": Community.Status.values},
                        "neighbourhood": {"type": "string"},
                        "location": {
                            "type": "object",
                            "nullable": True,
                            "properties": {"lat": {"type": "number"}, "lon": {"type": "number"}},
                        },
                        "population": nullable_enum(Population.values),
                        "founded_year": {"type": "integer", "nullable": True},
                        "years_active": {"type": "string", "enum": YearsActive.values},
                        "legal_status": nullable_enum(LegalStatus.values),
                        "active_core": {"type": "string", "nullable": True},
                        "url": {"type": "string", "format": "uri"},
                    },
                },
                "Municipality": {
                    "type": "object",
                    "required": ["slug", "name", "kind"],
                    "properties": {
                        "slug": {"type": "string"},
                        "name": {"type": "string"},
                        "kind": {"type": "string"},
                        "atvk": {"type": "string", "nullable": True},
                    },
                },
            }
        },
    }


@require_GET
def openapi(request):
    return JsonResponse(
        openapi_document(request.build_absolute_uri("/").rstrip("/")),
        json_dumps_params={"ensure_ascii": False},
    )
