from django import forms
from django.utils.translation import gettext_lazy as _

from kopiena.communities.models import Community
from kopiena.core.forms import with_any_choice

from .models import Instrument, PracticeCase, Topic
from .services import CASE_FIELDS


class LibraryFilterForm(forms.Form):
    q = forms.CharField(label=_("Meklēt"), required=False, max_length=100)
    instrument = forms.ChoiceField(
        label=_("Atbalsta instruments"), required=False, choices=with_any_choice(Instrument.choices)
    )
    municipality = forms.ChoiceField(label=_("Pašvaldība"), required=False)
    topic = forms.ChoiceField(
        label=_("Tēma"), required=False, choices=with_any_choice(Topic.choices, _("visas"))
    )

    def __init__(self, *args, municipalities=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.input_type = "search"
        self.fields["municipality"].choices = with_any_choice(
            [(m.slug, m.name) for m in municipalities], _("visas")
        )


class CaseForm(forms.ModelForm):
    """The case's text; saving goes through the services, never `form.save()`."""

    instruments = forms.MultipleChoiceField(
        label=_("Kurus atbalsta instrumentus piemērs ilustrē"),
        choices=Instrument.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    photo_upload = forms.FileField(
        label=_("Pievienot foto"),
        required=False,
        help_text=_("JPEG, PNG, WebP vai GIF, līdz 5 MB. Atrašanās vietas dati tiek dzēsti."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/*"}),
    )

    class Meta:
        model = PracticeCase
        fields = list(CASE_FIELDS)
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3}),
            "story": forms.Textarea(attrs={"rows": 10}),
            "outcome": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "story": _("Var lietot Markdown: **treknraksts**, _slīpraksts_, saraksti, saites."),
            "cost": _("Piemēram, 800 EUR vai „brīvprātīgo darbs”."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["instruments"] = list(
                self.instance.instruments.values_list("code", flat=True)
            )

    def case_values(self) -> dict:
        values = {name: self.cleaned_data[name] for name in CASE_FIELDS}
        values["instruments"] = self.cleaned_data["instruments"]
        upload = self.cleaned_data.get("photo_upload")
        values["photos"] = [upload] if upload else []
        return values


class CaseCreateForm(CaseForm):
    community = forms.ModelChoiceField(
        label=_("Kopiena"), queryset=Community.objects.none(), empty_label=None
    )

    field_order = ["community"]

    def __init__(self, *args, communities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = communities


class ReviewForm(forms.Form):
    note = forms.CharField(
        label=_("Piezīme autoriem"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Obligāta, ja piemēru atgriežat labošanai."),
    )


class ReplicationForm(forms.Form):
    community = forms.ModelChoiceField(
        label=_("Jūsu kopiena"), queryset=Community.objects.none(), empty_label=None
    )
    message = forms.CharField(
        label=_("Ziņa piemēra kopienai"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, communities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = communities


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("Jūsu ziņa"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )


class GuideForm(forms.Form):
    title = forms.CharField(label=_("Nosaukums"), max_length=200)
    summary = forms.CharField(label=_("Īss apraksts"), max_length=400, required=False)
    body = forms.CharField(
        label=_("Saturs"),
        widget=forms.Textarea(attrs={"rows": 24}),
        help_text=_("Markdown; katrs virsraksts, kas sākas ar „## ”, ir sadaļa ar savu saiti."),
    )
    note = forms.CharField(label=_("Kas mainīts"), max_length=200, required=False)
