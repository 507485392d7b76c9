"""Every official document at province scale (issue 14's closing figures): each kind the
province, a commune and a grassroots unit print, rendered end to end (data from PostgreSQL,
PDF and Word copy, registered as a draft so no number is spent), on the province demo that
`bench_seed` leaves in the bench database.

Writes `documents` into the results: {"<kind>/<level>": {"s": seconds, "pages": n, "rows": n}}.
Run after bench_seed: `.venv/bin/python bench/run.py bench_documents`.
"""

from __future__ import annotations

import io
import time

KINDS_BY_LEVEL = {
    "province": ["nominee-list", "personnel-plan", "structure-summary", "planning"],
    "commune": ["nominee-list", "personnel-plan", "structure-summary", "planning"],
    "grassroots": ["nominee-list", "personnel-plan", "structure-summary"],
}


def _pages(pdf: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(pdf)).pages)


def run(results: dict) -> None:
    from congress.models import NominationRound, NomineeList
    from congress.reports.data import ReportError
    from congress.reports.documents import produce
    from personnel.models import PartyUnit

    out: dict = {}
    province = PartyUnit.objects.filter(level="province").order_by("pk").first()
    units = {"province": province}
    for level in ("commune", "grassroots"):
        # The unit of that level with the longest nominee list: the heaviest document.
        biggest = (
            NomineeList.objects.filter(body__congress__unit__level=level)
            .order_by("-pk")
            .select_related("body__congress__unit")
            .first()
        )
        units[level] = biggest.body.congress.unit if biggest else None
    for level, unit in units.items():
        if unit is None:
            continue
        for kind in KINDS_BY_LEVEL[level]:
            term = "2030-2035" if kind == "planning" else "2025-2030"
            started = time.perf_counter()
            try:
                produced = produce(kind, unit.code, {"term": term, "draft": True})
            except ReportError as exc:
                out[f"{kind}/{level}"] = {"error": str(exc)}
                continue
            elapsed = time.perf_counter() - started
            out[f"{kind}/{level}"] = {
                "s": round(elapsed, 2),
                "pages": _pages(produced.pdf),
                "word_kb": len(produced.docx) // 1024,
            }
    cadre = province.cadres.order_by("pk").first()
    if cadre is not None:
        started = time.perf_counter()
        produced = produce("resume", cadre.unit.code, {"cadre": cadre.pk, "draft": True})
        out["resume/cadre"] = {
            "s": round(time.perf_counter() - started, 2),
            "pages": _pages(produced.pdf),
        }
    rnd = NominationRound.objects.order_by("pk").first()
    if rnd is not None:
        unit = rnd.nominee_list.body.congress.unit
        started = time.perf_counter()
        try:
            produced = produce("ballot-minutes", unit.code, {"round": rnd.pk, "draft": True})
            out[f"ballot-minutes/{unit.level}"] = {
                "s": round(time.perf_counter() - started, 2),
                "pages": _pages(produced.pdf),
            }
        except ReportError as exc:
            out[f"ballot-minutes/{unit.level}"] = {"error": str(exc)}
    results["documents"] = out
