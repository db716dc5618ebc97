from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Community(models.Model):
    """A neighbourhood community (apkaimes kopiena) in one municipality."""

    name = models.CharField(_("nosaukums"), max_length=200)
    slug = models.SlugField(_("identifikators"), max_length=200, unique=True)
    municipality = models.ForeignKey(
        "places.Municipality",
        on_delete=models.PROTECT,
        related_name="communities",
        verbose_name=_("pašvaldība"),
    )
    created_at = models.DateTimeField(_("izveidots"), auto_now_add=True)

    class Meta:
        verbose_name = _("kopiena")
        verbose_name_plural = _("kopienas")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class CommunityMembership(models.Model):
    class Role(models.TextChoices):
        COORDINATOR = "coordinator", _("koordinators")
        MEMBER = "member", _("dalībnieks")

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="community_memberships"
    )
    role = models.CharField(_("loma"), max_length=16, choices=Role.choices, default=Role.MEMBER)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["community", "user"], name="membership_unique")
        ]
