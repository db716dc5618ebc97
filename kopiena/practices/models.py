"""The good-practice library (cases, replication requests and their threads) and know-how guides.

Instrument codes are those of the reference survey's support-instrument list and its list
of support received, so a case can be matched against survey answers without a mapping.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Instrument(models.TextChoices):
    """Survey lists `instruments` (what should help) and `support_received` (what did)."""

    PRACTICE_EXCHANGE = "prakses", _("labās prakses popularizēšana, pieredzes apmaiņa")
    INFORMATION = "info", _("informatīvs atbalsts kopienas veidošanai")
    FOUNDING_FUNDING = (
        "finansejums_izveidei",
        _("finansējums izveides organizatoriskiem izdevumiem"),
    )
    PLATFORM = "platforma", _("kopīga kopienu platforma")
    COUNCIL = "padome", _("vieta konsultatīvajā padomē")
    PERMANENT_FUNDING = "pastavigs_finansejums", _("pastāvīgs administratīvo izdevumu finansējums")
    INFRASTRUCTURE = "infrastruktura", _("finansējums apkaimes infrastruktūrai")
    BONUSES = "bonusi", _("bonusi apkaimēm ar vienotu kopienu")
    COMPETITION = "projektu_konkurss", _("pašvaldības projektu konkurss")
    OFFICIALS_TOOK_PART = "piedalijusies", _("pašvaldības pārstāvji piedalījās")
    PREMISES = "telpas", _("telpas")
    REAL_HELP = "reala_palidziba", _("reāla palīdzība problēmas risināšanā")


class Topic(models.TextChoices):
    """What a case or a news post is about; shared by the library and the network."""

    ENVIRONMENT = "vide", _("vide un labiekārtošana")
    EVENTS = "pasakumi", _("pasākumi un svētki")
    CULTURE = "kultura", _("kultūra un radošums")
    SPORTS = "sports", _("sports un atpūta")
    TRANSPORT = "satiksme", _("satiksme un ceļi")
    PARTICIPATION = "lidzdaliba", _("līdzdalība un sadarbība")
    INFORMATION = "informacija", _("informācija un saziņa")
    OTHER = "cits", _("cits")


class PracticeCase(models.Model):
    """A good-practice case; a coordinator writes it, municipality staff publish it."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("melnraksts")
        SUBMITTED = "submitted", _("iesniegts izskatīšanai")
        PUBLISHED = "published", _("publicēts")
        RETURNED = "returned", _("atgriezts labošanai")

    title = models.CharField(_("nosaukums"), max_length=200)
    slug = models.SlugField(_("identifikators"), max_length=200, unique=True)
    summary = models.TextField(_("kopsavilkums"), max_length=600)
    story = models.TextField(_("stāsts"), blank=True)
    # NULL for the survey's examples: the summary does not say which community gave them.
    community = models.ForeignKey(
        "communities.Community",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="practice_cases",
        verbose_name=_("kopiena"),
    )
    municipality = models.ForeignKey(
        "places.Municipality",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="practice_cases",
        verbose_name=_("pašvaldība"),
    )
    topic = models.CharField(_("tēma"), max_length=16, choices=Topic.choices, default=Topic.OTHER)
    cost = models.CharField(_("izmaksas"), max_length=200, blank=True)
    funding_source = models.CharField(_("finansējuma avots"), max_length=200, blank=True)
    outcome = models.TextField(_("rezultāts"), blank=True)
    contact_name = models.CharField(_("kontaktpersona"), max_length=200, blank=True)
    contact_email = models.EmailField(_("kontaktpersonas e-pasts"), blank=True)
    status = models.CharField(
        _("statuss"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    review_note = models.TextField(_("izskatītāja piezīme"), blank=True)
    # Where a seeded case comes from ("aptauja-2023-07"); the loader finds it again by this key.
    seed_key = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)
    source_note = models.CharField(_("avots"), max_length=300, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(null=True, blank=True, db_index=True)
    # Title, summary, story and place folded to lower-case ASCII by the services.
    search_key = models.TextField(blank=True, editable=False)

    class Meta:
        verbose_name = _("labās prakses piemērs")
        verbose_name_plural = _("labās prakses piemēri")
        ordering = ["-published_at", "-id"]
        indexes = [models.Index(fields=["status", "-published_at"], name="case_status_pub_idx")]

    def __str__(self) -> str:
        return self.title


class CaseInstrument(models.Model):
    """One support instrument a case illustrates."""

    case = models.ForeignKey(PracticeCase, on_delete=models.CASCADE, related_name="instruments")
    code = models.CharField(max_length=32, choices=Instrument.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "code"], name="case_instrument_unique")
        ]

    def __str__(self) -> str:
        return self.code


class CasePhoto(models.Model):
    """A photo re-encoded by the registry's image checks, stored under a generated name."""

    case = models.ForeignKey(PracticeCase, on_delete=models.CASCADE, related_name="photos")
    file = models.CharField(max_length=200)
    caption = models.CharField(_("paraksts"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.file


class ReplicationRequest(models.Model):
    """ "We want to do this too": one asking community's request on a case, opening a thread."""

    case = models.ForeignKey(
        PracticeCase, on_delete=models.CASCADE, related_name="replication_requests"
    )
    community = models.ForeignKey(
        "communities.Community", on_delete=models.CASCADE, related_name="replication_requests"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "community"], name="replication_once")
        ]

    def __str__(self) -> str:
        return f"{self.community_id} → {self.case_id}"


class ThreadMessage(models.Model):
    """A message in a replication request's thread, written for one of its two sides: the
    asking community, and the case's community — or, for a case no community wrote (the
    seeded examples), the case's municipality, whose staff answer."""

    request = models.ForeignKey(
        ReplicationRequest, on_delete=models.CASCADE, related_name="messages"
    )
    community = models.ForeignKey(
        "communities.Community", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    municipality = models.ForeignKey(
        "places.Municipality", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    body = models.TextField(_("ziņa"), max_length=5000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(community__isnull=True) ^ Q(municipality__isnull=True),
                name="thread_message_one_side",
            )
        ]

    def __str__(self) -> str:
        return self.body[:60]

    @property
    def side_name(self) -> str:
        return self.community.name if self.community_id else self.municipality.name


class Guide(models.Model):
    """A know-how guide; every save keeps a GuideRevision."""

    slug = models.SlugField(_("identifikators"), max_length=100, unique=True)
    title = models.CharField(_("nosaukums"), max_length=200)
    summary = models.CharField(_("īss apraksts"), max_length=400, blank=True)
    # Markdown; each "## " heading starts a section with its own anchor.
    body = models.TextField(_("saturs"))
    position = models.PositiveSmallIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("rokasgrāmata")
        verbose_name_plural = _("rokasgrāmatas")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.title


class GuideRevision(models.Model):
    guide = models.ForeignKey(Guide, on_delete=models.CASCADE, related_name="revisions")
    title = models.CharField(max_length=200)
    summary = models.CharField(max_length=400, blank=True)
    body = models.TextField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.CharField(_("izmaiņu apraksts"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.title} ({self.created_at:%d.%m.%Y %H:%M})"
