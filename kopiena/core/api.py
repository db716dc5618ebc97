"""The public, read-only JSON API at /api/v1/: one django-ninja API for every app.

Core owns what every endpoint shares — the API object, one pagination shape, errors as
`application/problem+json` (RFC 9457), conditional GET and the throttle of anonymous
clients — and imports no app: each app declares its router in its own `api.py` and
contributes it from `AppConfig.ready()` as `extensions.ApiRouter`; `api_urls()` mounts
every contribution when config/urls.py is loaded. The OpenAPI 3 document
(/api/v1/openapi.json) and its docs page (/api/v1/docs) are generated from the routers'
typed schemas; `KopienaAPI.get_openapi_schema` adds what the framework cannot know (the
problem responses, 304), once for every operation.

Messages in the API are English, like HTTP's own reason phrases: they are read by
programs and their developers, and RFC 9457 asks a problem's title to stay the same for
every occurrence of its type.
"""

import hashlib
import logging
import time
from collections.abc import Callable
from datetime import datetime
from functools import wraps
from http import HTTPStatus
from typing import Annotated, Any

from django.conf import settings
from django.core.paginator import Paginator
from django.core.signals import got_request_exception
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, URLResolver, path, re_path, reverse
from django.utils.cache import get_conditional_response
from django.utils.http import http_date, quote_etag
from django.utils.translation import override
from ninja import Field, NinjaAPI, Schema
from ninja.decorators import decorate_view
from ninja.errors import HttpError, Throttled, ValidationError
from ninja.openapi.docs import Swagger
from ninja.openapi.schema import OpenAPISchema
from ninja.pagination import PaginationBase, paginate
from ninja.renderers import JSONRenderer
from ninja.throttling import BaseThrottle
from ninja.types import TCallable
from pydantic import StringConstraints

from .extensions import ApiRouter, contributions
from .ratelimit import RateLimited, rate_limit_hit

logger = logging.getLogger("django.request")

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 200
# Anonymous clients, per address: generous for a script that pages through every list,
# low enough that one client cannot keep the workers busy.
ANONYMOUS_REQUESTS = 600
ANONYMOUS_WINDOW_SECONDS = 60
PROBLEM_CONTENT_TYPE = "application/problem+json"

# Parameter types shared by the routers. A NUL character would reach the database (which
# PostgreSQL refuses with an error), so text parameters exclude control characters.
SearchText = Annotated[str, StringConstraints(max_length=100, pattern=r"^[^\x00-\x1f]*$")]
Slug = Annotated[str, StringConstraints(max_length=200, pattern=r"^[-a-zA-Z0-9_]+$")]


def page_url(viewname: str, *args: Any) -> str:
    """The absolute address of a site page, in the default language whatever the client's
    Accept-Language: a body, and so its ETag, is the same for every client."""
    site: str = settings.SITE_URL
    with override(settings.LANGUAGE_CODE):
        return site.rstrip("/") + reverse(viewname, args=args)


def filter_values(filters: Schema | None) -> dict[str, str]:
    """Query filters as the selectors' filter dataclasses take them: "" for any not given."""
    values = filters.model_dump() if filters is not None else {}
    return {name: value or "" for name, value in values.items()}


def media_url(name: str) -> str:
    """The absolute address of an uploaded file (a photo, a logo)."""
    site: str = settings.SITE_URL
    return f"{site.rstrip('/')}{settings.MEDIA_URL}{name}"


# --- errors: application/problem+json --------------------------------------------------------


class ParameterError(Schema):
    location: str = Field(description="Where the parameter is: query or path.")
    name: str
    message: str


