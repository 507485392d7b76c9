"""Server-rendered SVG charts, plain strings: the same markup goes into the web page and into
the PDF (WeasyPrint draws inline SVG itself), so both show the same picture.

Legible on a phone and on a black-and-white printout:
- sans-serif text of at least 12 px (9 pt when printed at the chart's own size: the charts
  are drawn at most 340 px wide, so neither a 390 px phone nor an A4 page scales them down);
- every chart has a legend; the target of a ratio is a labelled vertical line
  ("chỉ tiêu ≥ 15 %");
- a missed target is told apart by a hatched bar and the "(*)" mark next to its value, not
  only by colour, and the legend says what "(*)" means.
"""

from __future__ import annotations

import hashlib
from html import escape

from congress.rules.labels import target_text

FONT = 'font-family="Liberation Sans, Arial, Helvetica, DejaVu Sans, sans-serif"'
TEXT = 12  # px: the smallest text of any chart
TITLE = 13
WIDTH = 340
BAR_OK = "#2f6f3e"
BAR_MISS = "#a33a2c"
TRACK = "#e4e4e4"
TARGET = "#1b1b1b"
MISS_MARK = "(*)"


def _num(value: float) -> str:
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


def _uid(*parts: object) -> str:
    """An id unique to this chart's content (several charts share a page), and the same on
    every render of the same data (PDF output stays byte-identical)."""
    return "c" + hashlib.sha1(repr(parts).encode()).hexdigest()[:10]


def _open(width: float, height: float, label: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="{width:g}" '
        f'height="{height:g}" viewBox="0 0 {width:g} {height:g}" role="img" '
        f'aria-label="{escape(label)}" {FONT} font-size="{TEXT}" fill="#1b1b1b">'
    )


def _hatch(pid: str, colour: str) -> str:
    """Diagonal hatching: a missed target reads as such in black and white."""
    return (
        f'<pattern id="{pid}" width="6" height="6" patternUnits="userSpaceOnUse" '
        f'patternTransform="rotate(45)"><rect width="6" height="6" fill="#ffffff"/>'
        f'<rect width="3" height="6" fill="{colour}"/></pattern>'
    )


def _target_label(row: dict) -> str:
    text = target_text(row.get("target"))
    if text:
        return f"chỉ tiêu {text}"
    lo, hi = row.get("lo"), row.get("hi")
    if lo is not None and hi is not None:
        return f"chỉ tiêu {_num(float(lo))}–{_num(float(hi))} %"
    if lo is not None:
        return f"chỉ tiêu ≥ {_num(float(lo))} %"
    if hi is not None:
        return f"chỉ tiêu ≤ {_num(float(hi))} %"
    return ""


