"""The follow-through ledger: everything a municipality was asked for or committed to, each
with an owner, a due date, a status and a public timeline.

An item comes from a meeting (an issue raised there), a submission of a council or a
community (answered within the Law on Submissions' month by default), or another module's
commitment (a competition's award, a participatory budget's winner) posted through
`services.ledger_item_record`. Every change is a dated `LedgerEntry` saying who, what and
why; the figures of how much reached an outcome are read from the columns the services
keep (`outcome_at`, `days_to_outcome`, `stale_at`), so they are aggregates in SQL.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class LedgerItem(models.Model):
    class Status(models.TextChoices):
        RAISED = "raised", _("izvirzīts")
        ACCEPTED = "accepted", _("pieņemts")
        IN_PROGRESS = "in_progress", _("tiek īstenots")
        DONE = "done", _("izpildīts")
        DECLINED = "declined", _("noraidīts")
        MERGED = "merged", _("apvienots")

    class Kind(models.TextChoices):
        ISSUE = "issue", _("sanāksmē izvirzīts jautājums")
        SUBMISSION = "submission", _("iesniegums")
        COMMITMENT = "commitment", _("pašvaldības apņemšanās")

    municipality = models.ForeignKey(
        "places.Municipality",
        on_delete=models.PROTECT,
        related_name="ledger_items",
        verbose_name=_("pašvaldība"),
    )
    kind = models.CharField(_("veids"), max_length=16, choices=Kind.choices, default=Kind.ISSUE)
    title = models.CharField(_("nosaukums"), max_length=200)
    description = models.TextField(_("apraksts"), max_length=10000, blank=True)
    # The page of what the item comes from (a meeting, an award), if another module made it.
    url = models.CharField(_("saite"), max_length=500, blank=True)
    community = models.ForeignKey(
        "communities.Community",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="ledger_items",
        verbose_name=_("kopiena"),
    )
    # Who raised it, as shown: the community's name when it was made, or a council's.
    raised_by_name = models.CharField(_("izvirzīja"), max_length=200, blank=True)
    raised_by_url = models.CharField(max_length=500, blank=True)
    # Another module's record this item mirrors ("grants.award", "17"): posted idempotently.
    source = models.CharField(max_length=40, blank=True)
    source_key = models.CharField(max_length=100, blank=True)
    latitude = models.DecimalField(
        _("platums"), max_digits=8, decimal_places=5, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("garums"), max_digits=8, decimal_places=5, null=True, blank=True
    )
    department = models.CharField(_("atbildīgā struktūrvienība"), max_length=200, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_ledger_items",
        verbose_name=_("atbildīgais"),
    )
    due_date = models.DateField(_("termiņš"), null=True, blank=True)
    status = models.CharField(
        _("statuss"), max_length=16, choices=Status.choices, default=Status.RAISED
    )
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_items",
        verbose_name=_("apvienots ar"),
    )
    # The result or, for a declined item, the reason (required then).
    outcome_note = models.TextField(_("rezultāts vai iemesls"), max_length=5000, blank=True)
    raised_at = models.DateTimeField(_("izvirzīts"))
    outcome_at = models.DateTimeField(_("rezultāts sasniegts"), null=True, blank=True)
    # Calendar days (Europe/Riga) from raising to the outcome, for the figures' medians.
    days_to_outcome = models.PositiveIntegerField(null=True, blank=True, editable=False)
    # The municipality's last word on the item (a status, an update, an assignment): a
    # community's reply does not make an item fresh. An open item is stale from `stale_at`
    # (that plus the municipality's setting), kept by the services so staleness is indexed.
    last_staff_update_at = models.DateTimeField()
    stale_at = models.DateTimeField(null=True, blank=True, editable=False)
    escalated_at = models.DateTimeField(null=True, blank=True, editable=False)
    reminded_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(db_index=True)
    # Raised by one on every change of the item's own fields: a change made from a page
    # read before someone else's change is refused instead of overwriting it.
    version = models.PositiveIntegerField(default=1)
    search_key = models.TextField(blank=True, editable=False)

    OPEN = (Status.RAISED, Status.ACCEPTED, Status.IN_PROGRESS)
    OUTCOMES = (Status.DONE, Status.DECLINED)

    class Meta:
        verbose_name = _("saistība")
        verbose_name_plural = _("saistības")
        ordering = ["-updated_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "source_key"],
                condition=~Q(source=""),
                name="ledger_item_source_once",
            ),
            models.CheckConstraint(
                condition=(Q(latitude__isnull=True) & Q(longitude__isnull=True))
                | (Q(latitude__isnull=False) & Q(longitude__isnull=False)),
                name="ledger_item_point_complete",
            ),
            models.CheckConstraint(
                condition=Q(status="merged", merged_into__isnull=False)
                | (~Q(status="merged") & Q(merged_into__isnull=True)),
                name="ledger_item_merged_has_target",
            ),
            models.CheckConstraint(
                condition=~Q(merged_into=F("id")), name="ledger_item_not_merged_into_itself"
            ),
            models.CheckConstraint(
                condition=~Q(status="declined") | ~Q(outcome_note=""),
                name="ledger_item_declined_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["done", "declined"], outcome_at__isnull=False)
                | (~Q(status__in=["done", "declined"]) & Q(outcome_at__isnull=True)),
                name="ledger_item_outcome_dated",
            ),
            models.CheckConstraint(
                condition=Q(
                    status__in=["raised", "accepted", "in_progress"], stale_at__isnull=False
                )
                | (~Q(status__in=["raised", "accepted", "in_progress"]) & Q(stale_at__isnull=True)),
                name="ledger_item_open_has_stale_at",
            ),
        ]
        indexes = [
            models.Index(fields=["municipality", "-updated_at", "-id"], name="ledger_muni_updated"),
            models.Index(
                fields=["municipality", "status", "due_date"], name="ledger_muni_status_due"
            ),
            models.Index(fields=["municipality", "raised_at"], name="ledger_muni_raised"),
            models.Index(fields=["municipality", "department"], name="ledger_muni_department"),
            models.Index(fields=["community", "status"], name="ledger_community_status"),
            models.Index(fields=["owner", "status"], name="ledger_owner_status"),
            models.Index(fields=["stale_at"], name="ledger_stale_at"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN

    @property
    def has_point(self) -> bool:
        return self.latitude is not None and self.longitude is not None

    @property
    def raiser_name(self) -> str:
        return self.community.name if self.community_id else self.raised_by_name


class LedgerEntry(models.Model):
    """One dated line of an item's public timeline: who, what and why."""

    class Kind(models.TextChoices):
        CREATED = "created", _("izvirzīts")
        STATUS = "status", _("statusa maiņa")
        DETAILS = "details", _("izmaiņas")
        UPDATE = "update", _("pašvaldības ziņa")
        REPLY = "reply", _("kopienas atbilde")
        MERGED = "merged", _("apvienošana")

    class Voice(models.TextChoices):
        MUNICIPALITY = "municipality", _("pašvaldība")
        COMMUNITY = "community", _("kopiena")
        SYSTEM = "system", _("automātiski")

    item = models.ForeignKey(LedgerItem, on_delete=models.CASCADE, related_name="entries")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    voice = models.CharField(max_length=16, choices=Voice.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Who, as shown on the public timeline when it was written (blank once erased).
    actor_name = models.CharField(max_length=200, blank=True)
    status_from = models.CharField(max_length=16, choices=LedgerItem.Status.choices, blank=True)
    status_to = models.CharField(max_length=16, choices=LedgerItem.Status.choices, blank=True)
    note = models.TextField(_("paskaidrojums"), max_length=5000, blank=True)
    # {"field": {"old": "...", "new": "..."}} in words a reader understands.
    changes = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["item", "created_at"], name="ledger_entry_item_time"),
            models.Index(fields=["-created_at", "-id"], name="ledger_entry_recent"),
        ]

    def __str__(self) -> str:
        return f"{self.item_id}: {self.kind} {self.created_at:%Y-%m-%d}"


