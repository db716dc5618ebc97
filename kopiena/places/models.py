from django.db import models
from django.utils.translation import gettext_lazy as _


class Municipality(models.Model):
    """One of Latvia's municipalities (pašvaldība) since the 2021 reform."""

    class Kind(models.TextChoices):
        STATE_CITY = "valstspilsēta", _("valstspilsēta")
        COUNTY = "novads", _("novads")

    slug = models.SlugField(_("identifikators"), max_length=64, unique=True)
    name = models.CharField(_("nosaukums"), max_length=128, unique=True)
    kind = models.CharField(_("veids"), max_length=16, choices=Kind.choices)
    # ATVK: the administrative-territory classifier code; blank where not yet known.
    atvk = models.CharField(_("ATVK kods"), max_length=7, blank=True)

    class Meta:
        verbose_name = _("pašvaldība")
        verbose_name_plural = _("pašvaldības")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["atvk"], condition=~models.Q(atvk=""), name="municipality_atvk_unique"
            )
        ]

    def __str__(self) -> str:
        return self.name
