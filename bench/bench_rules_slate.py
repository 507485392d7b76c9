"""Throughput of parse + evaluate on a 30-candidate slate (not collected by pytest).

Run: .venv/bin/python bench/bench_rules_slate.py (also part of `make bench`)
"""

from __future__ import annotations

import json
import random
import sys
import timeit
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from congress.rules.slate import evaluate, evaluate_dict, parse_slate  # noqa: E402


def make_slate(seed: int = 1, n: int = 30) -> dict:
    rnd = random.Random(seed)
    cands = []
    for i in range(n):
        c = {
            "id": f"P{i:02d}",
            "name": f"Nguyễn Văn {i}",
            "sex": rnd.choice(["male", "female"]),
            "birth_date": f"{rnd.randint(1965, 1992)}-{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d}",
            "ethnicity": rnd.choice(["Kinh", "Kinh", "Tày"]),
            "is_local": rnd.random() < 0.5,
            "extended_retirement": False,
            "proposed_posts": ["member"],
            "vetting": "eligible",
            "has_achievement_last_3y": True,
            "tenures": [],
            "relatives": [],
        }
        if i < 3:
            post = ["secretary", "deputy_secretary", "people_committee_chair"][i]
            c["proposed_posts"] = [post]
            c["tenures"] = [
                {"post": post, "unit": "X01", "start": "2012-01-01", "end": "2017-01-01"},
                {"post": post, "unit": "X01", "start": "2017-01-20", "end": None},
            ]
        if i % 10 == 5:
            c["relatives"] = [
                {"id": f"P{i + 1:02d}", "relation": "spouse"},
                {"name": "Trần B", "relation": "sibling", "posts": ["sector:police"]},
            ]
        cands.append(c)
    return {
        "ruleset": "CT45-2025",
        "body": {"level": "commune", "kind": "executive", "seats": 27, "unit": "X01"},
        "incumbents": [f"P{i:02d}" for i in range(0, n, 2)],
        "candidates": cands,
    }


def main() -> None:
    data = json.loads(json.dumps(make_slate()))
    number = 1000
    best = min(timeit.repeat(lambda: evaluate_dict(data), number=number, repeat=7)) / number
    print(f"parse+evaluate: {1 / best:,.0f} slates/s ({best * 1e6:.0f} µs/slate, best of 7)")
    best = min(timeit.repeat(lambda: parse_slate(data), number=number, repeat=7)) / number
    print(f"parse only:     {best * 1e6:.0f} µs/slate")
    slate = parse_slate(data)
    best = min(timeit.repeat(lambda: evaluate(slate), number=number, repeat=7)) / number
    print(f"evaluate only:  {best * 1e6:.0f} µs/slate")


if __name__ == "__main__":
    main()


def run(results: dict) -> None:
    """`evaluate_slate_per_s`: parse + evaluate of a 30-candidate slate, one process."""
    data = json.loads(json.dumps(make_slate()))
    number = 500
    best = min(timeit.repeat(lambda: evaluate_dict(data), number=number, repeat=5)) / number
    results["evaluate_slate_per_s"] = round(1 / best)
