from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from kopiena.accounts.rules import is_municipality_staff, is_platform_admin
from kopiena.core.extensions import CommunityAction, contributions
from kopiena.core.pagination import paginate
from kopiena.core.permissions import require_perm
from kopiena.core.text import render_markdown
from kopiena.places.models import Municipality

from . import selectors, services
from .exports import overview_xlsx
from .forms import (
    CommunityCreateForm,
    CoordinatorInviteForm,
    DirectoryFilterForm,
    HandoverForm,
    MergeForm,
    PhotoDeleteForm,
    ProfileForm,
)
from .models import Community, LegalStatus, Population

# A profile form carries at most a logo and a photo; a larger body is refused unread.
MAX_PROFILE_BODY = 11 * 1024 * 1024
MAP_POINTS_LIMIT = 2000


def _body_too_large(request) -> HttpResponse | None:
    """Refuse an oversized upload from its Content-Length, before Django reads the body."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = MAX_PROFILE_BODY + 1
    if length > MAX_PROFILE_BODY:
        return render(
            request,
            "communities/upload_too_large.html",
            {"limit_mb": MAX_PROFILE_BODY // 2**20},
            status=413,
        )
    return None


def _cards(communities) -> list[dict]:
    """What a directory row shows, with each band's label translated once per page."""
    status = {code: str(label) for code, label in Community.Status.choices}
    population = {code: str(label) for code, label in Population.choices}
    legal = {code: str(label) for code, label in LegalStatus.choices}
    return [
        {
            "name": c.name,
            "slug": c.slug,
            "place": ", ".join(filter(None, [c.municipality.name, c.neighbourhood])),
            "facts": " · ".join(
                filter(
                    None,
                    [status.get(c.status), population.get(c.population), legal.get(c.legal_status)],
                )
            ),
        }
        for c in communities
    ]


