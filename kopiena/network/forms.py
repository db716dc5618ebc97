from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from kopiena.accounts.models import NotificationSettings
from kopiena.core.forms import with_any_choice
from kopiena.practices.models import Topic


class HoneypotMixin(forms.Form):
    """A field people never see or fill; a bot that fills it is refused.

    Hidden by CSS (class `hp`), left out of the tab order, and labelled so that a screen
    reader user who meets it is told to leave it empty.
    """

    website = forms.CharField(
        label=_("Neaizpildiet šo laukumu"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def clean_website(self):
        if self.cleaned_data["website"]:
            raise ValidationError(_("Nosūtīšana atteikta."), code="honeypot")
        return ""

    def is_spam(self) -> bool:
        return any(error.code == "honeypot" for error in self.errors.as_data().get("website", []))


class FeedFilterForm(forms.Form):
    municipality = forms.ChoiceField(label=_("Pašvaldība"), required=False)
    topic = forms.ChoiceField(
        label=_("Tēma"), required=False, choices=with_any_choice(Topic.choices, _("visas"))
    )

    def __init__(self, *args, municipalities=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].choices = with_any_choice(
            [(m.slug, m.name) for m in municipalities], _("visas")
        )


class PostForm(HoneypotMixin):
    publisher = forms.ChoiceField(label=_("Publicē"))
    title = forms.CharField(label=_("Virsraksts"), max_length=200)
    body = forms.CharField(
        label=_("Teksts"), max_length=10000, widget=forms.Textarea(attrs={"rows": 8})
    )
    topic = forms.ChoiceField(label=_("Tēma"), choices=Topic.choices)
    image = forms.FileField(
        label=_("Attēls"),
        required=False,
        help_text=_("JPEG, PNG, WebP vai GIF, līdz 5 MB. Atrašanās vietas dati tiek dzēsti."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/*"}),
    )
    image_alt = forms.CharField(
        label=_("Attēla apraksts"),
        max_length=200,
        required=False,
        help_text=_("Obligāts, ja pievienojat attēlu."),
    )

    field_order = ["publisher", "title", "body", "topic", "image", "image_alt", "website"]

    def __init__(self, *args, communities=(), municipalities=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["publisher"].choices = [
            *[(f"c:{c.pk}", c.name) for c in communities],
            *[(f"m:{m.pk}", m.name) for m in municipalities],
        ]


class CommentForm(HoneypotMixin):
    body = forms.CharField(
        label=_("Komentārs"), max_length=3000, widget=forms.Textarea(attrs={"rows": 3})
    )


class FlagForm(forms.Form):
    reason = forms.CharField(label=_("Kāpēc šis saturs jāpārbauda?"), max_length=500)
    comment = forms.IntegerField(required=False, widget=forms.HiddenInput)


class FrequencyForm(forms.Form):
    email_frequency = forms.ChoiceField(
        label=_("Sūtīt jaunumu kopsavilkumu e-pastā"),
        choices=NotificationSettings.Frequency.choices,
        widget=forms.RadioSelect,
    )
