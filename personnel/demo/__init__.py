"""Synthetic demo data: `python manage.py seed_demo --scale {tiny,district,province}`.

The seed is a list of steps run in order inside one transaction, each given a shared
`DemoContext`. The registry's steps live here; the whole list, from the registry up to the
congresses, is `congress.demo.STEPS` (the top layer composes the layers below it). To add one,
append a `Step` there with a function taking the context::

    # congress/demo.py
    STEPS = [..., Step("congresses", seed_step), ...]

    # congress/demo.py
    def seed_step(ctx):
        rng = ctx.rng("congresses")        # own stream: earlier steps' data never changes
        commune = ctx.result.communes[0]   # what the registry step created (a SeedResult)
        secretary_id = ctx.result.holder(commune, "secretary")
        ctx.data["congresses"] = ...       # share things with the steps after
        ctx.count("congresses", 12)        # shown in the summary

Every step draws from its own `random.Random` (seeded from the seed and the step name), never
the global one: the same seed gives the same data, and adding a step leaves the data of the
other steps unchanged. Models touched by a new step need nothing in `flush.py` as long as they
reference `PartyUnit` (directly or through a cadre): `flush_registry()` finds them.
"""

from __future__ import annotations

import importlib
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

DEMO_PASSWORD = "Daihoi@2025"
DEFAULT_SEED = 2025
SCALE_NAMES = ("tiny", "district", "province")


@dataclass
class DemoContext:
    scale: str
    seed: int = DEFAULT_SEED
    # Which province of the database this seed builds (`personnel.demo.registry.province`):
    # 1 is the demo's own; a later one is added beside those already there.
    province: int = 1
    password: str = DEMO_PASSWORD
    log: Callable[[str], None] = print
    result: Any = None  # personnel.demo.registry.SeedResult, set by the "registry" step
    users: dict[str, Any] = field(default_factory=dict)  # username -> User
    data: dict[str, Any] = field(default_factory=dict)  # free for later steps
    counts: dict[str, int] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)

    def rng(self, stream: str) -> random.Random:
        """A generator of its own for `stream` (str seeds are hashed deterministically);
        each province its own, province 1's being the one of a one-province demo."""
        suffix = "" if self.province == 1 else f":province-{self.province}"
        return random.Random(f"{self.seed}:{stream}{suffix}")

    def count(self, name: str, value: int) -> None:
        self.counts[name] = self.counts.get(name, 0) + value


@dataclass(frozen=True)
class Step:
    name: str
    func: str | Callable[[DemoContext], None]  # a callable or "package.module.function"

    def resolve(self) -> Callable[[DemoContext], None]:
        if callable(self.func):
            return self.func
        module, _, attr = self.func.rpartition(".")
        return getattr(importlib.import_module(module), attr)


# The registry's own steps: the units, cadres, posts and committees, then the demo users.
REGISTRY_STEPS: list[Step] = [
    Step("registry", "personnel.demo.registry.seed_step"),
    Step("users", "personnel.demo.users.seed_step"),
]


def run_steps(ctx: DemoContext, steps: list[Step]) -> DemoContext:
    for step in steps:
        started = time.perf_counter()
        step.resolve()(ctx)
        ctx.timings[step.name] = time.perf_counter() - started
        ctx.log(f"  {step.name}: {ctx.timings[step.name]:.1f} s")
    return ctx
