"""Bulk import (massline import) into PostgreSQL, as a ratio to PostgreSQL COPY of the same rows.

    .venv/bin/python bench/bench_import.py                 # 200,000 rows (MASSLINE_BENCH_IMPORT_ROWS or argv)
    .venv/bin/python bench/bench_import.py 1000000
    .venv/bin/python bench/bench_import.py --generate FILE N   # only write the CSV (for a manual run)

Input: N rows in the govmsg layout, made from the real messages of ../shared/data/govmsg (attachments 2,
3 and 4) by repetition with perturbation: each copy gets its own id, user, date (shifted by whole days)
and a case number written into its title and text, so no two texts are equal and per-text caching
cannot help. About 60 % carry a reply time and are imported closed.

Database: a throwaway PostgreSQL database on DATABASE_URL's server (default postgresql://127.0.0.1/),
named massline_import_bench_<pid>, created and dropped by this script.

Measured, interleaved (COPY, import as it runs by default, which for a load this size into an empty table
builds the search indexes at the end, COPY, import maintaining the indexes row by row, COPY, import with
classification and duplicate detection), each on the same file: COPY of the raw CSV into a plain table of text columns (the floor any import is judged
against), then ``import_csv`` as ``massline import`` runs it (2 worker processes), into emptied tables.
Printed: rows/s, the ratio to the COPY just before it, our process's CPU seconds, the load average.
"""

from __future__ import annotations

import csv
import os
import random
import resource
import shutil
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from massline.shared_data import shared_data_dir  # noqa: E402

HEADER = ["留言编号", "留言用户", "留言主题", "留言时间", "留言详情", "一级分类", "答复时间"]
SOURCES = [
    "attachment3_hot_issues_4326.csv",
    "attachment2_testset_2801_unlabeled.csv",
    "attachment4_replies_2816.csv",
]


def base_rows() -> list[tuple[str, str, datetime]]:
    from massline.core.text.timestamps import parse_export_time

    rows = []
    for name in SOURCES:
        with open(shared_data_dir() / "govmsg" / name, encoding="utf-8-sig", newline="") as fh:
            for r in csv.DictReader(fh):
                try:
                    at = parse_export_time(r["留言时间"])
                except ValueError:
                    continue
                rows.append((r["留言主题"].strip(), r["留言详情"].strip(), at))
    return rows