def ratio_bars(rows: list[dict], *, width: int = WIDTH, title: str = "") -> str:
    """One bar per ratio (0–100 %), its target as a labelled vertical line (two for a
    range). Each row: label, percent, lo, hi (either may be None), ok, target (text)."""
    row_h, top = 54, 10 + (TITLE + 8 if title else 0)
    legend_h = 44
    height = top + row_h * len(rows) + legend_h
    pid = _uid("ratio", title, [(r.get("label"), r.get("percent")) for r in rows])
    out = [
        _open(width, height, title or "Biểu đồ tỷ lệ cơ cấu so với chỉ tiêu"),
        f"<defs>{_hatch(pid, BAR_MISS)}</defs>",
    ]
    if title:
        out.append(f'<text x="0" y="{TITLE + 2}" font-size="{TITLE}" font-weight="bold">')
        out.append(f"{escape(title)}</text>")
    for i, row in enumerate(rows):
        y = top + i * row_h
        pct = max(0.0, min(100.0, float(row.get("percent") or 0)))
        ok = row.get("ok", True)
        value = f"{_num(pct)} %" + ("" if ok else f" {MISS_MARK}")
        out.append(f'<text x="0" y="{y + 13}">{escape(row["label"])}</text>')
        out.append(
            f'<text x="{width}" y="{y + 13}" text-anchor="end" font-weight="bold">'
            f"{escape(value)}</text>"
        )
        out.append(f'<rect x="0" y="{y + 19}" width="{width}" height="14" fill="{TRACK}"/>')
        bar_w = width * pct / 100
        if ok:
            out.append(
                f'<rect x="0" y="{y + 19}" width="{bar_w:.1f}" height="14" fill="{BAR_OK}"/>'
            )
        else:
            out.append(
                f'<rect x="0.5" y="{y + 19.5}" width="{max(bar_w - 1, 0):.1f}" height="13" '
                f'fill="url(#{pid})" stroke="{BAR_MISS}" stroke-width="1"/>'
            )
        lo, hi = row.get("lo"), row.get("hi")
        bounds = [float(b) for b in (lo, hi) if b is not None]
        if lo is not None and hi is not None:
            x1, x2 = width * float(lo) / 100, width * float(hi) / 100
            out.append(
                f'<rect x="{x1:.1f}" y="{y + 17}" width="{max(x2 - x1, 1):.1f}" height="18" '
                f'fill="none" stroke="{TARGET}" stroke-dasharray="3,2"/>'
            )
        for bound in bounds:
            x = min(max(width * bound / 100, 1), width - 1)
            out.append(
                f'<line x1="{x:.1f}" y1="{y + 16}" x2="{x:.1f}" y2="{y + 36}" '
                f'stroke="{TARGET}" stroke-width="2"/>'
            )
        label = _target_label(row)
        if label and bounds:
            x = width * bounds[0] / 100
            if x > width - 120:
                anchor, tx = "end", x - 4
            else:
                anchor, tx = "start", x + 4
            out.append(
                f'<text x="{tx:.1f}" y="{y + 48}" text-anchor="{anchor}">{escape(label)}</text>'
            )
    ly = top + row_h * len(rows) + 4
    out.append(f'<rect x="0" y="{ly}" width="14" height="12" fill="{BAR_OK}"/>')
    out.append(f'<text x="20" y="{ly + 11}">Đạt chỉ tiêu</text>')
    out.append(
        f'<rect x="120.5" y="{ly + 0.5}" width="13" height="11" fill="url(#{pid})" '
        f'stroke="{BAR_MISS}"/>'
    )
    out.append(f'<text x="140" y="{ly + 11}">{MISS_MARK} Chưa đạt chỉ tiêu</text>')
    out.append(
        f'<line x1="7" y1="{ly + 20}" x2="7" y2="{ly + 36}" stroke="{TARGET}" stroke-width="2"/>'
    )
    out.append(f'<text x="20" y="{ly + 32}">Vạch đứng: mức chỉ tiêu</text>')
    out.append("</svg>")
    return "".join(out)


AGE_BANDS = (
    (0, 30, "Dưới 30"),
    (30, 35, "30 – 34"),
    (35, 40, "35 – 39"),
    (40, 45, "40 – 44"),
    (45, 50, "45 – 49"),
    (50, 55, "50 – 54"),
    (55, 60, "55 – 59"),
    (60, 200, "Từ 60"),
)


def age_bins(people: list[tuple[int, str]]) -> list[dict]:
    """Counts by age band and sex from (age, sex) pairs; ages come from the engine."""
    bins = [{"label": label, "male": 0, "female": 0} for _, _, label in AGE_BANDS]
    for age, sex in people:
        for i, (lo, hi, _) in enumerate(AGE_BANDS):
            if lo <= age < hi:
                bins[i]["male" if sex == "male" else "female"] += 1
                break
    return bins


