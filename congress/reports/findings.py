"""The engine's findings as a document reports them: summarised for a reader and grouped, with
the names of the people concerned ("3 đồng chí chưa có thành tích …: A, B, C"), never one line
per finding per person (DOCUMENTS.md §5). Plain data in, plain data out.

A group is a dict: `severity` ("error" | "warning"), `text` (the sentence, with the names),
and `notes` (the justifications and approvals recorded for its people, one line each).
"""

from __future__ import annotations

import re
from collections import OrderedDict
from typing import Any

from congress.reports.header import printable
from congress.rules.labels import num


def _names(names: list[str]) -> str:
    return ", ".join(names)


def _count(n: int) -> str:
    return f"{n:02d}" if n < 10 else str(n)


# Per code: the sentence of a group of people. {n} people, {names}, and the rule set's
# parameters ({first_time_min_months}…) and {reference_date}.
PEOPLE_TEXT: dict[str, str] = {
    "PAST_RETIREMENT": "{n} đồng chí đã đến tuổi nghỉ hưu tại thời điểm tính tuổi "
    "({reference_date}): {names}.",
    "AGE_FIRST_TIME": "{n} đồng chí tham gia lần đầu nhưng không đủ tuổi công tác trọn một nhiệm "
    "kỳ (còn dưới {first_time_min_months} tháng tính đến {reference_date}): {names}.",
    "AGE_REELECTION": "{n} đồng chí tái cử nhưng còn dưới {reelection_min_months} tháng công tác "
    "tính đến {reference_date}: {names}.",
    "TERM_LIMIT": "{n} đồng chí đã giữ cùng một chức vụ cấp trưởng từ hai nhiệm kỳ liên tiếp trở "
    "lên: {names}.",
    "VETTING_MISSING": "{n} đồng chí chưa có kết luận về tiêu chuẩn chính trị: {names}.",
    "VETTING_INELIGIBLE": "{n} đồng chí đã được kết luận không đạt tiêu chuẩn chính trị: {names}.",
    "NO_ACHIEVEMENT": "{n} đồng chí chưa có thành tích được ghi nhận trong {achievement_years} "
    "năm gần nhất: {names}.",
    # Planning (Quy định 377-QĐ/TW).
    "PLAN_NOT_HIGHER": "{n} đồng chí được quy hoạch vào chức danh không cao hơn chức danh đang "
    "giữ: {names}.",
    "PLAN_AGE": "{n} đồng chí không đủ tuổi công tác theo quy định để quy hoạch: {names}.",
    "PLAN_PERSON_TOO_MANY_POSTS": "{n} đồng chí được quy hoạch vào quá số chức danh cùng cấp "
    "cho phép: {names}.",
}

# Codes whose findings each describe a distinct case (a pair of relatives, a post with too
# many people, one secretary): one line per case, still under one heading.
CASE_HEADINGS: dict[str, str] = {
    "FAMILY_CONFLICT": "{n} trường hợp có quan hệ gia đình không được đồng thời đảm nhiệm "
    "chức vụ (Quy định 114-QĐ/TW):",
    "LOCAL_SECRETARY": "Về bố trí Bí thư không là người địa phương:",
    "PLAN_TOO_MANY": "{n} chức danh quy hoạch quá số người cho phép:",
}

# Per-person detail appended to a name, from the engine's person rows.
DETAIL = {
    "AGE_FIRST_TIME": lambda p: f"còn {p['months_left']} tháng" if "months_left" in p else "",
    "AGE_REELECTION": lambda p: f"còn {p['months_left']} tháng" if "months_left" in p else "",
}


_CITATION = re.compile(
    r"\s*\((?:Chỉ thị|Quy định|Quyết định|Hướng dẫn|Quy chế)[^()]*(?:\([^()]*\)[^()]*)*\)"
)


def _body_text(message: str) -> str:
    """A finding about the whole body, without the regulation it quotes (the document cites
    the directive once, in its criteria)."""
    text = _CITATION.sub("", message)
    text = re.split(r" theo (?=[A-ZĐ])", text)[0].rstrip(" .;")
    return text + "."


def _first_clause(message: str) -> str:
    """The case itself, without the regulation's wording that follows it."""
    text = message.split(". ")[0].rstrip(".")
    for cut in (" theo Quy định", " theo Chỉ thị", "; trường hợp"):
        text = text.split(cut)[0]
    return text + "."


def group_findings(
    findings: list[dict[str, Any]],
    *,
    names: dict[str, str],
    params: dict[str, Any] | None = None,
    people: dict[str, dict] | None = None,
    unit_names: dict[str, str] | None = None,
) -> list[dict[str, Any]]:
    """Findings (the engine's, with `justification` / `approval` text attached by the caller)
    grouped by code, errors first, in the engine's order within each severity.

    `names` maps a person key to the name printed; `people` the engine's person rows by key
    (for per-person detail such as the months left)."""
    params = {k: num(v) for k, v in (params or {}).items() if v is not None}
    people = people or {}
    groups: OrderedDict[str, dict[str, Any]] = OrderedDict()
    for f in findings:
        code = f["code"]
        g = groups.setdefault(
            code,
            {"code": code, "severity": f["severity"], "people": [], "cases": [], "notes": []},
        )
        if f["severity"] == "error":
            g["severity"] = "error"
        keys = [p for p in f.get("people", []) if p in names]
        for key in keys:
            if key not in g["people"]:
                g["people"].append(key)
        if code in CASE_HEADINGS or (code not in PEOPLE_TEXT):
            case = _first_clause(f["message"]) if keys else _body_text(f["message"])
            g["cases"].append(printable(case, unit_names))
        who = ", ".join(names[k] for k in keys)
        if f.get("justification"):
            about = ", ".join(
                x for x in (who, f"ngày {f['justified_on']}" if f.get("justified_on") else "") if x
            )
            g["notes"].append(f"Giải trình{f' ({about})' if about else ''}: {f['justification']}")
        if f.get("approval"):
            g["notes"].append(
                f"Đã được cấp có thẩm quyền đồng ý{f' ({who})' if who else ''}: {f['approval']}."
            )
        elif f["severity"] == "error" and f.get("needs_approval") and who:
            g.setdefault("pending", []).append(who)
    out = []
    for g in groups.values():
        code = g["code"]
        n = len(g["people"])
        if code in PEOPLE_TEXT and n:
            labels = []
            for key in g["people"]:
                detail = DETAIL.get(code, lambda p: "")(people.get(key, {}))
                labels.append(f"{names[key]} ({detail})" if detail else names[key])
            text = PEOPLE_TEXT[code].format_map(
                _Defaulting(params, n=_count(n), names=_names(labels))
            )
            lines = []
        elif code in CASE_HEADINGS:
            text = CASE_HEADINGS[code].format(n=_count(len(g["cases"])))
            lines = g["cases"]
        else:  # a finding about the whole body (surplus, ratios): its own words
            text = " ".join(g["cases"])
            lines = []
        if g.get("pending"):
            g["notes"].append(
                "Chưa có ý kiến đồng ý của cấp có thẩm quyền: " + "; ".join(g["pending"]) + "."
            )
        out.append({"severity": g["severity"], "text": text, "lines": lines, "notes": g["notes"]})
    out.sort(key=lambda g: g["severity"] != "error")
    return out


class _Defaulting(dict):
    """Format arguments where a missing parameter reads as an empty string."""

    def __missing__(self, key: str) -> str:
        return ""