class Problem(Schema):
    """An error as RFC 9457 describes it. `type` is always about:blank, so `title` is the
    HTTP status phrase; `detail` says what went wrong with this request."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str
    errors: list[ParameterError] | None = Field(
        None, description="For 400: each parameter that is not valid."
    )


def problem(
    status: int, detail: str, *, errors: list[ParameterError] | None = None
) -> HttpResponse:
    body = Problem(title=HTTPStatus(status).phrase, status=status, detail=detail, errors=errors)
    return JsonResponse(
        body.model_dump(exclude_none=True),
        status=status,
        content_type=PROBLEM_CONTENT_TYPE,
        json_dumps_params={"ensure_ascii": False},
    )


def _invalid_parameters(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = [
        ParameterError(
            location=str(error["loc"][0]),
            name=".".join(str(part) for part in error["loc"][1:]),
            message=error["msg"],
        )
        for error in exc.errors
    ]
    detail = "; ".join(f"{error.name}: {error.message}" for error in errors)
    return problem(400, detail or "The request's parameters are not valid.", errors=errors)


def _not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
    # Not Django's message, which names the model ("No Community matches the given query").
    return problem(404, "Nothing public is at this address.")


def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return problem(exc.status_code, exc.message)


def _throttled(request: HttpRequest, exc: Throttled) -> HttpResponse:
    # ninja adds Retry-After from the throttle's wait().
    return problem(429, "Too many requests from this address; retry after Retry-After seconds.")


def _server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    # Django's own handler would log and signal an uncaught exception; the API answers with
    # a problem instead, so it does both here (the test client re-raises on the signal).
    logger.error(
        "Internal Server Error: %s",
        request.path,
        exc_info=exc,
        extra={"status_code": 500, "request": request},
    )
    got_request_exception.send(sender=None, request=request)
    return problem(500, "The server failed to answer this request.")


# The most specific class of an exception picks its handler.
EXCEPTION_HANDLERS: dict[type[Exception], Callable[[HttpRequest, Any], HttpResponse]] = {
    ValidationError: _invalid_parameters,
    Http404: _not_found,
    HttpError: _http_error,
    Throttled: _throttled,
    Exception: _server_error,
}


# --- one pagination shape --------------------------------------------------------------------


class Pagination(PaginationBase):
    """The envelope every list has had since the first API: {count, next, previous, results},
    chosen with `page` (from 1) and `page_size` (1–200, default 50). A page number or size
    out of range, or not a number, is a 400; a page past the last one is a 404."""

    items_attribute = "results"

    class PageParameters(Schema):
        page: int = Field(1, ge=1, description="Page number, from 1.")
        page_size: int = Field(
            DEFAULT_PAGE_SIZE,
            ge=1,
            le=MAX_PAGE_SIZE,
            description=f"Items per page (default {DEFAULT_PAGE_SIZE}, at most {MAX_PAGE_SIZE}).",
        )

    # ninja reads `Input`; the class's own name is the one the OpenAPI document shows.
    Input = PageParameters  # type: ignore[assignment]

    class Output(Schema):
        count: int = Field(description="Items in the whole list.")
        next: str | None = Field(description="URL of the next page, or null on the last.")
        previous: str | None = Field(description="URL of the previous page, or null on the first.")
        results: list[Any]

    def paginate_queryset(
        self,
        queryset: QuerySet[Any],
        pagination: PageParameters,
        request: HttpRequest,
        **params: Any,
    ) -> dict[str, Any]:
        paginator = Paginator(queryset, pagination.page_size)
        # Checked before the page is cut, so a huge number never reaches the database.
        if pagination.page > paginator.num_pages:
            last = paginator.num_pages
            raise HttpError(404, f"There is no page {pagination.page}; the last is {last}.")
        page = paginator.page(pagination.page)
        query = request.GET.copy()

        def link(number: int) -> str:
            query["page"] = str(number)
            return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")

        return {
            "count": paginator.count,
            "next": link(page.number + 1) if page.has_next() else None,
            "previous": link(page.number - 1) if page.has_previous() else None,
            "results": page.object_list,
        }


# --- conditional GET -------------------------------------------------------------------------


ChangedAt = Callable[[], datetime | None]
Run = Callable[..., HttpResponse]


def conditional(last_modified: ChangedAt | None = None) -> Callable[[TCallable], TCallable]:
    """An operation's 200 responses carry `ETag` (and `Last-Modified` where `last_modified`
    is given) and answer `If-None-Match` / `If-Modified-Since` with 304 (RFC 9110).

    The ETag is a SHA-256 of the body as sent: exact for every response whatever changed
    (a row, a related name, a hidden post, a deletion), and cheap — the body is built
    anyway, and hashing a full page of 200 communities (75 KB) takes 0.3 ms.

    `last_modified()` returns the newest time anything in the list changed. Give it only
    where the models keep such a time for every change a list can show (an `updated_at`
    every service sets). It is read before the body, so a change in between makes the
    next request's time newer, never an older time for a newer body; and it is sent only
    once its second is over, since an HTTP date counts whole seconds and a second change
    within the same second would otherwise go unseen. What no timestamp sees — a row
    deleted, or changed by a bulk update() — reaches `If-Modified-Since` clients with the
    next change; clients holding the ETag (browsers and HTTP caches send `If-None-Match`,
    which takes precedence) always see it. Lists without such a time send the ETag alone.
    `Cache-Control: no-cache` has caches revalidate every time.
    """

    def decorator(run: Run) -> Run:
        @wraps(run)
        def conditional_run(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            changed = last_modified() if last_modified else None
            read_at = int(time.time())
            response = run(request, *args, **kwargs)
            if response.status_code != 200:
                return response
            etag = quote_etag(hashlib.sha256(response.content).hexdigest()[:32])
            response["ETag"] = etag
            response["Cache-Control"] = "no-cache"
            timestamp = int(changed.timestamp()) if changed else None
            if timestamp is not None and timestamp < read_at:
                response["Last-Modified"] = http_date(timestamp)
            else:
                timestamp = None
            answer = get_conditional_response(
                request, etag=etag, last_modified=timestamp, response=response
            )
            if answer is None:  # never, when given the response: it is returned as it is
                return response
            if answer.status_code == 412:  # If-Match or If-Unmodified-Since failed
                return problem(412, "This has changed since the version you hold.")
            return answer

        return conditional_run

    return decorate_view(decorator)


def paged(*, last_modified: ChangedAt | None = None) -> Callable[[TCallable], TCallable]:
    """A list operation: paginated (`Pagination`) and conditional (`conditional`). Put it
    under the router's decorator, whose response is `list[ItemSchema]`."""

    def decorator(func: TCallable) -> TCallable:
        paginated: TCallable = paginate(Pagination)(func)
        return conditional(last_modified)(paginated)

    return decorator


