"""Questionnaires, their distribution, and the answers given to them.

A question's and a choice's own fields are declared once, in
`questionnaire.schema.QuestionShape` and `ChoiceShape`: the models store them as columns
of the same names and take their types and lengths from there.

Answers are stored one row per (response, question, selected choice) so that the
results report counts any question, with or without a segment, as one indexed
GROUP BY over `Answer` instead of a loop over documents in Python.

Text that varies by language (labels, hints, messages, titles) is a JSON object
keyed by language code, for example {"lv": "Pašvaldība", "en": "Municipality"}.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .lookups import IndexedText, LongText, NonEmpty
from .questionnaire.schema import (
    ANSWERABLE_TYPES,
    APPEARANCE_MAX_LENGTH,
    CHOICE_NAME_MAX_LENGTH,
    CHOICE_TYPES,
    LANGUAGE_CODE_MAX_LENGTH,
    NAME_MAX_LENGTH,
    NUMERIC_TYPES,
    SETTING_MAX_LENGTH,
    TYPE_CHOICES,
    QuestionType,
    translated,
)


class Survey(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("melnraksts")
        PUBLISHED = "published", _("publicēta")
        CLOSED = "closed", _("slēgta")

    class Access(models.TextChoices):
        OPEN = "open", _("atvērta saite")
        INVITATION = "invitation", _("tikai ar ielūguma saitēm")

    class Paging(models.TextChoices):
        SECTIONS = "sections", _("katra sadaļa savā lapā")
        SINGLE = "single", _("visi jautājumi vienā lapā")

    slug = models.SlugField(_("identifikators"), max_length=100, unique=True)
    title = models.JSONField(_("nosaukums"), default=dict)
    description = models.JSONField(_("apraksts"), default=dict, blank=True)
    # XLSForm settings kept for a lossless export.
    form_id = models.CharField(_("veidlapas ID"), max_length=SETTING_MAX_LENGTH, blank=True)
    version = models.CharField(_("versija"), max_length=SETTING_MAX_LENGTH, blank=True)
    default_language = models.CharField(
        _("noklusējuma valoda"), max_length=LANGUAGE_CODE_MAX_LENGTH, default="lv"
    )
    # Ordered languages of the form: [{"code": "lv", "name": "Latviešu (lv)"}, ...].
    languages = models.JSONField(_("valodas"), default=list, blank=True)
    settings_extra = models.JSONField(default=dict, blank=True)
    # Bit positions of the answers' bitsets ("question id" and "question id:choice id"
    # to position), append-only so every stored bitset keeps its meaning: answer_bits.py.
    answer_layout = models.JSONField(default=dict, blank=True, editable=False)

    municipality = models.ForeignKey(
        "places.Municipality",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="surveys",
        verbose_name=_("pašvaldība"),
        help_text=_(
            "Tās darbinieki pārvalda aptauju. Tukšs: aptauju vada platformas administratori."
        ),
    )
    status = models.CharField(
        _("statuss"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    access = models.CharField(
        _("kas var atbildēt"), max_length=16, choices=Access.choices, default=Access.OPEN
    )
    anonymous = models.BooleanField(
        _("anonīma"),
        default=True,
        help_text=_(
            "Kopā ar atbildēm netiek glabāts ne lietotājs, ne IP adrese, ne cits identifikators."
        ),
    )
    paging = models.CharField(
        _("lapas"), max_length=16, choices=Paging.choices, default=Paging.SECTIONS
    )
    opens_at = models.DateTimeField(_("atveras"), null=True, blank=True)
    closes_at = models.DateTimeField(_("aizveras"), null=True, blank=True)
    min_group_size = models.PositiveSmallIntegerField(
        _("mazākais grupas lielums"),
        default=5,
        help_text=_("Respondentu grupas, kas mazākas par šo, pārskatos netiek rādītas."),
    )

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("izveidots"), auto_now_add=True)
    updated_at = models.DateTimeField(_("atjaunināts"), auto_now=True)

    class Meta:
        verbose_name = _("aptauja")
        verbose_name_plural = _("aptaujas")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title_text or self.slug

    @property
    def title_text(self) -> str:
        return translated(self.title, fallback=self.default_language)


class ChoiceList(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="choice_lists")
    name = models.CharField(_("saraksta nosaukums"), max_length=NAME_MAX_LENGTH)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["survey", "name"], name="choice_list_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class Choice(models.Model):
    choice_list = models.ForeignKey(ChoiceList, on_delete=models.CASCADE, related_name="choices")
    position = models.PositiveIntegerField(_("secība"))
    name = models.CharField(_("nosaukums"), max_length=CHOICE_NAME_MAX_LENGTH)
    label = models.JSONField(_("teksts"), default=dict)
    extra = models.JSONField(default=dict, blank=True)
    # Archived choices keep the answers already given but are no longer offered.
    is_archived = models.BooleanField(_("arhivēts"), default=False)

    class Meta:
        ordering = ["choice_list", "position"]
        constraints = [
            models.UniqueConstraint(fields=["choice_list", "name"], name="choice_unique_name")
        ]

    def __str__(self) -> str:
        return self.label_text or self.name

    @property
    def label_text(self) -> str:
        return translated(self.label)


class Question(models.Model):
    """One row of the questionnaire: a question, a note, or a group (section)."""

    Type = QuestionType
    CHOICE_TYPES = CHOICE_TYPES
    NUMERIC_TYPES = NUMERIC_TYPES
    ANSWERABLE_TYPES = ANSWERABLE_TYPES

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    # Position in the whole form; a group's members follow it, nested by `group`.
    position = models.PositiveIntegerField(_("secība"))
    group = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="members",
        limit_choices_to={"type": "group"},
        verbose_name=_("sadaļa"),
    )
    name = models.CharField(_("nosaukums"), max_length=NAME_MAX_LENGTH)
    type = models.CharField(_("tips"), max_length=16, choices=TYPE_CHOICES)
    label = models.JSONField(_("teksts"), default=dict, blank=True)
    hint = models.JSONField(_("paskaidrojums"), default=dict, blank=True)
    required = models.BooleanField(_("obligāts"), default=False)
    required_message = models.JSONField(_("paziņojums, ja nav atbildēts"), default=dict, blank=True)
    # XPath expressions as in XLSForm; evaluated by kopiena.surveys.questionnaire.expressions.
    relevant = models.TextField(_("rāda, ja"), blank=True)
    constraint = models.TextField(_("ierobežojums"), blank=True)
    constraint_message = models.JSONField(
        _("paziņojums par ierobežojumu"), default=dict, blank=True
    )
    appearance = models.CharField(_("izskats"), max_length=APPEARANCE_MAX_LENGTH, blank=True)
    # RESTRICT, not PROTECT: a list in use can't be deleted on its own, but deleting
    # the whole survey (which deletes its questions too) goes through.
    choice_list = models.ForeignKey(
        ChoiceList,
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="questions",
        verbose_name=_("izvēļu saraksts"),
    )
    has_other = models.BooleanField(_("atļauj citu atbildi"), default=False)
    parameters = models.JSONField(default=dict, blank=True)
    extra = models.JSONField(default=dict, blank=True)
    # Archived questions keep the answers already given but are no longer asked.
    is_archived = models.BooleanField(_("arhivēts"), default=False)

    class Meta:
        ordering = ["survey", "position"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "name"], name="question_unique_name"),
            models.CheckConstraint(
                condition=Q(choice_list__isnull=True)
                | Q(type__in=["select_one", "select_multiple"]),
                name="question_choice_list_only_for_selects",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def label_text(self) -> str:
        return translated(self.label, fallback=self.survey.default_language)

    @property
    def is_answerable(self) -> bool:
        return self.type in self.ANSWERABLE_TYPES


class Invitation(models.Model):
    """A private link through which one community answers a survey once."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="invitations")
    community = models.ForeignKey(
        "communities.Community",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="survey_invitations",
    )
    label = models.CharField(_("uzaicinātais"), max_length=200, blank=True)
    token = models.CharField(max_length=64, unique=True)
    email = models.EmailField(_("nosūtīts"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    used_at = models.DateTimeField(_("atbildēts"), null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "community"],
                condition=Q(community__isnull=False),
                name="invitation_one_per_community",
            )
        ]

    def __str__(self) -> str:
        return self.label or str(self.community or self.token[:8])


