"""The web form under load: gunicorn on loopback, PostgreSQL, 20 concurrent respondents.

    uv run python bench/webform_load.py [--clients 20] [--seconds 20] [--workers 5]

Creates (drops first) the database `kopiena_bench_web`, migrates, imports the
reference questionnaire, publishes it as a one-page form, starts gunicorn with
production settings (DEBUG off) on 127.0.0.1, and runs the load: each client
repeatedly GETs the form (for its CSRF token and submission key) and POSTs a
complete valid answer. Reports completed submissions/s, POST latency (p50, p95,
max), errors, and checks that the database holds exactly as many responses as
were acknowledged (HTTP 302 to the thanks page). Targets (issue 2): at least 150
submissions/s, p95 at most 150 ms.
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DATABASE = "kopiena_bench_web"
DATABASE_URL = f"postgres://postgres@127.0.0.1:5432/{DATABASE}"
HOST, PORT = "127.0.0.1", 8391
SLUG = "kopienu-aptauja-slodze"
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
KEY_INPUT = re.compile(r'name="key" value="([^"]+)"')


def environment(static_root: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("KOPIENA_DEV", "DEBUG", "DJANGO_SETTINGS_MODULE")
    }
    env.update(
        {
            "DATABASE_URL": DATABASE_URL,
            "DEBUG": "0",
            "KOPIENA_DEV": "0",
            "SECRET_KEY": "bench-" + "x" * 50,
            "SECURE_SSL_REDIRECT": "0",
            "ALLOWED_HOSTS": HOST,
            "STATIC_ROOT": static_root,
            "DJANGO_SETTINGS_MODULE": "bench.web_settings",
            "LOG_LEVEL": "ERROR",
        }
    )
    return env


def run(command: list[str], env: dict[str, str]) -> None:
    subprocess.run(command, env=env, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)


def django_on_database(env: dict[str, str], database: str, reuse: bool) -> None:
    """Unless reused: drop, create and migrate `database`; then set Django up on `env`."""
    if not reuse:
        psql = ["psql", "-q", "-h", "127.0.0.1", "-U", "postgres", "-d", "postgres", "-c"]
        run([*psql, f"DROP DATABASE IF EXISTS {database}"], env)
        run([*psql, f"CREATE DATABASE {database}"], env)
        run(["uv", "run", "kopiena", "migrate", "--noinput"], env)
    os.environ.update(env)
    import django

    django.setup()


def prepare(env: dict[str, str], reuse: bool) -> dict[str, list[str]]:
    """A fresh database with the reference survey published as one page; its choices."""
    django_on_database(env, DATABASE, reuse)
    from kopiena.surveys.models import Survey
    from kopiena.surveys.selectors import survey_schema
    from kopiena.surveys.services.questionnaires import survey_import_xlsform
    from kopiena.surveys.services.surveys import survey_publish

    if reuse:
        return _choices(survey_schema(Survey.objects.get(slug=SLUG)))
    survey = survey_import_xlsform(
        source=ROOT / "kopiena/surveys/reference/kopienu-aptauja.xlsx",
        filename="kopienu-aptauja.xlsx",
        slug=SLUG,
    )
    Survey.objects.filter(pk=survey.pk).update(paging=Survey.Paging.SINGLE)
    survey_publish(survey=survey)
    return _choices(survey_schema(survey))


def _choices(schema) -> dict[str, list[str]]:
    return {q.name: [c.name for c in q.choices] for q in schema.questions if q.is_choice}


def answer(choices: dict[str, list[str]], rng: random.Random) -> list[tuple[str, str]]:
    """A complete valid answer to the reference questionnaire, as form fields."""
    fields = [("community_name", f"Kopiena {rng.randrange(10**6)}")]
    for name in ("municipality", "population", "years_active", "legal_status", "start_trigger"):
        fields.append((name, rng.choice(choices[name])))
    for name in ("founding_factors", "motivation"):
        fields += [(name, value) for value in rng.sample(choices[name], 2)]
    fields.append(("long_term_factor", "Aktīvs līderis un kopīgs mērķis."))
    fields.append(("active_core", rng.choice(choices["active_core"])))
    fields.append(("municipality_influence", rng.choice(choices["municipality_influence"])))
    support = rng.sample(choices["support_received"], 2)
    fields += [("support_received", value) for value in support]
    if "other" in support:
        fields.append(("support_received_other", "Telpas pasākumiem"))
    involvement = rng.choice(choices["needed_involvement"])
    fields.append(("needed_involvement", involvement))
    if involvement == "other":
        fields.append(("needed_involvement_other", "Regulāras tikšanās"))
    fields.append(("instruments_differ", rng.choice(choices["instruments_differ"])))
    for name in ("instruments_new", "instruments_existing"):
        fields += [(name, value) for value in rng.sample(choices[name], 3)]
    fields.append(("good_practice", "Līdzdalības budžets, kopīga darba grupa."))
    return fields


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.latencies: list[float] = []
        self.acknowledged = 0
        self.errors: dict[str, int] = {}

    def error(self, what: str) -> None:
        with self.lock:
            self.errors[what] = self.errors.get(what, 0) + 1


def exchange(request: bytes) -> tuple[int, str, str]:
    """One request on a new connection, read until gunicorn closes it (sync workers close
    after every response): status, header block, body.

    Raw sockets rather than http.client, which parses every header block with the
    email package: the load generator shares the server's two CPUs, and with
    http.client it took a sixth of them (`top` during a run: 17 % of 200 %).
    """
    with socket.create_connection((HOST, PORT), timeout=30) as sock:
        sock.sendall(request)
        chunks = []
        while data := sock.recv(65536):
            chunks.append(data)
    head, _, body = b"".join(chunks).partition(b"\r\n\r\n")
    return int(head[9:12]), head.decode("latin-1"), body.decode("utf-8", "replace")


def header_values(head: str, name: str) -> list[str]:
    prefix = name.lower() + ":"
    return [
        line.split(":", 1)[1].strip()
        for line in head.split("\r\n")[1:]
        if line.lower().startswith(prefix)
    ]


def client(choices, stats: Stats, deadline: float, limit: int, seed: int) -> None:
    rng = random.Random(seed)
    path = f"/surveys/{SLUG}/"
    get = f"GET {path} HTTP/1.1\r\nHost: {HOST}\r\nConnection: close\r\n\r\n".encode()
    while time.monotonic() < deadline:
        with stats.lock:
            if stats.acknowledged + sum(stats.errors.values()) >= limit:
                return
        try:
            status, head, body = exchange(get)
            if status != 200:
                stats.error(f"GET {status}")
                continue
            cookies = header_values(head, "set-cookie")
            cookie = "; ".join(value.split(";", 1)[0] for value in cookies)
            fields = [
                ("csrfmiddlewaretoken", CSRF_INPUT.search(body).group(1)),
                ("key", KEY_INPUT.search(body).group(1)),
                ("page", "1"),
                ("action", "submit"),
                *answer(choices, rng),
            ]
            payload = urllib.parse.urlencode(fields).encode()
            post = (
                f"POST {path} HTTP/1.1\r\nHost: {HOST}\r\nConnection: close\r\n"
                "Content-Type: application/x-www-form-urlencoded\r\n"
                f"Content-Length: {len(payload)}\r\nCookie: {cookie}\r\n\r\n"
            ).encode() + payload
            started = time.perf_counter()
            status, head, _body = exchange(post)
            elapsed = time.perf_counter() - started
            location = header_values(head, "location")
            if status == 302 and location and location[0].endswith("/thanks/"):
                with stats.lock:
                    stats.acknowledged += 1
                    stats.latencies.append(elapsed)
            else:
                stats.error(f"POST {status}")
        except (OSError, ValueError, AttributeError) as error:
            stats.error(type(error).__name__)


def workers_cpu_seconds(master: int) -> float:
    """CPU time (user + system) used so far by the gunicorn master's worker processes."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    for pid in children:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        total += (int(fields[11]) + int(fields[12])) / ticks
    return total


