import shutil
import subprocess
from pathlib import Path

import pytest

from tests.reports.scene import build_scene


@pytest.fixture
def scene(db):
    return build_scene()


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.skip(f"cần {name} (apt-get install poppler-utils)")
    return path


def pdftotext(path: Path) -> str:
    return subprocess.run(
        [_tool("pdftotext"), "-layout", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout


def pdftotext_raw(path: Path) -> str:
    return subprocess.run(
        [_tool("pdftotext"), str(path), "-"], capture_output=True, check=True, text=True
    ).stdout


def pdffonts(path: Path) -> list[list[str]]:
    out = subprocess.run(
        [_tool("pdffonts"), str(path)], capture_output=True, check=True, text=True
    ).stdout
    return [line.split() for line in out.splitlines()[2:] if line.strip()]


def pdfinfo(path: Path) -> dict[str, str]:
    out = subprocess.run(
        [_tool("pdfinfo"), str(path)], capture_output=True, check=True, text=True
    ).stdout
    return {k.strip(): v.strip() for k, _, v in (line.partition(":") for line in out.splitlines())}
