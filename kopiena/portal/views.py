"""The pages composed from every app: home, municipality hubs, dashboards, search."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render

from kopiena.accounts.notifications import notifications_of
from kopiena.accounts.rules import is_municipality_staff, is_platform_admin
from kopiena.core.extensions import WorkQueue
from kopiena.places.models import Municipality

from . import selectors


def home(request):
    return render(
        request,
        "portal/home.html",
        {"blocks": selectors.page_blocks(request), "figures": selectors.figures()},
    )


def municipalities(request):
    return render(
        request,
        "portal/municipalities.html",
        {"municipalities": selectors.municipalities_with_communities()},
    )


def hub(request, slug: str):
    try:
        municipality = selectors.municipality_hub(slug)
    except Municipality.DoesNotExist as missing:
        raise Http404 from missing
    return render(
        request,
        "portal/hub.html",
        {
            "municipality": municipality,
            "blocks": selectors.page_blocks(request, municipality),
            "figures": selectors.figures(municipality),
            "is_staff": request.user.has_perm("communities.view_overview", municipality),
        },
    )


def search(request):
    query = request.GET.get("q", "").strip()[:100]
    return render(request, "portal/search.html", {"results": selectors.search(query)})


@login_required
def dashboard(request):
    """Where a person lands after logging in: the dashboard of their main role."""
    user = request.user
    if is_platform_admin(user) or is_municipality_staff(user):
        return redirect("portal:my_work")
    if selectors.coordinates_a_community(user):
        return redirect("portal:my_community")
    return redirect("portal:my_news")


@login_required
def my_work(request):
    return _dashboard(request, "portal/my_work.html", WorkQueue.STAFF)


@login_required
def my_community(request):
    return _dashboard(request, "portal/my_community.html", WorkQueue.COORDINATOR)


@login_required
def my_news(request):
    return _dashboard(
        request,
        "portal/my_news.html",
        WorkQueue.RESIDENT,
        notifications=notifications_of(request.user, limit=20),
    )


def _dashboard(request, template: str, audience: str, **extra):
    user = request.user
    return render(
        request,
        template,
        {
            "queues": selectors.work_queues(user, audience=audience),
            "is_staff": is_platform_admin(user) or is_municipality_staff(user),
            **extra,
        },
    )