def age_pyramid(bins: list[dict], *, width: int = WIDTH, title: str = "") -> str:
    """Age pyramid: men to the left (solid), women to the right (hatched), oldest band on
    top, the count at the end of each bar."""
    row_h, mid_w, top = 22, 70, 10 + (TITLE + 8 if title else 0)
    side = (width - mid_w) / 2
    peak = max([1] + [max(b["male"], b["female"]) for b in bins])
    rows = list(reversed(bins))
    height = top + row_h * len(rows) + 30
    pid = _uid("age", title, [(b["label"], b["male"], b["female"]) for b in bins])
    out = [
        _open(width, height, title or "Tháp tuổi theo giới tính"),
        f"<defs>{_hatch(pid, '#7a2448')}</defs>",
    ]
    if title:
        out.append(f'<text x="0" y="{TITLE + 2}" font-size="{TITLE}" font-weight="bold">')
        out.append(f"{escape(title)}</text>")
    room = side - 26
    for i, b in enumerate(rows):
        y = top + i * row_h
        mw = room * b["male"] / peak
        fw = room * b["female"] / peak
        out.append(
            f'<rect x="{side - mw:.1f}" y="{y + 3}" width="{mw:.1f}" height="16" fill="#2c4a78"/>'
        )
        out.append(
            f'<rect x="{side + mid_w + 0.5:.1f}" y="{y + 3.5}" width="{max(fw - 1, 0):.1f}" '
            f'height="15" fill="url(#{pid})" stroke="#7a2448"/>'
            if b["female"]
            else ""
        )
        out.append(
            f'<text x="{side + mid_w / 2:.1f}" y="{y + 16}" text-anchor="middle">'
            f"{escape(b['label'])}</text>"
        )
        if b["male"]:
            out.append(
                f'<text x="{side - mw - 3:.1f}" y="{y + 16}" text-anchor="end">{b["male"]}</text>'
            )
        if b["female"]:
            out.append(f'<text x="{side + mid_w + fw + 3:.1f}" y="{y + 16}">{b["female"]}</text>')
    ly = top + row_h * len(rows) + 10
    out.append(f'<rect x="{side - 60:.1f}" y="{ly}" width="14" height="12" fill="#2c4a78"/>')
    out.append(f'<text x="{side - 40:.1f}" y="{ly + 11}">Nam</text>')
    out.append(
        f'<rect x="{side + mid_w + 0.5:.1f}" y="{ly + 0.5}" width="13" height="11" '
        f'fill="url(#{pid})" stroke="#7a2448"/>'
    )
    out.append(f'<text x="{side + mid_w + 20:.1f}" y="{ly + 11}">Nữ</text>')
    out.append("</svg>")
    return "".join(out)


def progress_bar(parts: list[tuple[str, int, str]], *, width: int = WIDTH, title: str = "") -> str:
    """One stacked horizontal bar: the lists of a scope by state, with a legend that gives
    each state's count and share. Each part: (label, count, colour)."""
    total = sum(n for _, n, _ in parts) or 1
    top, bar_h = 10 + (TITLE + 8 if title else 0), 26
    height = top + bar_h + 14 + 20 * len(parts)
    out = [_open(width, height, title or "Tiến độ danh sách")]
    if title:
        out.append(f'<text x="0" y="{TITLE + 2}" font-size="{TITLE}" font-weight="bold">')
        out.append(f"{escape(title)}</text>")
    x = 0.0
    for label, n, colour in parts:
        w = width * n / total
        if w > 0:
            out.append(
                f'<rect x="{x:.1f}" y="{top}" width="{w:.1f}" height="{bar_h}" fill="{colour}" '
                f'stroke="#ffffff" stroke-width="1"><title>{escape(label)}: {n}</title></rect>'
            )
        x += w
    y = top + bar_h + 14
    for label, n, colour in parts:
        out.append(f'<rect x="0" y="{y}" width="14" height="12" fill="{colour}"/>')
        out.append(
            f'<text x="20" y="{y + 11}">{escape(label)}: {n} ({_num(100 * n / total)} %)</text>'
        )
        y += 20
    out.append("</svg>")
    return "".join(out)