def wait_for_server(process: subprocess.Popen) -> None:
    for _ in range(200):
        if process.poll() is not None:
            sys.exit("gunicorn exited")
        try:
            connection = http.client.HTTPConnection(HOST, PORT, timeout=1)
            connection.request("GET", f"/surveys/{SLUG}/")
            if connection.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.1)
    sys.exit("gunicorn did not answer")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--limit", type=int, default=20_000, help="at most this many submissions")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--warmup", type=float, default=2.0)
    parser.add_argument("--threads", type=int, default=1, help="gthread threads per worker")
    parser.add_argument(
        "--reuse", action="store_true", help="keep the database of the previous run"
    )
    options = parser.parse_args()

    static_root = tempfile.mkdtemp(prefix="kopiena-bench-static-")
    env = environment(static_root)
    choices = prepare(env, options.reuse)
    gunicorn = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi:application",
            "--bind",
            f"{HOST}:{PORT}",
            "--workers",
            str(options.workers),
            "--worker-class",
            "gthread" if options.threads > 1 else "sync",
            "--threads",
            str(options.threads),
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=ROOT,
    )
    try:
        wait_for_server(gunicorn)
        # Warm-up: every worker loads the form once; these answers are not counted.
        warm = Stats()
        warm_threads = [
            threading.Thread(
                target=client,
                args=(choices, warm, time.monotonic() + options.warmup, 10**9, 1000 + n),
            )
            for n in range(options.clients)
        ]
        for thread in warm_threads:
            thread.start()
        for thread in warm_threads:
            thread.join()

        from kopiena.surveys.models import Response

        before = Response.objects.filter(survey__slug=SLUG).count()
        stats = Stats()
        deadline = time.monotonic() + options.seconds
        threads = [
            threading.Thread(target=client, args=(choices, stats, deadline, options.limit, n))
            for n in range(options.clients)
        ]
        cpu_before = workers_cpu_seconds(gunicorn.pid)
        load_before = os.getloadavg()[0]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        duration = time.perf_counter() - started
        cpu = workers_cpu_seconds(gunicorn.pid) - cpu_before
        load_after = os.getloadavg()[0]
    finally:
        gunicorn.terminate()
        gunicorn.wait(timeout=30)
        shutil.rmtree(static_root, ignore_errors=True)

    stored = Response.objects.filter(survey__slug=SLUG, status="complete").count() - before
    latencies = sorted(stats.latencies)
    p95 = latencies[int(0.95 * (len(latencies) - 1))] if latencies else float("nan")
    rate = stats.acknowledged / duration
    kind = f"gthread x{options.threads}" if options.threads > 1 else "sync"
    print(f"clients {options.clients}, gunicorn {options.workers} {kind} workers, {duration:.1f} s")
    print(f"acknowledged submissions: {stats.acknowledged} ({rate:.1f}/s)")
    if latencies:
        print(
            f"POST latency: p50 {statistics.median(latencies) * 1000:.1f} ms, "
            f"p95 {p95 * 1000:.1f} ms, max {latencies[-1] * 1000:.1f} ms"
        )
    print(f"errors: {sum(stats.errors.values())} {stats.errors or ''}")
    if stats.acknowledged:
        per_submission = cpu / stats.acknowledged * 1000
        print(
            f"gunicorn workers' CPU: {per_submission:.1f} ms per submission (GET + POST), "
            f"i.e. at most {2000 / per_submission:.0f} submissions/s on 2 idle cores "
            "before PostgreSQL and the load generator"
        )
    print(f"load average before/after: {load_before:.1f} / {load_after:.1f}")
    print(f"responses stored: {stored} (acknowledged {stats.acknowledged})")
    ok = stored == stats.acknowledged and not stats.errors and rate >= 150 and p95 <= 0.150
    print("targets met" if ok else "TARGETS NOT MET")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
