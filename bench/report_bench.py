"""Benchmark: the JSON results report, with a segment, of 1,000,000 responses.

    uv run python bench/report_bench.py [--responses 1000000]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kopiena_bench_report \
        uv run python bench/report_bench.py

Creates (or reuses) the database and a survey `bench-report`: the reference
questionnaire, its 17 reference responses, and N generated responses written with
bulk INSERT … SELECT (not timed). Each generated response takes each question's
answer from one of the 17 reference responses, picked by a hash of (response,
question), so every question has the reference's spread of answers without the
rows being copies of one another; an "_other" text follows its choice question.

Then it times, in child processes, `kopiena report bench-report --format json
--segment municipality=kekavas_nov` (wall time and peak memory, ru_maxrss of
RUSAGE_CHILDREN), and in this process the engine's counts alone. For reference it
exports the answers to Parquet and times DuckDB computing the same counts
(`uv pip install duckdb pyarrow`: not a dependency of Kopiena). Finally it times
the PDF and DOCX of the 17-response reference survey.

The command is timed twice over: as installed for production (README: every module's
bytecode compiled at install; this script compiles what is not yet), and with no bytecode
at all, not even the standard library's: the worst case of PYTHONDONTWRITEBYTECODE set
where nothing was compiled, each process compiling every module it imports before it
starts (about 1 s).

Targets (issue 3): ≤ 5 s on PostgreSQL, ≤ 10 s on SQLite, ≤ 300 MB; PDF, DOCX ≤ 3 s.
"""

from __future__ import annotations

import argparse
import compileall
import io
import os
import resource
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_SQLITE = ROOT / "data" / "bench-report.sqlite3"
SLUG = "bench-report"
SMALL_SLUG = "bench-report-reference"
SEGMENT = "municipality=kekavas_nov"


def setup_django() -> None:
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{DEFAULT_SQLITE}")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("KOPIENA_DEV", "1")
    DEFAULT_SQLITE.parent.mkdir(parents=True, exist_ok=True)
    url = os.environ["DATABASE_URL"]
    if url.startswith("postgres"):
        import psycopg

        server, name = url.rsplit("/", 1)
        with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
            found = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if not found.fetchone():
                connection.execute(f'CREATE DATABASE "{name}"')
    import django

    django.setup()


def vendor() -> str:
    from django.db import connection

    return connection.vendor


def reference_survey(slug: str):
    """The reference form and its 17 responses, through the project's own import."""
    from kopiena.surveys.services.questionnaires import survey_import_xlsform
    from tests.reports.reference import add_responses, reference_rows

    form = ROOT / "kopiena" / "surveys" / "reference" / "kopienu-aptauja.xlsx"
    survey = survey_import_xlsform(source=form, filename=form.name, slug=slug)
    add_responses(survey, reference_rows())
    return survey


def _answer_indexes(cursor, postgres: bool) -> list[tuple[str, str]]:
    if postgres:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'surveys_answer' "
            "AND indexname NOT LIKE '%%pkey'"
        )
    else:
        cursor.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' "
            "AND tbl_name = 'surveys_answer' AND sql IS NOT NULL"
        )
    return cursor.fetchall()


