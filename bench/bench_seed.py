"""Benchmark: flush and seed the `province` scale of the demo data on the current database.

`run(results)` stores `seed_province_s` (float seconds for `seed_demo --scale province --flush`,
flush included). Works from a script that already did django.setup(); standalone::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/seedbench .venv/bin/python bench/bench_seed.py

Warning: it deletes every party unit, cadre and demo user of that database first.
"""

from __future__ import annotations

import os
import sys
import time
from io import StringIO
from pathlib import Path


def run(results: dict) -> None:
    from django.apps import apps

    if not apps.ready:  # called without django.setup()
        import django

        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "congress.settings")
        django.setup()
    from django.core.management import call_command

    out = StringIO()
    started = time.perf_counter()
    call_command("seed_demo", scale="province", flush=True, stdout=out)
    results["seed_province_s"] = round(time.perf_counter() - started, 2)


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    measured: dict = {}
    run(measured)
    print(measured)
