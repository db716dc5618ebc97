from csp.decorators import csp_replace
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_POST

from kopiena.accounts import notifications as notifications_service
from kopiena.communities.models import Community
from kopiena.core.forms import add_errors
from kopiena.core.pagination import paginate
from kopiena.core.ratelimit import RateLimited
from kopiena.places.models import Municipality

from . import selectors, services
from .feeds import Scope
from .forms import CommentForm, FeedFilterForm, FlagForm, FrequencyForm, PostForm
from .models import Comment, Follow, NewsPost

WIDGET_ITEMS = 5


def _too_many(request):
    return render(request, "429.html", status=429)


def _safe_next(request, default: str) -> str:
    """The posted `next` if it stays on this site, else `default`."""
    next_url = request.POST.get("next", "")
    if next_url and url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return next_url
    return default


def _object_or_404(model, raw_pk):
    """The object a form's hidden id names; a malformed id is as missing as an unknown one."""
    try:
        return get_object_or_404(model, pk=int(raw_pk))
    except (TypeError, ValueError) as exc:
        raise Http404 from exc


def feed(request):
    municipalities = Municipality.objects.filter(news_posts__hidden_at__isnull=True).distinct()
    form = FeedFilterForm(request.GET or None, municipalities=municipalities)
    filters = selectors.FeedFilters()
    if form.is_bound and form.is_valid():
        filters = selectors.FeedFilters(**form.cleaned_data)
    scope = (
        ("municipality", filters.municipality)
        if filters.municipality
        else ("topic", filters.topic)
        if filters.topic
        else ("all", "")
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "network/feed.html",
        {
            "form": form,
            "page": paginate(selectors.news_feed(filters), request.GET.get("page")),
            "query": query.urlencode(),
            "scope_kind": scope[0],
            "scope_slug": scope[1],
            "topic": filters.topic,
            "following_topic": selectors.follows_topic(request.user, filters.topic),
            "unread": notifications_service.unread_count(request.user)
            if request.user.is_authenticated
            else 0,
            "can_post": request.user.has_perm("network.post"),
        },
    )


@login_required
def post_new(request):
    communities, municipalities = selectors.publishers(request.user)
    if not communities.exists() and not municipalities.exists():
        raise PermissionDenied
    form = PostForm(
        request.POST or None,
        request.FILES or None,
        communities=communities,
        municipalities=municipalities,
    )
    if request.method == "POST":
        if form.is_valid():
            kind, pk = form.cleaned_data["publisher"].split(":")
            target = {
                "community": get_object_or_404(Community, pk=pk) if kind == "c" else None,
                "municipality": get_object_or_404(Municipality, pk=pk) if kind == "m" else None,
            }
            try:
                post = services.news_post_create(
                    author=request.user,
                    title=form.cleaned_data["title"],
                    body=form.cleaned_data["body"],
                    topic=form.cleaned_data["topic"],
                    image=form.cleaned_data["image"] or None,
                    image_alt=form.cleaned_data["image_alt"],
                    **target,
                )
            except RateLimited:
                return _too_many(request)
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, _("Ziņa publicēta."))
                return redirect("network:post", post.pk)
        elif form.is_spam():
            return render(
                request,
                "network/post_form.html",
                {"form": PostForm(communities=communities, municipalities=municipalities)},
                status=400,
            )
    return render(request, "network/post_form.html", {"form": form})


def _post_or_404(pk) -> NewsPost:
    try:
        post = selectors.post_detail(pk)
    except NewsPost.DoesNotExist as exc:
        raise Http404(_("Ziņa nav atrasta")) from exc
    return post


def post_detail(request, pk):
    post = _post_or_404(pk)
    can_moderate = request.user.has_perm("network.moderate", post)
    if post.hidden_at is not None and not can_moderate:
        raise Http404(_("Ziņa nav atrasta"))
    comment_form = CommentForm(request.POST or None)
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if comment_form.is_valid():
            try:
                services.comment_create(
                    post=post, author=request.user, body=comment_form.cleaned_data["body"]
                )
            except RateLimited:
                return _too_many(request)
            except ValidationError as error:
                add_errors(comment_form, error)
            else:
                return redirect("network:post", post.pk)
        elif comment_form.is_spam():
            return redirect("network:post", post.pk)
    following = bool(
        post.community_id
        and request.user.is_authenticated
        and Follow.objects.filter(user=request.user, community_id=post.community_id).exists()
    )
    return render(
        request,
        "network/post_detail.html",
        {
            "post": post,
            "comment_form": comment_form,
            "flag_form": FlagForm(),
            "can_moderate": can_moderate,
            "following": following,
        },
    )


@require_POST
def flag(request, pk):
    post = get_object_or_404(NewsPost.objects.only("pk", "municipality_id"), pk=pk)
    form = FlagForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Norādiet iemeslu."))
        return redirect("network:post", post.pk)
    comment = None
    if form.cleaned_data["comment"]:
        comment = get_object_or_404(Comment, pk=form.cleaned_data["comment"], post=post)
    actor = (
        str(request.user.pk)
        if request.user.is_authenticated
        else request.META.get("REMOTE_ADDR", "")
    )
    try:
        services.flag_create(
            post=None if comment else post,
            comment=comment,
            reason=form.cleaned_data["reason"],
            flagged_by=request.user,
            actor_key=actor,
        )
    except RateLimited:
        return _too_many(request)
    messages.success(request, _("Paldies! Moderators saturu pārbaudīs."))
    return redirect("network:post", post.pk)


@require_POST
@login_required
def follow(request):
    community = None
    if request.POST.get("community"):
        community = _object_or_404(Community, request.POST["community"])
    try:
        services.follow_set(
            user=request.user,
            community=community,
            topic=request.POST.get("topic", ""),
            follow=request.POST.get("follow") == "1",
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(_safe_next(request, "network:feed"))


@login_required
def notifications(request):
    form = FrequencyForm(
        request.POST or None,
        initial={"email_frequency": notifications_service.email_frequency(request.user)},
    )
    if request.method == "POST" and form.is_valid():
        notifications_service.notification_settings_set(
            user=request.user, frequency=form.cleaned_data["email_frequency"]
        )
        messages.success(request, _("Iestatījumi saglabāti."))
        return redirect("network:notifications")
    items = notifications_service.notifications_of(request.user)
    notifications_service.notifications_mark_read(user=request.user)
    return render(
        request,
        "network/notifications.html",
        {
            "notifications": items,
            "form": form,
            "follows": request.user.follows.select_related("community"),
        },
    )


@login_required
def moderation(request):
    if not request.user.has_perm("network.view_moderation"):
        raise PermissionDenied
    return render(request, "network/moderation.html", {"flags": selectors.flag_queue(request.user)})


@require_POST
@login_required
def moderate(request):
    model = Comment if request.POST.get("kind") == "comment" else NewsPost
    content = _object_or_404(model, request.POST.get("pk"))
    services.content_moderate(
        content=content, moderator=request.user, hide=request.POST.get("hide") == "1"
    )
    messages.success(
        request,
        _("Saturs paslēpts.") if request.POST.get("hide") == "1" else _("Saturs atjaunots."),
    )
    return redirect(_safe_next(request, "network:moderation"))


@xframe_options_exempt
@csp_replace({"frame-ancestors": ["*"]})
def widget(request, kind, slug):
    """A small page a municipal website embeds in an iframe to show community news."""
    if kind not in ("community", "municipality", "topic"):
        raise Http404
    scope = Scope(kind, slug)
    return render(
        request,
        "network/widget.html",
        {"scope": scope, "posts": scope.items()[:WIDGET_ITEMS]},
    )