def generate(survey, responses: int) -> None:
    """N responses and their answers in two INSERT … SELECT statements, then their
    answer bitsets (`fill_answer_bits`).

    The answers are written response by response, as the web form and the imports
    write them, so that the table's physical order is a real survey's. The answer
    table's secondary indexes are dropped during the load and built again afterwards,
    and foreign keys are not checked row by row (the rows come from rows that already
    satisfy them): loading 25 million rows otherwise takes most of an hour.
    """
    from django.db import connection

    from kopiena.surveys.models import Response
    from kopiena.surveys.selectors import survey_schema

    templates = list(
        Response.objects.filter(survey=survey).order_by("id").values_list("id", flat=True)
    )
    first_generated = max(templates)
    schema = survey_schema(survey)
    # Each question draws its reference response by its own hash; "x_other" follows x.
    owners = {
        question.id: schema.by_name.get(question.name.removesuffix("_other"), question).id
        for question in schema.questions
    }
    postgres = connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        if postgres:
            cursor.execute("SET session_replication_role = replica")
        else:
            cursor.execute("PRAGMA foreign_keys = OFF")
        # The reference answers every generated row copies, in a small table of their own.
        cursor.execute("DROP TABLE IF EXISTS bench_template_answer")
        cursor.execute(
            "CREATE TABLE bench_template_answer AS SELECT response_id, question_id, choice_id, "
            "text, number, date, is_other FROM surveys_answer WHERE response_id <= %s "
            "AND question_id IN (SELECT id FROM surveys_question WHERE survey_id = %s)",
            [first_generated, survey.pk],
        )
        indexes = _answer_indexes(cursor, postgres)
        for name, _definition in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
        if postgres:
            cursor.execute(
                "INSERT INTO surveys_response (survey_id, status, source, created_at, "
                "submitted_at, updated_at, resume_token_hash, fingerprint, external_id) "
                "SELECT %s, 'complete', 'import', ts, ts, ts, '', '', '' FROM ("
                "SELECT now() - (i %% 365) * interval '1 day' AS ts "
                "FROM generate_series(1, %s) i) s",
                [survey.pk, responses],
            )
        else:
            cursor.execute(
                "WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < %s) "
                "INSERT INTO surveys_response (survey_id, status, source, created_at, "
                "submitted_at, updated_at, resume_token_hash, fingerprint, external_id) "
                "SELECT %s, 'complete', 'import', ts, ts, ts, '', '', '' FROM ("
                "SELECT datetime('now', '-' || (i %% 365) || ' days') AS ts FROM s)",
                [responses, survey.pk],
            )
        cursor.execute("DROP TABLE IF EXISTS bench_template")
        cursor.execute("CREATE TABLE bench_template (idx integer, response_id bigint)")
        cursor.executemany("INSERT INTO bench_template VALUES (%s, %s)", list(enumerate(templates)))
        cursor.execute("DROP TABLE IF EXISTS bench_owner")
        cursor.execute("CREATE TABLE bench_owner (question_id bigint, owner_id bigint)")
        cursor.executemany("INSERT INTO bench_owner VALUES (%s, %s)", list(owners.items()))
        cursor.execute(
            "INSERT INTO surveys_answer (response_id, question_id, choice_id, text, number, "
            "date, is_other) "
            "SELECT r.id, a.question_id, a.choice_id, a.text, a.number, a.date, a.is_other "
            "FROM surveys_response r CROSS JOIN bench_owner o "
            "JOIN bench_template t "
            "ON t.idx = ((r.id * 2654435761 + o.owner_id * 40503) %% 1000003) %% %s "
            "JOIN bench_template_answer a ON a.response_id = t.response_id "
            "AND a.question_id = o.question_id "
            "WHERE r.survey_id = %s AND r.id > %s ORDER BY r.id, o.question_id",
            [len(templates), survey.pk, first_generated],
        )
        cursor.execute("DROP TABLE bench_template")
        cursor.execute("DROP TABLE bench_owner")
        cursor.execute("DROP TABLE bench_template_answer")
        for _name, definition in indexes:
            cursor.execute(definition)
        if postgres:
            cursor.execute("SET session_replication_role = DEFAULT")
        else:
            cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("VACUUM ANALYZE" if postgres else "ANALYZE")
    fill_answer_bits(survey)
    if postgres:
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE surveys_response")