def generate(path: Path, n: int, seed: int = 12345) -> None:
    rng = random.Random(seed)
    base = base_rows()
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(HEADER)
        for i in range(n):
            title, text, at = base[i % len(base)]
            at = at + timedelta(days=(i // len(base)) % 700, minutes=rng.randrange(600))
            case = f"（案件{i:07d}）"
            replied = at + timedelta(hours=rng.randrange(1, 400)) if rng.random() < 0.6 else None
            w.writerow(
                [
                    f"B{i:08d}",
                    f"A{rng.randrange(10**8):08d}",
                    title + case,
                    f"{at:%Y/%m/%d %H:%M:%S}",
                    case + text,
                    "",
                    f"{replied:%Y/%m/%d %H:%M:%S}" if replied else "",
                ]
            )


def server_url() -> str:
    """DATABASE_URL when it names a PostgreSQL server (its database is left alone), else the local one."""
    url = os.environ.get("DATABASE_URL", "")
    return (
        url
        if url.startswith(("postgres://", "postgresql://"))
        else "postgresql://root@127.0.0.1:5432/postgres"
    )


def reachable(url: str) -> bool:
    probe = subprocess.run(["psql", "-tA", url, "-c", "SELECT 1"], capture_output=True, text=True)
    return probe.returncode == 0


def with_db(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/" + name))


def psql(url: str, sql: str) -> None:
    subprocess.run(["psql", "-q", "-v", "ON_ERROR_STOP=1", url, "-c", sql], check=True)


def copy_baseline(path: Path) -> float:
    """Seconds to COPY the raw CSV into a plain table (created fresh)."""
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("DROP TABLE IF EXISTS bench_plain_copy")
        cur.execute(
            "CREATE TABLE bench_plain_copy (" + ", ".join(f"c{i} text" for i in range(len(HEADER))) + ")"
        )
    started = time.perf_counter()
    with connection.cursor() as cur, open(path, "rb") as fh:
        with cur.cursor.copy("COPY bench_plain_copy FROM STDIN WITH (FORMAT csv, HEADER true)") as copy:
            while chunk := fh.read(1 << 20):
                copy.write(chunk)
    return time.perf_counter() - started


def empty_tables() -> None:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(
            "TRUNCATE workflow_request, workflow_auditevent, intake_importrun, intake_importedrow "
            "RESTART IDENTITY CASCADE"
        )
        cur.execute("DROP TABLE IF EXISTS bench_plain_copy")
        cur.execute("VACUUM ANALYZE")


def cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def run_import(path: Path, **kw) -> tuple[float, float, Any]:
    from massline.intake.fastimport import Options, import_csv

    c0, started = cpu(), time.perf_counter()
    outcome = import_csv(path, Options(**kw))
    return time.perf_counter() - started, cpu() - c0, outcome


def main(argv: list[str]) -> int:
    if argv[:1] == ["--generate"]:
        generate(Path(argv[1]), int(argv[2]))
        return 0
    n = int(argv[0]) if argv else int(os.environ.get("MASSLINE_BENCH_IMPORT_ROWS", "200000"))
    if not (shared_data_dir() / "govmsg").exists():
        print("bench_import: skipped, ../shared/data/govmsg is missing")
        return 0
    work = ROOT / "var" / "bench_import"
    work.mkdir(parents=True, exist_ok=True)
    csv_path, model = work / f"govmsg_{n}.csv", work / "classifier.model"
    if not csv_path.exists():
        t = time.perf_counter()
        generate(csv_path, n)
        print(
            f"generated {n:,} rows ({csv_path.stat().st_size / 2**20:.0f} MB) in {time.perf_counter() - t:.0f} s"
        )
    if not model.exists():
        subprocess.run(
            [ROOT / ".venv/bin/massline", "train", shared_data_dir() / "govmsg/messages_labeled.csv",
             "--text-column", "message", "--label-column", "category", "-o", model, "--quiet"],
            check=True, stdout=subprocess.DEVNULL,
        )  # fmt: skip
    name = f"massline_import_bench_{os.getpid()}"
    admin = server_url()
    if shutil.which("psql") is None or not reachable(admin):
        print(f"bench_import: skipped, no PostgreSQL server at {urlsplit(admin).hostname} (set DATABASE_URL)")
        return 0
    psql(admin, f"CREATE DATABASE {name}")
    try:
        os.environ["DATABASE_URL"] = with_db(admin, name)
        os.environ["MASSLINE_MODEL_PATH"] = str(model)
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "massline.settings.base")
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0, interactive=False)
        from massline.demo.city import build_city

        build_city()  # the catalogue, so classified rows get their suggested category
        print(f"rows: {n:,}; machine: {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.2f}; db {name}")
        print(f"{'run':<42}{'wall s':>8}{'rows/s':>10}{'vs COPY':>9}{'our CPU s':>11}{'load':>6}")
        variants = [
            ("import", {}),  # the default: search indexes built at the end when the load is large
            ("import --no-defer-search-index", {"defer_search_index": False}),
            ("import --classify --dedupe", {"classify": True, "dedupe": True}),
        ]
        for label, kw in variants:
            empty_tables()
            copy_s = copy_baseline(path=csv_path)
            print(f"{'COPY into a plain table':<42}{copy_s:>8.1f}{n / copy_s:>10,.0f}{'1.00':>9}{'':>11}"
                  f"{os.getloadavg()[0]:>6.2f}")  # fmt: skip
            empty_tables()
            wall, used, out = run_import(csv_path, **kw)
            assert out.imported == n, (out.imported, out.errors[:3])
            ratio = copy_s / wall
            print(
                f"{label:<42}{wall:>8.1f}{n / wall:>10,.0f}{ratio:>9.3f}{used:>11.0f}{os.getloadavg()[0]:>6.2f}"
            )
            parts = ", ".join(f"{k} {v:.0f} s" for k, v in out.seconds.items())
            deferred = "indexes built at the end" if out.indexes_deferred else "indexes maintained"
            print(
                f"{'':<4}main process: {parts}; {deferred}; states {out.states}; near-duplicates {out.duplicates}"
            )
        print("goal: import >= 0.25 of COPY without classification, >= 0.05 with it")
    finally:
        from django.db import connections

        connections.close_all()
        psql(admin, f"DROP DATABASE IF EXISTS {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
