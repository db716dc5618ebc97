"""allauth's account forms with Kopiena's Latvian labels and no placeholders.

Labels are visible and are the accessible names; placeholders would repeat them
in a second language and vanish while typing.
"""

from allauth.account import forms as allauth_forms
from django.utils.translation import gettext_lazy as _


class LabelledFormMixin:
    labels: dict = {}

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            field.widget.attrs.pop("placeholder", None)
            if name in self.labels:
                field.label = self.labels[name]


class LoginForm(LabelledFormMixin, allauth_forms.LoginForm):
    labels = {"login": _("E-pasts"), "password": _("Parole")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The login page links to password reset itself, in the page's language.
        self.fields["password"].help_text = ""


class SignupForm(LabelledFormMixin, allauth_forms.SignupForm):
    labels = {"email": _("E-pasts"), "password1": _("Parole"), "password2": _("Parole vēlreiz")}


class ResetPasswordForm(LabelledFormMixin, allauth_forms.ResetPasswordForm):
    labels = {"email": _("E-pasts")}


class ResetPasswordKeyForm(LabelledFormMixin, allauth_forms.ResetPasswordKeyForm):
    labels = {"password1": _("Jaunā parole"), "password2": _("Jaunā parole vēlreiz")}


class ChangePasswordForm(LabelledFormMixin, allauth_forms.ChangePasswordForm):
    labels = {
        "oldpassword": _("Pašreizējā parole"),
        "password1": _("Jaunā parole"),
        "password2": _("Jaunā parole vēlreiz"),
    }


class SetPasswordForm(LabelledFormMixin, allauth_forms.SetPasswordForm):
    labels = {"password1": _("Parole"), "password2": _("Parole vēlreiz")}
