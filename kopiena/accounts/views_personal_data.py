import json

from django import forms
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from . import personal_data


class AccountDeleteForm(forms.Form):
    password = forms.CharField(
        label=gettext_lazy("Parole"),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=gettext_lazy("Lai apstiprinātu, ka tas esat jūs."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("Parole nav pareiza."))
        return password


@login_required
@never_cache
def overview(request):
    return render(
        request,
        "accounts/personal_data_overview.html",
        {
            "consent": personal_data.consent_current(request.user),
            "consents": request.user.consents.all()[:20],
            "policy_version": personal_data.PRIVACY_POLICY_VERSION,
        },
    )


@login_required
@require_POST
def export(request):
    # A POST, not a link: the download cannot be replayed from history or by someone else.
    data = personal_data.personal_data_export(user=request.user)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    stamp = timezone.localdate().strftime("%Y-%m-%d")
    response["Content-Disposition"] = f'attachment; filename="kopiena-mani-dati-{stamp}.json"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def consent(request):
    given = request.POST.get("given") == "1"
    personal_data.consent_record(user=request.user, given=given)
    messages.success(request, _("Piekrišana saglabāta.") if given else _("Piekrišana atsaukta."))
    return redirect("personal_data:overview")


@login_required
@never_cache
def delete(request):
    form = AccountDeleteForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        personal_data.account_delete(user=request.user)
        logout(request)
        messages.success(request, _("Jūsu konts un personas dati ir dzēsti."))
        return redirect("portal:home")
    return render(request, "accounts/personal_data_delete.html", {"form": form})
