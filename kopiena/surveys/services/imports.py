"""Importing responses collected elsewhere: preview, import, and the web upload's batches.

The file is read as a stream and written in chunks, all inside one transaction: any
problem in any row leaves the database as it was, and the result names every row and
column at fault. Each response carries a fingerprint of its row, so importing the same
file (or a later export that repeats it) twice adds nothing the second time.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, NamedTuple

from django.core.cache import cache
from django.core.files.uploadedfile import UploadedFile
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kopiena.core.processes import produced_in_child

from ..imports import AUTO, FORMATS, Plan, Problem, TableError, detect_format, open_table
from ..imports.columns import ParsedRow, Role
from ..models import Answer, ImportBatch, Response, Survey
from ..questionnaire.answers import AnswerValue
from ..questionnaire.schema import QuestionnaireSchema
from ..selectors import survey_schema
from .responses import survey_answer_layout

CHUNK_ROWS = 2_000
# Problems beyond this many are counted, not listed: one broken column in a big file
# would otherwise repeat the same message for every row.
MAX_PROBLEMS = 200
# How many Answer values keep their columns converted for the database (see _Writer).
CONVERTED_LIMIT = 50_000
ANSWER_COLUMNS = ("response_id", "question_id", "choice_id", "text", "number", "date", "is_other")
RESPONSE_COLUMNS = (
    "survey_id",
    "status",
    "source",
    "created_at",
    "submitted_at",
    "updated_at",
    "resume_token_hash",
    "import_batch_id",
    "fingerprint",
    "external_id",
    "answer_bits",
)

Source = IO[bytes] | Path | bytes
Progress = Callable[[int], None]


@dataclass
class ImportResult:
    """What an import did (or, for a preview, would do)."""

    format: str
    columns: list[dict]
    total_rows: int = 0
    imported: int = 0
    duplicates: int = 0
    problems: list[Problem] = field(default_factory=list)
    problem_count: int = 0
    batch: ImportBatch | None = None

    @property
    def ok(self) -> bool:
        return not self.problem_count

    @property
    def unknown_columns(self) -> list[dict]:
        return [column for column in self.columns if column["role"] == Role.UNKNOWN]

    def add_problem(self, problem: Problem) -> None:
        self.problem_count += 1
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(problem)


class ImportRejected(ValueError):
    """The file was not imported; `result.problems` says where and why."""

    def __init__(self, result: ImportResult):
        self.result = result
        super().__init__("; ".join(str(problem) for problem in result.problems[:5]))


@contextlib.contextmanager
def _binary(source: Source) -> Iterator[IO[bytes]]:
    if isinstance(source, bytes):
        yield io.BytesIO(source)
    elif isinstance(source, Path):
        with source.open("rb") as opened:
            yield opened
    else:
        yield source


class _Scan:
    """One pass over a file: rows parsed, fingerprinted and checked, in chunks."""

    def __init__(self, *, survey: Survey, source: IO[bytes], format: str, strict: bool):
        self.survey = survey
        self.strict = strict
        try:
            table = open_table(source)
        except TableError as error:
            raise ImportRejected(self._file_result(format, error)) from None
        import_format = detect_format(table.headers) if format == AUTO else FORMATS[format]
        self.table = table
        self.plan = Plan(import_format, table.headers, survey_schema(survey))
        self.result = ImportResult(
            format=import_format.name, columns=[column.as_dict() for column in self.plan.columns]
        )
        if not self.plan.answer_columns:
            self.result.add_problem(
                Problem(1, None, "", _("Neviena kolonna neatbilst nevienam aptaujas jautājumam."))
            )
            raise ImportRejected(self.result)
        self._occurrences: Counter[bytes] = Counter()

    @staticmethod
    def _file_result(format: str, error: TableError) -> ImportResult:
        result = ImportResult(format=format, columns=[])
        result.add_problem(Problem(error.row, error.column, "", error.message))
        return result

    def chunks(self, prepare: Callable[[list[ParsedRow]], list] = list) -> Iterator[list]:
        """The file's rows, without those imported before, each chunk as `prepare` makes
        it of the parsed rows (each item with the row's `fingerprint`).

        Parsing and `prepare` run in a child process (kopiena/core/processes.py) while
        this one writes the chunks before: for a big file, two cores instead of one.
        """
        for problems, prepared in produced_in_child(lambda: self._prepared_chunks(prepare)):
            for problem in problems:
                self.result.add_problem(problem)
            yield self._without_duplicates(prepared)

    def _prepared_chunks(self, prepare: Callable) -> Iterator[tuple[list[Problem], list]]:
        """Runs in the child, without the database: each chunk's problems, and its rows as
        prepared; a file that cannot be read further ends with the problem saying where."""
        for chunk in self._parsed_chunks():
            if isinstance(chunk, Problem):
                yield [chunk], []
            else:
                yield [problem for row in chunk for problem in row.problems], prepare(chunk)

    def _parsed_chunks(self) -> Iterator[list[ParsedRow] | Problem]:
        chunk: list[ParsedRow] = []
        rows = self.table.rows
        while True:
            try:
                number, cells = next(rows)
            except StopIteration:
                break
            except TableError as error:
                if chunk:
                    yield chunk
                yield Problem(error.row, error.column, "", error.message)
                return
            row = self.plan.read_row(number, cells, strict=self.strict)
            row.fingerprint = self._fingerprint(row)
            chunk.append(row)
            if len(chunk) >= CHUNK_ROWS:
                yield chunk
                chunk = []
        if chunk:
            yield chunk

    def _fingerprint(self, row: ParsedRow) -> str:
        """The row's values, plus how many identical rows came before it in this file."""
        # Sorted by name (names are unique, so values are never compared).
        values = [
            (name, value.strip() if value.__class__ is str else value)
            for name, value in sorted(row.values.items())
        ]
        submitted = row.submitted_at.isoformat() if row.submitted_at else ""
        # repr() of strings, lists and dates is stable, and faster than JSON on long texts.
        payload = repr((row.external_id, submitted, values))
        digest = hashlib.sha256(payload.encode()).digest()
        self._occurrences[digest] += 1
        return hashlib.sha256(digest + b"#%d" % self._occurrences[digest]).hexdigest()

    def _without_duplicates(self, chunk: list) -> list:
        self.result.total_rows += len(chunk)
        known = set(
            Response.objects.filter(
                survey=self.survey, fingerprint__in=[row.fingerprint for row in chunk]
            ).values_list("fingerprint", flat=True)
        )
        self.result.duplicates += len(known)
        return [row for row in chunk if row.fingerprint not in known]


def import_preview(
    *, survey: Survey, source: Source, filename: str = "", format: str = AUTO, strict: bool = False
) -> ImportResult:
    """How the file's columns map to questions, and every problem, without writing anything.

    Raises ImportRejected when the file cannot be read as a table of this survey at all.
    """
    with _binary(source) as binary:
        scan = _Scan(survey=survey, source=binary, format=format, strict=strict)
        for fresh in scan.chunks():
            scan.result.imported += len(fresh)
    return scan.result


@transaction.atomic
def response_import(
    *,
    survey: Survey,
    source: Source,
    filename: str = "",
    format: str = AUTO,
    strict: bool = False,
    actor=None,
    batch: ImportBatch | None = None,
    progress: Progress | None = None,
) -> ImportResult:
    """Import every row of a file as a complete response, or nothing (ImportRejected)."""
    started = timezone.now()
    with _binary(source) as binary:
        scan = _Scan(survey=survey, source=binary, format=format, strict=strict)
        result = scan.result
        if batch is None:
            batch = ImportBatch.objects.create(
                survey=survey,
                created_by=actor,
                original_name=filename[:255],
                format=result.format,
                strict=strict,
                status=ImportBatch.Status.RUNNING,
            )
        writer = _Writer(survey=survey, batch=batch, submitted_at=started, schema=scan.plan.schema)
        for fresh in scan.chunks(writer.prepare):
            if result.ok:
                writer.write(fresh)
                result.imported += len(fresh)
            if progress is not None:
                progress(result.total_rows)
    if not result.ok:
        raise ImportRejected(result)
    batch.format = result.format
    batch.status = ImportBatch.Status.DONE
    batch.total_rows = batch.processed_rows = result.total_rows
    batch.imported_rows = result.imported
    batch.duplicate_rows = result.duplicates
    batch.problems = []
    batch.finished_at = timezone.now()
    batch.save()
    result.batch = batch
    return result


class _Prepared(NamedTuple):
    """An imported row as the database takes it, made in the parsing process."""

    fingerprint: str
    submitted_at: object
    external_id: str
    answer_bits: bytes
    # SQLite: each answer's columns after its response id; PostgreSQL: COPY lines.
    answers: list


class _Writer:
    """Bulk inserts of plain rows: some 25 answers per response make model instances too slow.

    PostgreSQL gets the rows through COPY, SQLite through executemany; the new
    responses' ids are then read back by their fingerprints, unique in the survey.
    Every column of both tables is given, as the ORM would. An answer's columns other
    than its response are converted once per AnswerValue: the rows' Answer values are
    mostly shared through the plan's memo, so a 100,000-row file converts a few thousand.
    """

    def __init__(
        self, *, survey: Survey, batch: ImportBatch, submitted_at, schema: QuestionnaireSchema
    ):
        self.survey = survey
        self.batch = batch
        self.submitted_at = submitted_at
        self._encode = survey_answer_layout(survey=survey, schema=schema).encode
        ops = connection.ops
        self._datetime = ops.adapt_datetimefield_value
        self._date = ops.adapt_datefield_value
        number_field = Answer._meta.get_field("number")
        self._digits = (number_field.max_digits, number_field.decimal_places)
        self._number = ops.adapt_decimalfield_value
        self._postgresql = connection.vendor == "postgresql"
        # id(AnswerValue) → (the value, its converted columns); the value is kept so
        # that its id cannot be reused by another object while the import runs.
        self._converted: dict[int, tuple[AnswerValue, tuple | str]] = {}
        if connection.vendor == "sqlite":
            # A bigger page cache for this connection: the answer table's indexes are
            # updated on every row, and SQLite's default cache is 2 MB.
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA cache_size = -65536")

    def prepare(self, rows: list[ParsedRow]) -> list[_Prepared]:
        """The rows as the database takes them, all but their response ids: this runs in
        the parsing process (no database), so the writing process only adds the ids."""
        convert = self._copy_line if self._postgresql else self._columns
        default_time = self.submitted_at
        return [
            _Prepared(
                row.fingerprint,
                self._datetime(row.submitted_at or default_time),
                row.external_id,
                self._encode([(answer.question_id, answer.choice_id) for answer in row.answers]),
                self._converted_answers(row, convert),
            )
            for row in rows
        ]

    def write(self, rows: list[_Prepared]) -> None:
        if not rows:
            return
        now = self._datetime(timezone.now())
        head = (self.survey.pk, Response.Status.COMPLETE, Response.Source.IMPORT, now)
        responses = [
            (
                *head,
                row.submitted_at,
                now,
                "",
                self.batch.pk,
                row.fingerprint,
                row.external_id,
                row.answer_bits,
            )
            for row in rows
        ]
        with connection.cursor() as cursor:
            if self._postgresql:
                with cursor.copy(_copy_sql(Response, RESPONSE_COLUMNS)) as copy:
                    for response in responses:
                        copy.write_row(response)
            else:
                cursor.executemany(_insert_sql(Response, RESPONSE_COLUMNS), responses)
        ids = dict(
            Response.objects.filter(
                survey=self.survey, fingerprint__in=[row.fingerprint for row in rows]
            ).values_list("fingerprint", "id")
        )
        if self._postgresql:
            self._copy_answers(rows, ids)
        else:
            self._insert_answers(rows, ids)

    def _converted_answers(self, row: ParsedRow, convert: Callable) -> list:
        """The row's answers, each converted by `convert` once per Answer value."""
        converted = self._converted
        found = []
        for answer in row.answers:
            entry = converted.get(id(answer))
            if entry is None or entry[0] is not answer:
                entry = (answer, convert(answer))
                # Typed texts are seldom shared; the limit keeps them from filling memory.
                if len(converted) < CONVERTED_LIMIT:
                    converted[id(answer)] = entry
            found.append(entry[1])
        return found

    def _insert_answers(self, rows: list[_Prepared], ids: dict[str, int]) -> None:
        answers = []
        for row in rows:
            response = (ids[row.fingerprint],)
            answers.extend([response + columns for columns in row.answers])
        with connection.cursor() as cursor:
            cursor.executemany(_insert_sql(Answer, ANSWER_COLUMNS), answers)

    def _copy_answers(self, rows: list[_Prepared], ids: dict[str, int]) -> None:
        """COPY's text format, written in one piece: fewer calls than a row at a time."""
        lines: list[str] = []
        for row in rows:
            # Each converted answer ends its line, so joining them with the response id
            # puts the id at the start of every line but the first.
            if row.answers:
                prefix = f"{ids[row.fingerprint]}\t"
                lines.append(prefix)
                lines.append(prefix.join(row.answers))
        with connection.cursor() as cursor, cursor.copy(_copy_sql(Answer, ANSWER_COLUMNS)) as copy:
            copy.write("".join(lines))

    def _columns(self, answer: AnswerValue) -> tuple:
        """An answer's columns after the response, as the database driver takes them."""
        return (
            answer.question_id,
            answer.choice_id,
            answer.text,
            None if answer.number is None else self._number(answer.number, *self._digits),
            self._date(answer.date),
            answer.is_other,
        )

    def _copy_line(self, answer: AnswerValue) -> str:
        """The same columns as the rest of a line of COPY's text format."""
        return (
            "\t".join(
                _COPY_NULL if value is None else _copy_text(value)
                for value in self._columns(answer)
            )
            + "\n"
        )


_COPY_NULL = "\\N"
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_text(value) -> str:
    if value is True or value is False:
        return "t" if value else "f"
    return str(value).translate(_COPY_ESCAPES)


def _copy_sql(model, columns: tuple[str, ...]) -> str:
    table = connection.ops.quote_name(model._meta.db_table)
    return f"COPY {table} ({', '.join(columns)}) FROM STDIN"


def _insert_sql(model, columns: tuple[str, ...]) -> str:
    table = connection.ops.quote_name(model._meta.db_table)
    placeholders = ", ".join(["%s"] * len(columns))
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders})"  # noqa: S608


