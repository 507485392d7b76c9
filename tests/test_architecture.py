"""The layout a newcomer reads in docs/architecture.md holds: the engine loads nothing but
the standard library, and the import contract (checked by `make lint`) covers every part of
the congress package."""

import pkgutil
import subprocess
import sys
import tomllib
from pathlib import Path

import congress

ROOT = Path(__file__).resolve().parents[1]


def test_importing_the_engine_loads_no_django_and_no_celery():
    code = (
        "import sys, congress.rules, congress.rules.planning, congress.rules.slate; "
        "print(sorted(m for m in ('django', 'celery', 'kombu') if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "[]"


def test_the_layers_contract_names_every_congress_module_but_the_engine():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    layers = next(c for c in config["contracts"] if c["type"] == "layers")["layers"]
    top = {name.strip() for name in layers[0].split(":")}
    modules = {f"congress.{m.name}" for m in pkgutil.iter_modules(congress.__path__)}
    assert top == modules - {"congress.rules"}
    assert layers[1:] == ["planning", "vetting", "personnel", "congress.rules"]
