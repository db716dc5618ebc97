"""The community directory under load: 5,000 communities on PostgreSQL, gunicorn on loopback.

    uv run python bench/directory_bench.py [--communities 5000] [--clients 10] [--seconds 20]

Creates (drops first) the database `kopiena_bench_directory`, migrates, adds the
communities through the same key computation the services use (folded search key,
ICU Latvian sort key), starts gunicorn with production settings (DEBUG off) on
127.0.0.1 and runs two loads, each with `--clients` concurrent clients:

- directory: the list page, unfiltered or with a filter, on a random page;
- search: the list page with a search word typed without diacritics.

Reports, per load, the server time of each request as gunicorn measured it (%(D)s
in its access log: from reading the request to the last byte written) and the
latency the clients saw, p50/p95/max, and errors. Targets (issue 4): directory
p95 at most 100 ms, search at most 50 ms.
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import shutil
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
from bench import webform_load  # noqa: E402
from bench.webform_load import run  # noqa: E402

DATABASE = "kopiena_bench_directory"
DATABASE_URL = f"postgres://postgres@127.0.0.1:5432/{DATABASE}"
HOST, PORT = "127.0.0.1", 8392

PLACES = [
    "Ķekava",
    "Baloži",
    "Jāņupe",
    "Kažoki",
    "Liepa",
    "Ūdri",
    "Čiekuri",
    "Šķēdes",
    "Ģipka",
    "Āži",
    "Rāmava",
    "Zīles",
    "Priedes",
    "Ozoli",
    "Bērzi",
    "Skujene",
    "Ļaudona",
    "Ņukši",
]
KINDS = ["kopiena", "ciems", "apkaime", "iela", "kvartāls", "biedrība", "kaimiņi", "mežmala"]
SEARCHES = [
    "kekava",
    "baloz",
    "janupe",
    "kazoki",
    "udri",
    "ciekuri",
    "skedes",
    "ciems",
    "apkaime",
    "zile",
    "berzi",
    "laudona",
    "nuksi",
    "kopiena 12",
]


def environment(static_root: str) -> dict[str, str]:
    """The web-form benchmark's production environment, on this benchmark's database."""
    return webform_load.environment(static_root) | {"DATABASE_URL": DATABASE_URL}


def prepare(env: dict[str, str], count: int, reuse: bool) -> list[str]:
    """Fill the database; returns the municipality slugs to filter by."""
    if not reuse:
        psql = ["psql", "-q", "-h", "127.0.0.1", "-U", "postgres", "-d", "postgres", "-c"]
        run([*psql, f"DROP DATABASE IF EXISTS {DATABASE}"], env)
        run([*psql, f"CREATE DATABASE {DATABASE}"], env)
        run(["uv", "run", "kopiena", "migrate", "--noinput"], env)
    os.environ.update(env)
    import django

    django.setup()
    from kopiena.communities.models import (
        ActiveCore,
        Community,
        LegalStatus,
        Population,
        StartTrigger,
    )
    from kopiena.communities.services import community_refresh_keys
    from kopiena.places.models import Municipality

    municipalities = list(Municipality.objects.all())
    if not reuse:
        rng = random.Random(4)
        batch = []
        for n in range(count):
            municipality = rng.choice(municipalities)
            legal = rng.choice(LegalStatus.values)
            community = Community(
                name=f"{rng.choice(PLACES)} {rng.choice(KINDS)} {n}",
                slug=f"bench-{n}",
                municipality=municipality,
                status=rng.choice(Community.Status.values),
                neighbourhood=rng.choice(PLACES),
                population=rng.choice(Population.values),
                founded_year=rng.choice([None, 2005, 2012, 2018, 2021, 2024]),
                legal_status=legal,
                registration_number="40003000642" if legal == "biedriba" else "",
                active_core=rng.choice(ActiveCore.values),
                start_trigger=rng.choice(StartTrigger.values),
                latitude=round(rng.uniform(55.7, 57.9), 5),
                longitude=round(rng.uniform(21.0, 28.0), 5),
            )
            community_refresh_keys(community)
            batch.append(community)
        Community.objects.bulk_create(batch, batch_size=1000)
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return [m.slug for m in municipalities]


def directory_path(rng: random.Random, municipalities: list[str]) -> str:
    query: dict[str, str] = {}
    kind = rng.random()
    if kind < 0.3:
        query["municipality"] = rng.choice(municipalities)
    elif kind < 0.5:
        query["population"] = rng.choice(["lidz_200", "200_1000", "1000_3000", "virs_3000"])
    elif kind < 0.6:
        query["years_active"] = rng.choice(["veidojas", "lidz_3", "3_6", "virs_6"])
        query["legal_status"] = rng.choice(["biedriba", "vajadzigs", "nevajag"])
    query["page"] = str(rng.choice([1, 1, 1, 2, 3, 5, 10, 40, 100, 200]))
    return "/communities/?" + urllib.parse.urlencode(query)


def search_path(rng: random.Random, _municipalities: list[str]) -> str:
    return "/communities/?" + urllib.parse.urlencode({"q": rng.choice(SEARCHES)})


def load(make_path, municipalities, clients: int, seconds: float) -> tuple[list[float], int, int]:
    latencies: list[float] = []
    errors = 0
    requests = 0
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def client(seed: int) -> None:
        nonlocal errors, requests
        rng = random.Random(seed)
        connection = http.client.HTTPConnection(HOST, PORT, timeout=30)
        while time.monotonic() < deadline:
            path = make_path(rng, municipalities)
            started = time.perf_counter()
            try:
                connection.request("GET", path, headers={"Host": HOST})
                response = connection.getresponse()
                response.read()
                ok = response.status == 200
            except (OSError, http.client.HTTPException):
                ok = False
                connection.close()
                connection = http.client.HTTPConnection(HOST, PORT, timeout=30)
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                requests += 1
                if ok:
                    latencies.append(elapsed)
                else:
                    errors += 1
        connection.close()

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, errors, requests


def server_times(log_path: Path, marker: str) -> list[float]:
    """Milliseconds of the requests whose path contains `marker`, from the access log."""
    times = []
    for line in log_path.read_text().splitlines():
        path, _, micros = line.rpartition(" ")
        if marker in path and micros.isdigit():
            times.append(int(micros) / 1000)
    return times


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def summary(name: str, values: list[float]) -> str:
    if not values:
        return f"{name}: no data"
    return (
        f"{name}: n={len(values)} p50={statistics.median(values):.1f} ms "
        f"p95={percentile(values, 0.95):.1f} ms max={max(values):.1f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--communities", type=int, default=5000)
    parser.add_argument("--clients", type=int, default=10)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--reuse", action="store_true", help="keep the existing database")
    args = parser.parse_args()

    static_root = tempfile.mkdtemp(prefix="kopiena-bench-static-")
    log_dir = Path(tempfile.mkdtemp(prefix="kopiena-bench-log-"))
    env = environment(static_root)
    municipalities = prepare(env, args.communities, args.reuse)

    results = {}
    load_before = os.getloadavg()[0]
    for name, make_path, marker in (
        ("directory", directory_path, "page="),
        ("search", search_path, "q="),
    ):
        access_log = log_dir / f"{name}.log"
        server = subprocess.Popen(
            [
                "uv",
                "run",
                "gunicorn",
                "config.wsgi",
                "--bind",
                f"{HOST}:{PORT}",
                "--workers",
                str(args.workers),
                "--preload",
                "--access-logfile",
                str(access_log),
                "--access-logformat",
                "%(U)s?%(q)s %(D)s",
            ],
            env=env,
            cwd=ROOT,
        )
        try:
            for _ in range(300):
                try:
                    http.client.HTTPConnection(HOST, PORT, timeout=1).request("GET", "/health/")
                    break
                except OSError:
                    time.sleep(0.2)
            # Warm every worker (database connection, templates) before measuring.
            load(make_path, municipalities, args.clients, 8)
            access_log.write_text("")
            latencies, errors, requests = load(
                make_path, municipalities, args.clients, args.seconds
            )
            time.sleep(0.5)
        finally:
            server.terminate()
            server.wait(timeout=20)
        results[name] = (server_times(access_log, marker), latencies, errors, requests)

    print(
        f"{args.communities} communities, PostgreSQL, gunicorn {args.workers} sync workers, "
        f"{args.clients} clients, {args.seconds:.0f} s per load, {os.cpu_count()} CPUs, "
        f"load average before/after {load_before:.1f}/{os.getloadavg()[0]:.1f}"
    )
    for name, (server, client, errors, requests) in results.items():
        print(f"[{name}] {requests} requests, {errors} errors, {requests / args.seconds:.0f} req/s")
        print("  " + summary("server time", server))
        print("  " + summary("client latency", client))
    shutil.rmtree(static_root, ignore_errors=True)


if __name__ == "__main__":
    main()