# --- The web upload: a batch goes from preview through confirmation to a task. ------


def _progress_key(batch_id: int) -> str:
    return f"surveys:import-progress:{batch_id}"


def import_batch_create(
    *, survey: Survey, upload: UploadedFile, format: str = AUTO, strict: bool = False, actor=None
) -> tuple[ImportBatch, ImportResult]:
    """Preview an uploaded file and keep it, under a generated name, for confirmation.

    Raises ImportRejected, keeping nothing, when the file is no table of this survey.
    """
    preview = import_preview(survey=survey, source=upload, format=format, strict=strict)
    upload.seek(0)
    batch = ImportBatch(
        survey=survey,
        created_by=actor,
        original_name=(upload.name or "")[:255],
        format=preview.format,
        strict=strict,
        status=ImportBatch.Status.PREVIEW,
        total_rows=preview.total_rows,
        duplicate_rows=preview.duplicates,
        problems=[problem.as_dict() for problem in preview.problems],
    )
    batch.file.save(uuid.uuid4().hex, upload, save=False)
    batch.save()
    return batch, preview


def import_batch_columns(*, batch: ImportBatch) -> list[dict]:
    """The stored file's column → question mapping, read from its header row only."""
    with batch.file.open("rb") as source:
        table = open_table(source)
        plan = Plan(FORMATS[batch.format], table.headers, survey_schema(batch.survey))
        return [column.as_dict() for column in plan.columns]