def fill_answer_bits(survey) -> None:
    """Store the answer bitset of every generated response, encoded from its answers as
    a report reads a response stored without one."""
    from django.db import connection, transaction

    from kopiena.surveys.models import Response
    from kopiena.surveys.selectors import answer_bitsets_from_answers, survey_schema
    from kopiena.surveys.services.responses import survey_answer_layout

    layout = survey_answer_layout(survey=survey, schema=survey_schema(survey))
    missing = list(
        Response.objects.filter(survey=survey, answer_bits__isnull=True)
        .order_by("id")
        .values_list("id", flat=True)
    )
    update = "UPDATE surveys_response SET answer_bits = %s WHERE id = %s"
    for start in range(0, len(missing), 50_000):
        ids = missing[start : start + 50_000]
        with transaction.atomic(), connection.cursor() as cursor:
            bitsets = answer_bitsets_from_answers(ids, layout)
            cursor.executemany(update, list(zip(bitsets, ids, strict=True)))


def ensure_survey(responses: int):
    from django.core.management import call_command

    from kopiena.surveys.models import Response, Survey

    call_command("migrate", verbosity=0)
    survey = Survey.objects.filter(slug=SLUG).first()
    wanted = responses + 17
    if survey and Response.objects.filter(survey=survey).count() == wanted:
        print(f"reusing {SLUG}: {wanted:,} responses")
        return survey
    if survey:
        raise SystemExit(
            f"{SLUG} has a different number of responses: start from an empty database "
            "(delete the SQLite file or DROP DATABASE) and run again."
        )
    started = time.perf_counter()
    survey = reference_survey(SLUG)
    generate(survey, responses)
    print(f"generated {wanted:,} responses in {time.perf_counter() - started:.0f} s (not timed)")
    if not Survey.objects.filter(slug=SMALL_SLUG).exists():
        reference_survey(SMALL_SLUG)
    return survey


def compile_bytecode() -> None:
    """What `UV_COMPILE_BYTECODE=1 uv sync` and README's compileall give an install."""
    for directory in (sysconfig.get_paths()["purelib"], ROOT / "config", ROOT / "kopiena"):
        compileall.compile_dir(directory, quiet=2, workers=0)


def time_command(slug: str, format: str, runs: int, bytecode: bool) -> tuple[float, float]:
    """Median wall time and peak memory (MB) of `kopiena report` in child processes;
    without `bytecode`, each reads its modules' bytecode from an empty directory."""
    times = []
    output = ROOT / "data" / f"bench-report-output.{format}"
    environment = dict(os.environ)
    if not bytecode:
        empty = tempfile.mkdtemp(prefix="no-bytecode-")
        environment.update(PYTHONPYCACHEPREFIX=empty, PYTHONDONTWRITEBYTECODE="1")
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(
            [
                sys.executable,
                "-m",
                "kopiena",
                "report",
                slug,
                "--format",
                format,
                "--segment",
                SEGMENT,
                "--output",
                str(output),
            ],
            check=True,
            cwd=ROOT,
            env=environment,
        )
        times.append(time.perf_counter() - started)
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return statistics.median(times), peak_mb


def time_counts(survey, runs: int) -> float:
    """The engine's figures alone (every GROUP BY), without writing the open answers."""
    from kopiena.reports.engine import build_report
    from kopiena.reports.selectors import reading_report

    times = []
    for _ in range(runs):
        started = time.perf_counter()
        with reading_report():  # as every caller reads a report
            build_report(survey, segment=tuple(SEGMENT.split("=")))
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def export_parquet(survey, directory: Path) -> Path:
    """The survey's answers, joined to what a report needs, as Parquet (not timed)."""
    import pyarrow as pa
    import pyarrow.parquet as pq
    from django.db import connection

    path = directory / f"bench-report-{connection.vendor}.parquet"
    if path.exists():
        return path
    schema = pa.schema(
        [
            ("response_id", pa.int64()),
            ("question_id", pa.int64()),
            ("choice_id", pa.int64()),
            ("number", pa.float64()),
        ]
    )
    from django.db import transaction

    # chunked_cursor: a server-side cursor on PostgreSQL, so 25 M rows stream.
    with (
        transaction.atomic(),
        connection.chunked_cursor() as cursor,
        pq.ParquetWriter(path, schema) as writer,
    ):
        cursor.execute(
            "SELECT a.response_id, a.question_id, a.choice_id, a.number FROM surveys_answer a "
            "JOIN surveys_response r ON r.id = a.response_id "
            "WHERE r.survey_id = %s AND r.status = 'complete'",
            [survey.pk],
        )
        while rows := cursor.fetchmany(500_000):
            columns = list(zip(*rows, strict=True))
            writer.write_table(
                pa.table(
                    [
                        pa.array(columns[0], pa.int64()),
                        pa.array(columns[1], pa.int64()),
                        pa.array(columns[2], pa.int64()),
                        pa.array(
                            [None if n is None else float(n) for n in columns[3]], pa.float64()
                        ),
                    ],
                    schema=schema,
                )
            )
    return path


