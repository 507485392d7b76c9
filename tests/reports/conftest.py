import html
import re
import shutil
import subprocess
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from personnel.models import Post, Term
from planning.models import PlanningEntry, PlanningJustification, PlanningList
from tests.reports.scene import build_scene

JUSTIFICATION = (
    "Đồng chí có kinh nghiệm lãnh đạo, cần thiết cho giai đoạn chuyển tiếp đầu nhiệm kỳ."
)


@pytest.fixture(autouse=True)
def _parts_table(db):
    """A long document's parts meet in the database (`congress.reports.fanout`), so every
    render here may use it."""


@pytest.fixture
def scene(db):
    return build_scene()


@pytest.fixture
def plan(scene):
    """Scene cadres planned for 2030-2035: entries are created out of name order on purpose."""
    by_name = {c.full_name: c for c in scene.cadres}
    posts = {p.code: p for p in Post.objects.all()}
    plist = PlanningList.objects.create(
        unit=scene.commune, term=Term.objects.get(code="2030-2035"), state="submitted"
    )

    def add(name, code, **kw):
        return PlanningEntry.objects.create(
            planning_list=plist, cadre=by_name[name], post=posts[code], **kw
        )

    add("Phạm Văn Đức", "secretary", since=date(2025, 10, 1))
    add(
        "Nguyễn Thị Ánh",
        "secretary",
        since=date(2025, 10, 1),
        decision_number="120-QĐ/TU",
        decision_date=date(2025, 10, 1),
    )
    add("Lê Thị Cúc", "deputy_secretary", since=date(2025, 10, 1))
    # The current secretary planned for deputy secretary: PLAN_NOT_HIGHER, left unjustified.
    add("Trần Văn Bảo", "deputy_secretary", since=date(2025, 10, 1))
    # Born 1968: retires before a term's worth of work is left in 2030 (PLAN_AGE), justified.
    hung = add("Đặng Quốc Hưng", "people_committee_chair", since=date(2025, 10, 1))
    PlanningJustification.objects.create(
        planning_list=plist, code="PLAN_AGE", people_key=str(hung.cadre_id), text=JUSTIFICATION
    )
    add(
        "Vũ Minh Khôi",
        "deputy_secretary",
        since=date(2025, 10, 1),
        removed_at=date(2026, 3, 10),
        removed_reason="moved_away",
        removed_note="Điều động về Văn phòng Tỉnh ủy",
    )
    return plist


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


MM = 72 / 25.4  # PDF points per millimetre


@dataclass
class Word:
    page: int
    x0: float
    y0: float
    x1: float
    y1: float
    text: str


@dataclass
class Page:
    number: int
    width: float
    height: float
    words: list[Word]

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)


def pdf_pages(path: Path) -> list[Page]:
    """Every word of every page with its box (pdftotext -bbox), in points from the top left."""
    out = subprocess.run(
        [_tool("pdftotext"), "-bbox", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout
    pages: list[Page] = []
    for m in re.finditer(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', out, re.S):
        n = len(pages) + 1
        words = [
            Word(n, float(a), float(b), float(c), float(d), html.unescape(t))
            for a, b, c, d, t in re.findall(
                r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>',
                m.group(3),
            )
        ]
        pages.append(Page(n, float(m.group(1)), float(m.group(2)), words))
    return pages


def flat_text(path: Path) -> str:
    return " ".join(pdftotext_raw(path).split())


def docx_text(path: Path) -> list[str]:
    """The paragraphs of a Word copy, body and tables in document order."""
    from docx import Document

    doc = Document(str(path))
    out = []
    body = doc.element.body
    for el in body.iter():
        if el.tag.endswith("}p"):
            text = "".join(
                (t.text or "") if t.tag.endswith("}t") else " "
                for t in el.iter()
                if t.tag.endswith(("}t", "}br", "}tab"))
            )
            if text.strip():
                out.append(" ".join(text.split()))
    return out


def render_doc(tmp_path: Path, kind: str, unit: str, *args: str, name: str | None = None):
    """Render a document from the command line: its PDF, its Word copy and its register row."""
    from django.core.management import call_command

    from congress.models import IssuedDocument

    stem = tmp_path / (name or f"{kind}-{unit}")
    pdf, docx = stem.with_suffix(".pdf"), stem.with_suffix(".docx")
    call_command(
        "render_report", kind, "--unit", unit, *args, "--out", str(pdf), "--docx", str(docx)
    )
    return pdf, docx, IssuedDocument.objects.latest("issued_at", "pk")


def docx_cells(path: Path) -> list[str]:
    """The text of every table cell of a Word copy."""
    from docx import Document

    out = []
    for table in Document(str(path)).tables:
        for row in table.rows:
            for cell in row.cells:
                text = " ".join(cell.text.split())
                if text and text not in out:
                    out.append(text)
    return out