@transaction.atomic
def import_batch_confirm(*, batch: ImportBatch, actor=None) -> ImportBatch:
    """Queue a previewed batch without problems; the task runs it after this commits."""
    from ..tasks import run_import_batch  # the task module imports this one

    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.status != ImportBatch.Status.PREVIEW or batch.problems:
        return batch
    batch.status = ImportBatch.Status.QUEUED
    batch.save(update_fields=["status"])
    transaction.on_commit(lambda: run_import_batch.enqueue(batch_id=batch.pk))
    return batch


def import_batch_run(*, batch_id: int) -> ImportBatch:
    """Run a queued batch: all of it in one transaction, then record how it went.

    Not atomic itself: the batch's status must outlive a rolled-back import.
    """
    batch = ImportBatch.objects.select_related("survey", "created_by").get(pk=batch_id)
    if batch.status != ImportBatch.Status.QUEUED:
        return batch  # already run: a retried task does nothing twice
    batch.status = ImportBatch.Status.RUNNING
    batch.save(update_fields=["status"])

    def report(processed: int) -> None:
        cache.set(_progress_key(batch_id), processed, timeout=24 * 3600)

    try:
        with batch.file.open("rb") as source:
            response_import(
                survey=batch.survey,
                source=source,
                filename=batch.original_name,
                format=batch.format,
                strict=batch.strict,
                actor=batch.created_by,
                batch=batch,
                progress=report,
            )
    except ImportRejected as rejected:
        _batch_failed(batch, [problem.as_dict() for problem in rejected.result.problems])
    except Exception:
        message = _("Importēšana neizdevās iekšējas kļūdas dēļ; nekas netika saglabāts.")
        _batch_failed(batch, [Problem(None, None, "", message).as_dict()])
        raise
    else:
        # The answers are in the database now; the uploaded copy is no longer needed.
        batch.file.delete(save=True)
    cache.delete(_progress_key(batch_id))
    return batch


def _batch_failed(batch: ImportBatch, problems: list[dict]) -> None:
    batch.status = ImportBatch.Status.FAILED
    batch.problems = problems
    batch.finished_at = timezone.now()
    batch.save(update_fields=["status", "problems", "finished_at"])
    cache.delete(_progress_key(batch.pk))


def import_batch_processed(*, batch: ImportBatch) -> int:
    """Rows processed so far: reported by the running task, else what the batch recorded.

    The running import writes in one transaction that other connections cannot see
    into, so progress travels through the cache (shared between web and worker
    processes when CACHE_URL names a shared cache).
    """
    if batch.status == ImportBatch.Status.RUNNING:
        return cache.get(_progress_key(batch.pk), batch.processed_rows)
    return batch.processed_rows
