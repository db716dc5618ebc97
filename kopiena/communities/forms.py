from django import forms
from django.utils.translation import gettext_lazy as _

from kopiena.core.forms import with_any_choice
from kopiena.places.models import Municipality

from .models import (
    Community,
    CommunityMembership,
    LegalStatus,
    Population,
    YearsActive,
)
from .services import PROFILE_FIELDS


class DirectoryFilterForm(forms.Form):
    q = forms.CharField(label=_("Meklēt"), required=False, max_length=100)
    municipality = forms.ChoiceField(label=_("Pašvaldība"), required=False)
    population = forms.ChoiceField(
        label=_("Iedzīvotāju skaits"), required=False, choices=with_any_choice(Population.choices)
    )
    years_active = forms.ChoiceField(
        label=_("Darbības ilgums"), required=False, choices=with_any_choice(YearsActive.choices)
    )
    legal_status = forms.ChoiceField(
        label=_("Juridiskā forma"), required=False, choices=with_any_choice(LegalStatus.choices)
    )
    status = forms.ChoiceField(
        label=_("Statuss"), required=False, choices=with_any_choice(Community.Status.choices)
    )

    def __init__(self, *args, municipalities=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.input_type = "search"
        self.fields["municipality"].choices = with_any_choice(
            [(m.slug, m.name) for m in municipalities], _("visas")
        )


class ProfileForm(forms.ModelForm):
    """The editable profile; saving goes through `community_update`, never `form.save()`."""

    links_text = forms.CharField(
        label=_("Saites"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Katrā rindā viena saite, sākot ar https://"),
    )
    logo_upload = forms.FileField(
        label=_("Logotips"),
        required=False,
        help_text=_("JPEG, PNG, WebP vai GIF, līdz 5 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/*"}),
    )
    photo_upload = forms.FileField(
        label=_("Pievienot foto"),
        required=False,
        help_text=_("JPEG, PNG, WebP vai GIF, līdz 5 MB. Atrašanās vietas dati tiek dzēsti."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/*"}),
    )

    class Meta:
        model = Community
        fields = [f for f in PROFILE_FIELDS if f != "links"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 8}),
            "latitude": forms.NumberInput(attrs={"step": "0.00001"}),
            "longitude": forms.NumberInput(attrs={"step": "0.00001"}),
        }
        help_texts = {
            "description": _(
                "Var lietot Markdown: **treknraksts**, _slīpraksts_, saraksti, saites."
            ),
            "founded_year": _("Atstājiet tukšu, ja kopiena vēl veidojas."),
            "registration_number": _("Tikai biedrībai: 11 cipari no Uzņēmumu reģistra."),
            "private_email": _("Redz tikai koordinatori un pašvaldības darbinieki."),
            "private_phone": _("Redz tikai koordinatori un pašvaldības darbinieki."),
            "latitude": _("Punkts kartē, piemēram, 56.82700"),
            "longitude": _("Punkts kartē, piemēram, 24.23100"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["links_text"] = "\n".join(
                link.get("url", "") for link in self.instance.links or []
            )

    def clean_links_text(self) -> list[dict[str, str]]:
        lines = [line.strip() for line in self.cleaned_data["links_text"].splitlines()]
        return [{"url": line, "title": ""} for line in lines if line]

    def profile_values(self) -> dict:
        values = {f: self.cleaned_data[f] for f in self.Meta.fields}
        values["links"] = self.cleaned_data["links_text"]
        for name in ("registration_number", "neighbourhood"):
            values[name] = (values[name] or "").strip()
        return values


class CommunityCreateForm(ProfileForm):
    municipality = forms.ModelChoiceField(
        label=_("Pašvaldība"), queryset=Municipality.objects.none(), empty_label=None
    )

    field_order = ["name", "municipality"]

    def __init__(self, *args, municipalities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = municipalities
        # Pictures are added on the edit page, once the community exists.
        del self.fields["logo_upload"]
        del self.fields["photo_upload"]


class CoordinatorInviteForm(forms.Form):
    email = forms.EmailField(label=_("E-pasts"))


class HandoverForm(forms.Form):
    member = forms.ModelChoiceField(
        label=_("Dalībnieks, kas kļūs par koordinatoru"),
        queryset=CommunityMembership.objects.none(),
    )

    def __init__(self, *args, community: Community, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = community.memberships.filter(
            role=CommunityMembership.Role.MEMBER
        ).select_related("user")
        self.fields["member"].label_from_instance = lambda m: str(m.user)


class MergeForm(forms.Form):
    target = forms.ModelChoiceField(
        label=_("Apvienot ar (paliks šī kopiena)"), queryset=Community.objects.none()
    )
    confirm = forms.BooleanField(
        label=_("Saprotu, ka šī kopiena tiks dzēsta un tās dati pārcelti."), required=True
    )

    def __init__(self, *args, community: Community, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = Community.objects.filter(
            municipality_id=community.municipality_id
        ).exclude(pk=community.pk)


class PhotoDeleteForm(forms.Form):
    photo = forms.IntegerField(widget=forms.HiddenInput)
