"""Neighbourhood communities, the people in them, and the record of every profile change.

The bands (residents covered, active core, legal status, start trigger) use the same
codes as the choice lists of the reference survey (`kopienu-aptauja.xlsx`), so a
survey answer and a profile can be compared or pre-filled without a mapping table.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Population(models.TextChoices):
    """Survey list `population`."""

    UP_TO_200 = "lidz_200", _("līdz 200 iedzīvotājiem")
    FROM_200 = "200_1000", _("200–1000 iedzīvotāju")
    FROM_1000 = "1000_3000", _("1000–3000 iedzīvotāju")
    OVER_3000 = "virs_3000", _("vairāk nekā 3000 iedzīvotāju")


class YearsActive(models.TextChoices):
    """Survey list `years_active`; a profile derives it from the founding year."""

    FORMING = "veidojas", _("vēl veidojas")
    UP_TO_3 = "lidz_3", _("līdz 3 gadiem")
    FROM_3 = "3_6", _("3–6 gadi")
    OVER_6 = "virs_6", _("vairāk nekā 6 gadi")


class LegalStatus(models.TextChoices):
    """Survey list `legal_status`."""

    ASSOCIATION = "biedriba", _("biedrība")
    NEEDED = "vajadzigs", _("neformāla grupa, biedrība vajadzīga")
    NOT_NEEDED = "nevajag", _("neformāla grupa, biedrība nav vajadzīga")


class ActiveCore(models.TextChoices):
    """Survey list `active_core`."""

    ONE_TWO = "1_2", _("1–2 iedzīvotāji")
    THREE_SIX = "3_6", _("3–6 iedzīvotāji")
    ABOUT_10 = "ap_10", _("ap 10 iedzīvotāju")
    FROM_20 = "20_30", _("20–30 iedzīvotāju")
    OVER_30 = "virs_30", _("vairāk nekā 30 iedzīvotāju")


class StartTrigger(models.TextChoices):
    """Survey list `start_trigger`."""

    ASSOCIATION = "biedriba", _("biedrības dibināšana")
    MEETING = "kopsapulce", _("iedzīvotāju kopsapulce")
    WORK_DAY = "talka", _("talka vai cita kopīga fiziska darbība")
    CELEBRATION = "svetki", _("svētki, atmiņu pasākums")
    PROJECT = "projekts", _("projekts")
    SPORTS = "sports", _("sportiskas aktivitātes")


class Community(models.Model):
    """A neighbourhood community (apkaimes kopiena) in one municipality."""

    class Status(models.TextChoices):
        FORMING = "forming", _("veidojas")
        ACTIVE = "active", _("darbojas")
        DORMANT = "dormant", _("neaktīva")

    name = models.CharField(_("nosaukums"), max_length=200)
    slug = models.SlugField(_("identifikators"), max_length=200, unique=True)
    municipality = models.ForeignKey(
        "places.Municipality",
        on_delete=models.PROTECT,
        related_name="communities",
        verbose_name=_("pašvaldība"),
    )
    created_at = models.DateTimeField(_("izveidots"), auto_now_add=True)
    updated_at = models.DateTimeField(_("pēdējās izmaiņas"), auto_now=True)

    status = models.CharField(
        _("statuss"), max_length=16, choices=Status.choices, default=Status.ACTIVE
    )
    neighbourhood = models.CharField(_("apkaime"), max_length=200, blank=True)
    latitude = models.DecimalField(
        _("platums"), max_digits=8, decimal_places=5, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("garums"), max_digits=8, decimal_places=5, null=True, blank=True
    )
    population = models.CharField(
        _("iedzīvotāju skaits apkaimē"), max_length=16, choices=Population.choices, blank=True
    )
    # NULL: the community is still forming (survey answer "veidojas").
    founded_year = models.PositiveSmallIntegerField(_("dibināšanas gads"), null=True, blank=True)
    legal_status = models.CharField(
        _("juridiskā forma"), max_length=16, choices=LegalStatus.choices, blank=True
    )
    registration_number = models.CharField(_("reģistrācijas numurs"), max_length=11, blank=True)
    active_core = models.CharField(
        _("aktīvo dalībnieku skaits"), max_length=16, choices=ActiveCore.choices, blank=True
    )
    start_trigger = models.CharField(
        _("kas bija darbības sākums"), max_length=16, choices=StartTrigger.choices, blank=True
    )
    description = models.TextField(_("apraksts"), blank=True)
    public_email = models.EmailField(_("publiskais e-pasts"), blank=True)
    public_phone = models.CharField(_("publiskais tālrunis"), max_length=32, blank=True)
    private_email = models.EmailField(_("e-pasts saziņai ar pašvaldību"), blank=True)
    private_phone = models.CharField(_("tālrunis saziņai ar pašvaldību"), max_length=32, blank=True)
    # [{"title": "...", "url": "https://..."}]; only http(s) URLs are accepted by the services.
    links = models.JSONField(_("saites"), default=list, blank=True)
    logo = models.CharField(_("logotips"), max_length=200, blank=True)

    # Maintained by the services: the name, neighbourhood and municipality folded to
    # lower-case ASCII, so "kekava" finds "Ķekava" with a plain indexed comparison.
    search_key = models.CharField(max_length=500, blank=True, db_index=True, editable=False)
    # The ICU Latvian collation key of the name: its byte order is Latvian alphabetical
    # order on every database (bytes compare without any collation), so ordering and
    # pagination stay in SQL.
    sort_key = models.BinaryField(max_length=1000, default=b"", editable=False)

    class Meta:
        verbose_name = _("kopiena")
        verbose_name_plural = _("kopienas")
        # With the name second, rows made without the services (no key yet) still sort sensibly.
        ordering = ["sort_key", "name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(registration_number="") | Q(legal_status="biedriba"),
                name="community_registration_only_for_associations",
            ),
            models.CheckConstraint(
                condition=(Q(latitude__isnull=True) & Q(longitude__isnull=True))
                | (Q(latitude__isnull=False) & Q(longitude__isnull=False)),
                name="community_point_complete",
            ),
        ]
        indexes = [
            models.Index(fields=["sort_key", "id"], name="community_sort_idx"),
            models.Index(fields=["municipality", "sort_key"], name="community_muni_sort_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def has_point(self) -> bool:
        return self.latitude is not None and self.longitude is not None


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

    def __str__(self) -> str:
        return f"{self.user} — {self.community} ({self.get_role_display()})"


class CommunityPhoto(models.Model):
    """A photo re-encoded by the services (no EXIF), stored under a generated name."""

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="photos")
    file = models.CharField(max_length=200)
    caption = models.CharField(_("paraksts"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.caption or self.file


class ProfileChange(models.Model):
    """One save of a community profile: who, when, and each field's old and new value."""

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="changes")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="community_profile_changes",
    )
    created_at = models.DateTimeField(_("laiks"), auto_now_add=True, db_index=True)
    # {"field": {"old": ..., "new": ...}}; a creation or merge says so in `action`.
    changes = models.JSONField(default=dict)
    action = models.CharField(max_length=32, default="update")

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.community_id}: {self.action} {self.created_at:%Y-%m-%d %H:%M}"


class CoordinatorInvitation(models.Model):
    """An e-mailed link that makes the person who accepts it a coordinator.

    Only a hash of the token is stored; the link works once, before it expires, and
    only for an account with the invited e-mail address.
    """

    community = models.ForeignKey(
        Community, on_delete=models.CASCADE, related_name="coordinator_invitations"
    )
    email = models.EmailField(_("e-pasts"))
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    def __str__(self) -> str:
        return f"{self.email} → {self.community_id}"
