"""`make bench`: the issue-level benchmarks, on PostgreSQL, into bench/results.json.

Not tests: nothing here asserts a time. Each figure is written as soon as it is measured,
so a step that fails leaves the others (and says why in `errors`).
"""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

DB_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/congress_bench")
STEPS = [
    "bench_rules_slate",
    "bench_seed",
    "bench_recompute",
    "bench_import",
    "bench_pdf",
    "bench_documents",
    "bench_http",
    "bench_load",
]


def ensure_database() -> None:
    name = DB_URL.rsplit("/", 1)[1]
    base = DB_URL.rsplit("/", 1)[0]
    exists = subprocess.run(
        ["psql", base + "/postgres", "-tAc", f"SELECT 1 FROM pg_database WHERE datname='{name}'"],
        capture_output=True,
        text=True,
    ).stdout.strip()
    if exists != "1":
        subprocess.run(["psql", base + "/postgres", "-c", f'CREATE DATABASE "{name}"'], check=True)


def main() -> int:
    only = set(sys.argv[1:])
    ensure_database()
    os.environ["DATABASE_URL"] = DB_URL
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "congress.settings")
    os.environ.pop("REDIS_URL", None)  # tasks in-process: the figures measure our code
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    out = ROOT / "bench" / "results.json"
    results: dict = json.loads(out.read_text()) if out.exists() and only else {}
    results.setdefault("errors", {})
    for step in STEPS:
        if only and step not in only:
            continue
        started = time.perf_counter()
        try:
            module = importlib.import_module(step)
            module.run(results)
            results["errors"].pop(step, None)
        except Exception:
            results["errors"][step] = traceback.format_exc(limit=3)[-1500:]
        print(f"{step}: {time.perf_counter() - started:.1f} s", file=sys.stderr)
        out.write_text(json.dumps(results, indent=2, ensure_ascii=False))
    if not results["errors"]:
        results.pop("errors")
    out.write_text(json.dumps(results, indent=2, ensure_ascii=False))
    print(json.dumps(results, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