class LedgerEvidence(models.Model):
    """A photo or document attached to a timeline entry, stored privately
    (kopiena.core.attachments) and served by a view."""

    entry = models.ForeignKey(LedgerEntry, on_delete=models.CASCADE, related_name="evidence")
    file = models.CharField(max_length=200)
    label = models.CharField(_("faila nosaukums"), max_length=150)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    kind = models.CharField(max_length=16)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.label

    @property
    def is_image(self) -> bool:
        return self.kind == "image"


class LedgerFollow(models.Model):
    """A person notified of every change of an item."""

    item = models.ForeignKey(LedgerItem, on_delete=models.CASCADE, related_name="follows")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="ledger_follows"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["item", "user"], name="ledger_follow_once")]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.item_id}"


class LedgerSettings(models.Model):
    """A municipality's ledger settings; without a row, the defaults."""

    municipality = models.OneToOneField(
        "places.Municipality", on_delete=models.CASCADE, related_name="ledger_settings"
    )
    # Empty: one calendar month, as the Law on Submissions (Iesniegumu likums) sets.
    answer_days = models.PositiveSmallIntegerField(
        _("atbildes termiņš iesniegumiem (dienas)"),
        null=True,
        blank=True,
        help_text=_("Tukšs — viens mēnesis, kā nosaka Iesniegumu likums."),
    )
    stale_after_days = models.PositiveSmallIntegerField(
        _("bez pašvaldības ziņām (dienas), līdz saistība nonāk koordinatora uzmanībā"), default=30
    )
    reminder_days = models.PositiveSmallIntegerField(
        _("atgādinājums atbildīgajam (dienas pirms termiņa)"), default=7
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("saistību iestatījumi")
        constraints = [
            models.CheckConstraint(
                condition=Q(stale_after_days__gte=1), name="ledger_settings_stale_positive"
            ),
            models.CheckConstraint(
                condition=Q(answer_days__isnull=True) | Q(answer_days__gte=1),
                name="ledger_settings_answer_positive",
            ),
        ]

    def __str__(self) -> str:
        return str(self.municipality_id)


class Liaison(models.Model):
    """A liaison person (sadarbības koordinators) between communities and the municipality:
    for the whole municipality (no communities chosen) or for a set of communities. New
    ledger items from their communities reach them, and stale ones are escalated to them."""

    municipality = models.ForeignKey(
        "places.Municipality",
        on_delete=models.CASCADE,
        related_name="liaisons",
        verbose_name=_("pašvaldība"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="liaison_roles",
        verbose_name=_("konts platformā"),
    )
    name = models.CharField(_("vārds, uzvārds"), max_length=150)
    job_title = models.CharField(_("amats"), max_length=150, blank=True)
    email = models.EmailField(_("e-pasts"), blank=True)
    phone = models.CharField(_("tālrunis"), max_length=32, blank=True)
    responsibilities = models.TextField(_("pienākumi"), max_length=3000, blank=True)
    communities = models.ManyToManyField(
        "communities.Community",
        blank=True,
        related_name="liaisons",
        verbose_name=_("kopienas"),
        help_text=_("Tukšs — visas pašvaldības kopienas."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("sadarbības koordinators")
        verbose_name_plural = _("sadarbības koordinatori")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name