class ImportBatch(models.Model):
    """One upload of responses collected elsewhere, from preview to the end of its import."""

    class Status(models.TextChoices):
        PREVIEW = "preview", _("gaida apstiprinājumu")
        QUEUED = "queued", _("rindā")
        RUNNING = "running", _("importē")
        DONE = "done", _("importēts")
        FAILED = "failed", _("neizdevās")

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="import_batches")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    file = models.FileField(upload_to="imports/%Y/%m/", blank=True)
    original_name = models.CharField(max_length=255, blank=True)
    format = models.CharField(max_length=32, blank=True)
    strict = models.BooleanField(default=False)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PREVIEW)
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    imported_rows = models.PositiveIntegerField(default=0)
    duplicate_rows = models.PositiveIntegerField(default=0)
    # Problems found, as [{"row": 3, "column": "B", "header": "...", "message": "..."}].
    problems = models.JSONField(default=list, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.original_name or self.format} ({self.get_status_display()})"


class Response(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("aizpildīšanā")
        COMPLETE = "complete", _("iesniegta")

    class Source(models.TextChoices):
        WEB = "web", _("tīmekļa veidlapa")
        IMPORT = "import", _("imports")

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    source = models.CharField(max_length=16, choices=Source.choices, default=Source.WEB)
    created_at = models.DateTimeField(_("sākta"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("iesniegta"), null=True, blank=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    invitation = models.OneToOneField(
        Invitation, on_delete=models.SET_NULL, null=True, blank=True, related_name="response"
    )
    community = models.ForeignKey(
        "communities.Community",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="survey_responses",
    )
    # Only for surveys that are not anonymous.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="survey_responses",
    )
    # Save-and-resume: only a hash of the private link's token is stored.
    resume_token_hash = models.CharField(max_length=64, blank=True, db_index=True)
    resume_expires_at = models.DateTimeField(null=True, blank=True)
    import_batch = models.ForeignKey(
        ImportBatch, on_delete=models.SET_NULL, null=True, blank=True, related_name="responses"
    )
    # Imports: a digest of the source row, so importing the same file twice adds nothing.
    fingerprint = models.CharField(max_length=64, blank=True)
    external_id = models.CharField(max_length=200, blank=True)
    # A submitted response's questions answered and choices chosen, one bit each at the
    # survey's `answer_layout` positions, so a report counts a million responses in one
    # read of this table (answer_bits.py). Null: not encoded yet, read from the answers.
    answer_bits = models.BinaryField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-submitted_at", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "fingerprint"],
                condition=~Q(fingerprint=""),
                name="response_unique_fingerprint",
            )
        ]
        indexes = [models.Index(fields=["survey", "status", "submitted_at"])]

    def __str__(self) -> str:
        return f"{self.survey_id}#{self.pk} ({self.get_status_display()})"