# --- anonymous clients -----------------------------------------------------------------------


class AnonymousThrottle(BaseThrottle):
    """At most ANONYMOUS_REQUESTS a window from one address, counted by core's rate limit
    (the same address the rest of the site counts: REMOTE_ADDR, which a trusted proxy
    sets); signed-in people are not limited."""

    def allow_request(self, request: HttpRequest) -> bool:
        if request.user.is_authenticated:
            return True
        try:
            rate_limit_hit(
                action="api",
                actor=request.META.get("REMOTE_ADDR", ""),
                limit=ANONYMOUS_REQUESTS,
                window_seconds=ANONYMOUS_WINDOW_SECONDS,
            )
        except RateLimited:
            return False
        return True

    def wait(self) -> float:
        return ANONYMOUS_WINDOW_SECONDS


# --- the API and its document ----------------------------------------------------------------


class Docs(Swagger):
    """Swagger UI from the files django-ninja ships (static/ninja/), in a page of ours: the
    settings travel as JSON data and ninja's own init script starts the UI, so nothing
    inline runs under the site's CSP; no validator badge is fetched from elsewhere."""

    template = "core/api_docs.html"

    def __init__(self) -> None:
        # Deep links make each operation's path a link inside the button that opens it:
        # a control nested in a control, which keyboard and screen-reader users cannot reach.
        super().__init__(settings={"validatorUrl": None, "deepLinking": False})

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        self.settings["url"] = self.get_openapi_url(api, kwargs)
        return render(request, self.template, {"api": api, "swagger_settings": self.settings})


class Utf8JSONRenderer(JSONRenderer):
    """Latvian letters as themselves, as the first API sent them, not as \\u escapes."""

    json_dumps_params = {"ensure_ascii": False}


ERROR_RESPONSES = {
    400: "A parameter is not valid (not a number, out of range, not one of the choices).",
    404: "Nothing public at this address, or a page past the last.",
    429: "Too many requests from this address.",
}
NOT_MODIFIED = "Not modified since the ETag (If-None-Match) or date (If-Modified-Since) given."


class KopienaAPI(NinjaAPI):
    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        """The generated document, with the problem responses every operation can give
        (the exception handlers answer them, so no operation declares them)."""
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        problem_schema = Problem.model_json_schema(ref_template="#/components/schemas/{model}")
        components.update(problem_schema.pop("$defs", {}))
        components["Problem"] = problem_schema
        for operations in schema["paths"].values():
            for operation in operations.values():
                responses = operation["responses"]
                for status, description in ERROR_RESPONSES.items():
                    responses.setdefault(
                        str(status),
                        {
                            "description": description,
                            "content": {
                                PROBLEM_CONTENT_TYPE: {
                                    "schema": {"$ref": "#/components/schemas/Problem"}
                                }
                            },
                        },
                    )
                responses.setdefault("304", {"description": NOT_MODIFIED})
        return schema


def _api_root(request: HttpRequest) -> HttpResponse:
    return redirect("api:openapi-view")


def _no_such_endpoint(request: HttpRequest, rest: str) -> HttpResponse:
    return problem(404, "There is no such API endpoint; see /api/v1/openapi.json.")


def api_urls() -> tuple[list[URLPattern | URLResolver], str, str]:
    """The URL patterns of /api/v1/ (namespace `api`) with every contributed router."""
    api = KopienaAPI(
        title="Kopiena",
        version="1",
        description=(
            "Public, read-only data of the Kopiena platform: communities, municipalities, "
            "published survey reports, good-practice cases and news. Lists are paginated "
            "alike, answer conditional GET with ETag, and errors are application/problem+json."
        ),
        urls_namespace="api",
        docs=Docs(),
        renderer=Utf8JSONRenderer(),
        throttle=[AnonymousThrottle()],
        openapi_extra={"info": {"license": {"name": "AGPL-3.0-or-later"}}},
    )
    for exception, handler in EXCEPTION_HANDLERS.items():
        api.add_exception_handler(exception, handler)
    for contribution in contributions(ApiRouter):
        api.add_router(
            contribution.prefix, contribution.router, tags=list(contribution.tags) or None
        )
    patterns, _app_name, namespace = api.urls
    patterns = [pattern for pattern in patterns if getattr(pattern, "name", "") != "api-root"]
    patterns += [
        # ninja finds its root by this name; a person arriving there wants the docs.
        path("", _api_root, name="api-root"),
        # Unknown addresses answer as the API does (those without the slash are redirected
        # to it first by CommonMiddleware).
        re_path(r"^(?P<rest>.*)/$", _no_such_endpoint),
    ]
    return patterns, "api", namespace
