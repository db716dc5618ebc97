from django.db import models
from django.utils.translation import gettext_lazy as _


class Municipality(models.Model):
    """One of Latvia's municipalities (pašvaldība) since the 2021 reform."""

    class Kind(models.TextChoices):
        STATE_CITY = "valstspilsēta", _("valstspilsēta")
        COUNTY = "novads", _("novads")

    slug = models.SlugField(_("identifier"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=128, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    # ATVK: the administrative-territory classifier code; blank where not yet known.
    atvk = models.CharField(_("ATVK code"), max_length=7, blank=True)

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["atvk"], condition=~models.Q(atvk=""), name="municipality_atvk_unique"
            )
        ]

    def __str__(self) -> str:
        return self.name