class Answer(models.Model):
    """One value of one response to one question.

    select_one: one row with `choice`; select_multiple: one row per selected choice;
    an answer matching no choice: a row with no `choice`, `is_other` set and the text
    kept verbatim; numbers and ratings in `number` (a select_one whose choice names
    are integers also stores the integer), dates in `date`, text in `text`.
    """

    # No single-column indexes on response and question: the composite indexes below
    # lead with them, and every extra index costs bulk imports (bench/RESULTS.md).
    response = models.ForeignKey(
        Response, on_delete=models.CASCADE, related_name="answers", db_index=False
    )
    # Question and choice are not foreign keys in the database (the ORM still joins):
    # a database checks each row's keys one by one, and for the 2.4 million answers of a
    # 100,000-row import these two checks took 15 s on PostgreSQL, an index on the
    # choice alone 3 s more (bench/RESULTS.md). Both point into the survey's own
    # questionnaire, which never loses an answered question or choice: those are
    # archived, not deleted (services.questions.question_archive, choice_archive). Hence
    # also DO_NOTHING for a choice: only unchosen choices are ever deleted, and finding
    # their (absent) answers would need that index; a survey's deletion removes its
    # answers through its responses and questions.
    question = models.ForeignKey(
        Question,
        on_delete=models.CASCADE,
        related_name="answers",
        db_index=False,
        db_constraint=False,
    )
    choice = models.ForeignKey(
        Choice,
        on_delete=models.DO_NOTHING,
        null=True,
        blank=True,
        related_name="answers",
        db_index=False,
        db_constraint=False,
    )
    text = models.TextField(blank=True)
    number = models.DecimalField(max_digits=20, decimal_places=6, null=True, blank=True)
    date = models.DateField(null=True, blank=True)
    is_other = models.BooleanField(default=False)

    class Meta:
        indexes = [
            # Counting by question and choice, and joining a segment on response.
            models.Index(fields=["question", "choice", "response"], name="answer_count_idx"),
            # A response's answers; with the choice it covers a segment's counts (reports).
            models.Index(
                fields=["response", "question", "choice"], name="answer_response_choice_idx"
            ),
        ]
        # On SQLite only (migration surveys.0009), `answer_text_idx`: the non-empty texts
        # by question, choice and response, so that a report reads a question's open
        # answers from the index alone (`text__nonempty`, lookups.py). On PostgreSQL only
        # (migration surveys.0010), `answer_text_pg_idx` holds the texts of up to 2,000
        # bytes with (question, response) for rows without a choice (`text__indexed`), and
        # `answer_long_text_pg_idx` finds the longer ones (`text__long`).

    def __str__(self) -> str:
        return f"{self.response_id}/{self.question_id}"


for _lookup in (NonEmpty, IndexedText, LongText):
    Answer._meta.get_field("text").register_lookup(_lookup)
