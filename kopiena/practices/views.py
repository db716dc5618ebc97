from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kopiena.core.forms import add_errors
from kopiena.core.pagination import paginate
from kopiena.core.permissions import require_perm
from kopiena.core.text import render_markdown
from kopiena.places.models import Municipality

from . import selectors, services
from .forms import (
    CaseCreateForm,
    CaseForm,
    GuideForm,
    LibraryFilterForm,
    MessageForm,
    ReplicationForm,
    ReviewForm,
)
from .models import Guide, PracticeCase, ReplicationRequest


def _case_or_404(slug: str) -> PracticeCase:
    try:
        return selectors.case_detail(slug)
    except PracticeCase.DoesNotExist as exc:
        raise Http404(_("Piemērs nav atrasts")) from exc


def library(request):
    municipalities = selectors.library_municipalities()
    form = LibraryFilterForm(request.GET or None, municipalities=municipalities)
    filters = selectors.LibraryFilters()
    if form.is_bound and form.is_valid():
        filters = selectors.LibraryFilters(**form.cleaned_data)
    page = paginate(selectors.case_library(filters), request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "practices/library.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )


def case_detail(request, slug):
    case = _case_or_404(slug)
    if not request.user.has_perm("practices.view_case", case):
        raise Http404(_("Piemērs nav atrasts"))
    own = selectors.coordinated_communities(request.user)
    asking = own.exclude(pk=case.community_id) if case.community_id else own
    can_ask = case.status == PracticeCase.Status.PUBLISHED and asking.exists()
    return render(
        request,
        "practices/case_detail.html",
        {
            "case": case,
            "story": render_markdown(case.story),
            "can_edit": request.user.has_perm("practices.change_case", case),
            "can_review": request.user.has_perm("practices.review_case", case),
            "can_withdraw": request.user.has_perm("practices.withdraw_case", case),
            "replication_form": ReplicationForm(communities=asking) if can_ask else None,
        },
    )


@login_required
def case_new(request):
    communities = selectors.coordinated_communities(request.user)
    if not communities.exists():
        raise PermissionDenied
    form = CaseCreateForm(request.POST or None, request.FILES or None, communities=communities)
    if request.method == "POST" and form.is_valid():
        community = form.cleaned_data["community"]
        denied = require_perm(request, "practices.add_case", community)
        if denied:
            return denied
        try:
            case = services.case_create(
                community=community, author=request.user, **form.case_values()
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Piemērs saglabāts kā melnraksts."))
            return redirect("practices:detail", case.slug)
    return render(request, "practices/case_form.html", {"form": form, "case": None})


@login_required
def case_edit(request, slug):
    case = _case_or_404(slug)
    denied = require_perm(request, "practices.change_case", case)
    if denied:
        return denied
    form = CaseForm(request.POST or None, request.FILES or None, instance=case)
    if request.method == "POST" and form.is_valid():
        try:
            services.case_update(case=case, **form.case_values())
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Izmaiņas saglabātas."))
            return redirect("practices:detail", case.slug)
    return render(request, "practices/case_form.html", {"form": form, "case": case})


@require_POST
@login_required
def photo_delete(request, slug):
    case = _case_or_404(slug)
    denied = require_perm(request, "practices.change_case", case)
    if denied:
        return denied
    try:
        services.case_photo_delete(case=case, photo_id=int(request.POST.get("photo") or 0))
    except (ValidationError, ValueError):
        messages.error(request, _("Foto nav atrasts."))
    else:
        messages.success(request, _("Foto dzēsts."))
    return redirect("practices:edit", case.slug)


@require_POST
@login_required
def case_submit(request, slug):
    case = _case_or_404(slug)
    denied = require_perm(request, "practices.change_case", case)
    if denied:
        return denied
    try:
        services.case_submit(case=case)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Piemērs iesniegts pašvaldībai izskatīšanai."))
    return redirect("practices:detail", case.slug)


@require_POST
@login_required
def case_withdraw(request, slug):
    case = _case_or_404(slug)
    denied = require_perm(request, "practices.withdraw_case", case)
    if denied:
        return denied
    case = services.case_withdraw(case=case)
    messages.success(request, _("Piemērs vairs nav publicēts; tas atkal ir melnraksts."))
    return redirect("practices:detail", case.slug)


@login_required
def review_queue(request):
    denied = require_perm(request, "practices.view_review_queue")
    if denied:
        return denied
    return render(
        request, "practices/review_queue.html", {"cases": selectors.cases_to_review(request.user)}
    )


@login_required
def case_review(request, slug):
    case = _case_or_404(slug)
    denied = require_perm(request, "practices.review_case", case)
    if denied:
        return denied
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        publish = request.POST.get("decision") == "publish"
        try:
            services.case_review(
                case=case, reviewer=request.user, publish=publish, note=form.cleaned_data["note"]
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request, _("Piemērs publicēts.") if publish else _("Piemērs atgriezts labošanai.")
            )
            return redirect("practices:review_queue")
    return render(
        request,
        "practices/case_review.html",
        {"case": case, "story": render_markdown(case.story), "form": form},
    )


@require_POST
@login_required
def replicate(request, slug):
    case = _case_or_404(slug)
    denied = require_perm(request, "practices.request_replication", case)
    if denied:
        return denied
    form = ReplicationForm(
        request.POST, communities=selectors.coordinated_communities(request.user)
    )
    if not form.is_valid():
        messages.error(request, _("Izvēlieties savu kopienu un uzrakstiet ziņu."))
        return redirect("practices:detail", case.slug)
    try:
        result = services.replication_request(
            case=case,
            community=form.cleaned_data["community"],
            actor=request.user,
            message=form.cleaned_data["message"],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("practices:detail", case.slug)
    messages.success(request, _("Pieprasījums nosūtīts. Sarunu turpiniet šeit."))
    return redirect("practices:thread", result.request.pk)


@login_required
def thread(request, pk):
    try:
        replication = selectors.thread_detail(pk)
    except ReplicationRequest.DoesNotExist as exc:
        raise Http404 from exc
    denied = require_perm(request, "practices.view_thread", replication)
    if denied:
        return denied
    side = selectors.thread_side(request.user, replication)
    form = MessageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if side is None:
            raise PermissionDenied
        try:
            services.thread_message_post(
                request=replication,
                side=side,
                author=request.user,
                body=form.cleaned_data["body"],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            return redirect("practices:thread", replication.pk)
    return render(
        request,
        "practices/thread.html",
        {
            "thread": replication,
            "thread_messages": replication.messages.select_related(
                "author", "community", "municipality"
            ),
            "form": form,
            "side": side,
            "side_is_municipality": isinstance(side, Municipality),
        },
    )


@login_required
def mine(request):
    return render(
        request,
        "practices/mine.html",
        {
            "cases": selectors.cases_of_user(request.user),
            "threads": selectors.threads_of_user(request.user),
            "can_add": selectors.coordinated_communities(request.user).exists(),
        },
    )


def guide_list(request):
    return render(request, "practices/guide_list.html", {"guides": Guide.objects.all()})


def _guide_or_404(slug: str) -> Guide:
    try:
        return Guide.objects.get(slug=slug)
    except Guide.DoesNotExist as exc:
        raise Http404(_("Rokasgrāmata nav atrasta")) from exc


def guide_detail(request, slug):
    guide = _guide_or_404(slug)
    intro, sections = selectors.guide_sections(guide)
    return render(
        request,
        "practices/guide_detail.html",
        {
            "guide": guide,
            "intro": intro,
            "sections": sections,
            "can_edit": request.user.has_perm("practices.edit_guide"),
        },
    )


@login_required
def guide_edit(request, slug):
    guide = _guide_or_404(slug)
    denied = require_perm(request, "practices.edit_guide")
    if denied:
        return denied
    form = GuideForm(
        request.POST or None,
        initial={"title": guide.title, "summary": guide.summary, "body": guide.body},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.guide_save(slug=guide.slug, author=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Rokasgrāmata saglabāta."))
            return redirect("practices:guide", guide.slug)
    return render(request, "practices/guide_edit.html", {"guide": guide, "form": form})


def guide_history(request, slug):
    guide = _guide_or_404(slug)
    denied = require_perm(request, "practices.edit_guide")
    if denied:
        return denied
    return render(
        request,
        "practices/guide_history.html",
        {"guide": guide, "revisions": guide.revisions.select_related("author")},
    )