def time_duckdb(path: Path, segment_question: int, segment_choice: int, runs: int) -> float:
    """DuckDB computing the same counts: per (question, choice), for everyone and for the
    segment, and respondents per question."""
    import duckdb

    database = duckdb.connect()
    source = f"read_parquet('{path}')"
    queries = [
        f"SELECT question_id, choice_id, count(*) FROM {source} GROUP BY 1, 2",
        f"SELECT question_id, count(DISTINCT response_id) FROM {source} GROUP BY 1",
        f"SELECT a.question_id, a.choice_id, count(*) FROM {source} a SEMI JOIN "
        f"(SELECT response_id FROM {source} WHERE question_id = {segment_question} "
        f"AND choice_id = {segment_choice}) s ON a.response_id = s.response_id GROUP BY 1, 2",
        f"SELECT a.question_id, count(DISTINCT a.response_id) FROM {source} a SEMI JOIN "
        f"(SELECT response_id FROM {source} WHERE question_id = {segment_question} "
        f"AND choice_id = {segment_choice}) s ON a.response_id = s.response_id GROUP BY 1",
        f"SELECT question_id, number, count(*) FROM {source} "
        "WHERE number IS NOT NULL GROUP BY 1, 2",
    ]
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        for query in queries:
            database.execute(query).fetchall()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def time_small_formats(runs: int) -> dict[str, float]:
    """PDF and DOCX of the 17-response reference survey, rendered in this process."""
    from kopiena.reports.engine import build_report
    from kopiena.reports.render import RENDERERS
    from kopiena.surveys.models import Survey

    survey = Survey.objects.get(slug=SMALL_SLUG)
    found = {}
    for format in ("pdf", "docx"):
        RENDERERS[format](build_report(survey), io.BytesIO())  # imports, fonts: warm up
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            report = build_report(survey, segment=tuple(SEGMENT.split("=")))
            RENDERERS[format](report, io.BytesIO())
            times.append(time.perf_counter() - started)
        found[format] = statistics.median(times)
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--responses", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    setup_django()
    from kopiena.surveys.selectors import survey_schema

    survey = ensure_survey(args.responses)
    kind = vendor()
    compile_bytecode()
    cold, _ = time_command(SLUG, "json", args.runs, bytecode=False)
    seconds, peak_mb = time_command(SLUG, "json", args.runs, bytecode=True)
    counts = time_counts(survey, args.runs)
    print(f"{kind}: JSON report with segment: {seconds:.2f} s, peak {peak_mb:.0f} MB")
    print(f"{kind}: the same without compiled bytecode: {cold:.2f} s")
    print(f"{kind}: engine counts alone: {counts:.2f} s")
    try:
        question = survey_schema(survey).by_name["municipality"]
        choice = question.choice_by_name["kekavas_nov"]
        path = export_parquet(survey, ROOT / "data")
        duck = time_duckdb(path, question.id, choice.id, args.runs)
        print(
            f"duckdb (same counts from Parquet): {duck:.2f} s; "
            f"ratio counts {counts / duck:.1f}x, whole JSON report {seconds / duck:.1f}x"
        )
    except ImportError:
        print("duckdb/pyarrow not installed: uv pip install duckdb pyarrow")
    for format, value in time_small_formats(args.runs).items():
        print(f"{kind}: {format.upper()} of the 17-response reference survey: {value:.2f} s")


if __name__ == "__main__":
    main()