def _directory_context(request) -> dict:
    municipalities = list(Municipality.objects.order_by("name").only("slug", "name"))
    form = DirectoryFilterForm(request.GET or None, municipalities=municipalities)
    filters = selectors.DirectoryFilters()
    if form.is_valid():
        filters = selectors.DirectoryFilters(**form.cleaned_data)
    communities = selectors.community_directory(filters)
    page = paginate(communities, request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return {
        "form": form,
        "page": page,
        "communities": _cards(page.object_list),
        "filters": filters,
        "query": query.urlencode(),
        "is_filtered": any(vars(filters).values()),
        "communities_of": communities,
        # Profile URLs are this plus the slug: one reverse() per page instead of one per row.
        "directory_url": reverse("communities:directory"),
        "can_add": is_platform_admin(request.user) or is_municipality_staff(request.user),
    }


def directory(request):
    context = _directory_context(request)
    if request.user.is_authenticated:
        context["overview_municipalities"] = request.user.staff_of.order_by("name")
    return render(request, "communities/directory.html", context)


def directory_map(request):
    context = _directory_context(request)
    points = (
        context["communities_of"]
        .filter(latitude__isnull=False)
        .values_list("name", "slug", "latitude", "longitude")[:MAP_POINTS_LIMIT]
    )
    context["map_data"] = {
        "tiles": settings.KOPIENA_MAP_TILES_URL,
        "attribution": settings.KOPIENA_MAP_ATTRIBUTION,
        "points": [
            {
                "name": name,
                "url": reverse("communities:profile", args=[slug]),
                "lat": float(lat),
                "lon": float(lon),
            }
            for name, slug, lat, lon in points
        ],
    }
    response = render(request, "communities/map.html", context)
    # The tiles are the only thing any page loads from another origin.
    response._csp_update = {"img-src": _origin(settings.KOPIENA_MAP_TILES_URL)}
    return response


def _origin(url_template: str) -> str:
    parts = urlsplit(url_template.replace("{s}.", "*."))
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme in ("http", "https") else "'self'"


def profile(request, slug: str):
    community = get_object_or_404(Community.objects.select_related("municipality"), slug=slug)
    user = request.user
    membership = None
    following = False
    if user.is_authenticated:
        membership = community.memberships.filter(user=user).first()
        # Following (news and notifications) belongs to the network app.
        following = user.follows.filter(community=community).exists()
    return render(
        request,
        "communities/profile.html",
        {
            "community": community,
            "description": render_markdown(community.description),
            "years_active": selectors.years_active_of(community),
            "coordinators": selectors.community_coordinators(community),
            "photos": community.photos.all(),
            "membership": membership,
            "following": following,
            "can_edit": user.has_perm("communities.change_community", community),
            "can_merge": user.has_perm("communities.merge_community", community),
            "show_private": user.has_perm("communities.view_private", community),
        },
    )


def _profile_save(request, form, community: Community) -> bool:
    """Apply a valid profile form through the services; errors go back onto the form."""
    try:
        services.community_profile_save(
            community=community,
            actor=request.user,
            values=form.profile_values(),
            logo=form.cleaned_data.get("logo_upload"),
            photo=form.cleaned_data.get("photo_upload"),
        )
    except ValidationError as error:
        _errors_to_form(form, error)
        return False
    return True


def _errors_to_form(form, error: ValidationError, upload_field: str = "photo_upload") -> None:
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        # Picture problems: the services do not know which input they came from.
        field = "logo_upload" if form.cleaned_data.get("logo_upload") else upload_field
        form.add_error(field, error)


@csrf_exempt
def edit(request, slug: str):
    """The size check runs before the CSRF check, which would read (and store) the body."""
    if request.method == "POST" and (too_large := _body_too_large(request)):
        return too_large
    return _edit(request, slug)


@csrf_protect
def _edit(request, slug: str):
    community = get_object_or_404(Community.objects.select_related("municipality"), slug=slug)
    if refused := require_perm(request, "communities.change_community", community):
        return refused
    if request.method == "POST":
        # A separate instance: a failed form must not leave half-applied values on `community`.
        form = ProfileForm(
            request.POST, request.FILES, instance=Community.objects.get(pk=community.pk)
        )
        if form.is_valid() and _profile_save(request, form, community):
            messages.success(request, _("Profils saglabāts."))
            return redirect("communities:profile", slug=community.slug)
    else:
        form = ProfileForm(instance=community)
    return render(
        request,
        "communities/edit.html",
        {"community": community, "form": form, "photos": community.photos.all()},
    )


@require_POST
def photo_delete(request, slug: str):
    community = get_object_or_404(Community, slug=slug)
    if refused := require_perm(request, "communities.change_community", community):
        return refused
    form = PhotoDeleteForm(request.POST)
    if form.is_valid():
        photo = get_object_or_404(community.photos, pk=form.cleaned_data["photo"])
        services.community_photo_delete(photo=photo, actor=request.user)
        messages.success(request, _("Foto izdzēsts."))
    return redirect("communities:edit", slug=slug)


@login_required
def create(request):
    municipalities = Municipality.objects.all()
    if not request.user.is_superuser:
        municipalities = request.user.staff_of.all()
    if not municipalities.exists():
        raise PermissionDenied
    if request.method == "POST":
        form = CommunityCreateForm(request.POST, municipalities=municipalities)
        if form.is_valid():
            municipality = form.cleaned_data["municipality"]
            if refused := require_perm(request, "communities.add_community", municipality):
                return refused
            values = form.profile_values()
            try:
                community = services.community_create(
                    municipality=municipality, actor=request.user, **values
                )
            except ValidationError as error:
                _errors_to_form(form, error)
            else:
                messages.success(request, _("Kopiena pievienota reģistram."))
                return redirect("communities:profile", slug=community.slug)
    else:
        form = CommunityCreateForm(municipalities=municipalities)
    return render(request, "communities/create.html", {"form": form})


@require_POST
def join(request, slug: str):
    community = get_object_or_404(Community, slug=slug)
    if refused := require_perm(request, "communities.join_community", community):
        return refused
    services.membership_join(community=community, user=request.user)
    messages.success(request, _("Jūs pievienojāties kopienai."))
    return redirect("communities:profile", slug=slug)


@require_POST
def leave(request, slug: str):
    community = get_object_or_404(Community, slug=slug)
    if not request.user.is_authenticated:
        return redirect_to_login(reverse("communities:profile", args=[slug]))
    try:
        services.membership_leave(community=community, user=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("Jūs izstājāties no kopienas."))
    return redirect("communities:profile", slug=slug)


def coordinators(request, slug: str):
    community = get_object_or_404(Community.objects.select_related("municipality"), slug=slug)
    if refused := require_perm(request, "communities.manage_coordinators", community):
        return refused
    invite_form = CoordinatorInviteForm(prefix="invite")
    handover_form = HandoverForm(community=community, prefix="handover")
    if request.method == "POST":
        if request.POST.get("action") == "invite":
            invite_form = CoordinatorInviteForm(request.POST, prefix="invite")
            if invite_form.is_valid():
                services.coordinator_invite(
                    community=community,
                    email=invite_form.cleaned_data["email"],
                    actor=request.user,
                )
                messages.success(
                    request,
                    _("Uzaicinājums nosūtīts uz %(email)s.") % invite_form.cleaned_data,
                )
                return redirect("communities:coordinators", slug=slug)
        elif request.POST.get("action") == "handover":
            handover_form = HandoverForm(request.POST, community=community, prefix="handover")
            if handover_form.is_valid():
                services.coordinator_handover(
                    community=community,
                    actor=request.user,
                    to_user=handover_form.cleaned_data["member"].user,
                )
                messages.success(request, _("Koordinatora loma nodota."))
                return redirect("communities:profile", slug=slug)
    return render(
        request,
        "communities/coordinators.html",
        {
            "community": community,
            "coordinators": selectors.community_coordinators(community),
            "pending": community.coordinator_invitations.filter(accepted_at__isnull=True),
            "invite_form": invite_form,
            "handover_form": handover_form,
        },
    )


@login_required
def coordinator_accept(request, token: str):
    invitation = services.coordinator_invitation_by_token(token)
    if invitation is None:
        return render(request, "communities/invitation_invalid.html", status=404)
    if request.method == "POST":
        try:
            community = services.coordinator_accept(token=token, user=request.user)
        except ValidationError as error:
            messages.error(request, error.messages[0])
            return render(request, "communities/invitation_invalid.html", status=404)
        messages.success(request, _("Tagad jūs esat kopienas koordinators."))
        return redirect("communities:profile", slug=community.slug)
    return render(
        request,
        "communities/coordinator_accept.html",
        {
            "invitation": invitation,
            "email_matches": request.user.email.lower() == invitation.email,
        },
    )


def history(request, slug: str):
    community = get_object_or_404(Community, slug=slug)
    if refused := require_perm(request, "communities.view_history", community):
        return refused
    changes = community.changes.select_related("actor")[:200]
    return render(request, "communities/history.html", {"community": community, "changes": changes})


def merge(request, slug: str):
    community = get_object_or_404(Community.objects.select_related("municipality"), slug=slug)
    if refused := require_perm(request, "communities.merge_community", community):
        return refused
    form = MergeForm(request.POST or None, community=community)
    if request.method == "POST" and form.is_valid():
        target = form.cleaned_data["target"]
        if refused := require_perm(request, "communities.merge_community", target):
            return refused
        result = services.community_merge(source=community, target=target, actor=request.user)
        moved = {_("dalībnieki"): result.members_moved, **result.moved}
        messages.success(
            request,
            _("Kopienas apvienotas. Pārcelts: %(moved)s.")
            % {"moved": ", ".join(f"{label} — {count}" for label, count in moved.items())},
        )
        return redirect("communities:profile", slug=target.slug)
    return render(request, "communities/merge.html", {"community": community, "form": form})


def overview(request, municipality: str):
    municipality_obj = get_object_or_404(Municipality, slug=municipality)
    if refused := require_perm(request, "communities.view_overview", municipality_obj):
        return refused
    actions = contributions(CommunityAction)
    forms = {action.key: action.form(request, municipality_obj) for action in actions}
    if request.method == "POST" and actions:
        chosen = request.POST.get("action") or actions[0].key
        action = next((a for a in actions if a.key == chosen), None)
        if action is None:
            return HttpResponseBadRequest()
        if forms[action.key].is_valid():
            messages.success(request, action.perform(request, municipality_obj, forms[action.key]))
            return redirect(request.get_full_path())
    sort = request.GET.get("sort", "name")
    if sort not in selectors.OVERVIEW_SORTS:
        sort = "name"
    filter_form = DirectoryFilterForm(request.GET or None)
    filters = selectors.DirectoryFilters()
    if filter_form.is_valid():
        filters = selectors.DirectoryFilters(**(filter_form.cleaned_data | {"municipality": ""}))
    rows = selectors.community_overview(municipality_obj, sort=sort, filters=filters)
    indicators = selectors.community_indicators()
    if request.GET.get("format") == "xlsx":
        return FileResponse(
            overview_xlsx(rows, indicators),
            as_attachment=True,
            filename=f"kopienas-{municipality_obj.slug}.xlsx",
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    query = request.GET.copy()
    query.pop("sort", None)
    export_query = request.GET.copy()
    export_query["format"] = "xlsx"
    return render(
        request,
        "communities/overview.html",
        {
            "municipality": municipality_obj,
            "rows": rows,
            "sort": sort,
            "filter_form": filter_form,
            "indicators": indicators,
            "table": [(row, [getattr(row, i.key) for i in indicators]) for row in rows],
            "actions": [(action, forms[action.key]) for action in actions],
            "query": query.urlencode(),
            "export_query": export_query.urlencode(),
        },
    )
