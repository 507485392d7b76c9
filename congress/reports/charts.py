"""Server-rendered SVG charts, plain strings: the same markup goes into the web page and into
the PDF (WeasyPrint draws inline SVG itself), so both show the same picture."""

from __future__ import annotations

from html import escape

FONT = "font-family=\"Liberation Serif, 'Times New Roman', serif\""
BAR_OK = "#2f6f3e"
BAR_MISS = "#a33a2c"
TARGET = "#1b1b1b"


def _num(value: float) -> str:
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


def ratio_bars(rows: list[dict], *, width: int = 520, title: str = "") -> str:
    """Horizontal bars, one per ratio (0-100 %), with the target drawn as a vertical line (a
    band for a range). Each row: label, percent, lo, hi (either may be None), ok."""
    label_w, value_w, row_h, top = 190, 56, 24, 8 + (18 if title else 0)
    plot_w = width - label_w - value_w
    height = top + row_h * len(rows) + 20
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(title or "Biểu đồ tỷ lệ cơ cấu")}" {FONT} font-size="11">'
    ]
    if title:
        out.append(f'<text x="0" y="12" font-weight="bold">{escape(title)}</text>')
    for i, row in enumerate(rows):
        y = top + i * row_h
        pct = max(0.0, min(100.0, float(row.get("percent") or 0)))
        bar_w = plot_w * pct / 100
        color = BAR_OK if row.get("ok", True) else BAR_MISS
        out.append(f'<text x="0" y="{y + 15}">{escape(row["label"])}</text>')
        out.append(f'<rect x="{label_w}" y="{y + 4}" width="{plot_w}" height="14" fill="#eeeeee"/>')
        out.append(
            f'<rect x="{label_w}" y="{y + 4}" width="{bar_w:.1f}" height="14" fill="{color}"/>'
        )
        lo, hi = row.get("lo"), row.get("hi")
        if lo is not None and hi is not None:
            x1 = label_w + plot_w * float(lo) / 100
            x2 = label_w + plot_w * float(hi) / 100
            out.append(
                f'<rect x="{x1:.1f}" y="{y + 1}" width="{max(x2 - x1, 1):.1f}" height="20" '
                f'fill="none" stroke="{TARGET}" stroke-dasharray="3,2"/>'
            )
        for bound in (lo, hi):
            if bound is not None:
                x = label_w + plot_w * float(bound) / 100
                out.append(
                    f'<line x1="{x:.1f}" y1="{y + 1}" x2="{x:.1f}" y2="{y + 21}" '
                    f'stroke="{TARGET}" stroke-width="2"/>'
                )
        mark = "" if row.get("ok", True) else " (*)"
        out.append(f'<text x="{label_w + plot_w + 6}" y="{y + 15}">{_num(pct)}%{mark}</text>')
    axis_y = top + row_h * len(rows) + 12
    for tick in (0, 25, 50, 75, 100):
        x = label_w + plot_w * tick / 100
        out.append(
            f'<text x="{x:.1f}" y="{axis_y}" text-anchor="middle" font-size="9">{tick}%</text>'
        )
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


def age_pyramid(bins: list[dict], *, width: int = 420, title: str = "") -> str:
    """Age pyramid: men to the left, women to the right, oldest band on top."""
    row_h, mid_w, top = 20, 64, 8 + (18 if title else 0)
    side = (width - mid_w) / 2
    peak = max([1] + [max(b["male"], b["female"]) for b in bins])
    rows = list(reversed(bins))
    height = top + row_h * len(rows) + 24
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(title or "Tháp tuổi theo giới tính")}" {FONT} font-size="11">'
    ]
    if title:
        out.append(f'<text x="0" y="12" font-weight="bold">{escape(title)}</text>')
    for i, b in enumerate(rows):
        y = top + i * row_h
        mw = (side - 24) * b["male"] / peak
        fw = (side - 24) * b["female"] / peak
        out.append(
            f'<rect x="{side - mw:.1f}" y="{y + 3}" width="{mw:.1f}" height="14" fill="#3b5b8c"/>'
        )
        out.append(
            f'<rect x="{side + mid_w:.1f}" y="{y + 3}" width="{fw:.1f}" height="14" '
            f'fill="#b0476b"/>'
        )
        out.append(
            f'<text x="{side + mid_w / 2:.1f}" y="{y + 14}" text-anchor="middle">'
            f"{escape(b['label'])}</text>"
        )
        if b["male"]:
            out.append(
                f'<text x="{side - mw - 3:.1f}" y="{y + 14}" text-anchor="end">{b["male"]}</text>'
            )
        if b["female"]:
            out.append(f'<text x="{side + mid_w + fw + 3:.1f}" y="{y + 14}">{b["female"]}</text>')
    legend_y = top + row_h * len(rows) + 16
    out.append(f'<text x="{side:.1f}" y="{legend_y}" text-anchor="end">Nam</text>')
    out.append(f'<text x="{side + mid_w:.1f}" y="{legend_y}">Nữ</text>')
    out.append("</svg>")
    return "".join(out)


def progress_bar(parts: list[tuple[str, int, str]], *, width: int = 520, title: str = "") -> str:
    """One stacked horizontal bar: the lists of a scope by state, with a legend.
    Each part: (label, count, colour)."""
    total = sum(n for _, n, _ in parts) or 1
    top, bar_h = 8 + (18 if title else 0), 26
    height = top + bar_h + 16 + 18 * len(parts)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(title or "Tiến độ danh sách")}" {FONT} font-size="11">'
    ]
    if title:
        out.append(f'<text x="0" y="14" font-weight="bold">{escape(title)}</text>')
    x = 0.0
    for label, n, colour in parts:
        w = (width - 2) * n / total
        if w > 0:
            out.append(
                f'<rect x="{x:.1f}" y="{top}" width="{w:.1f}" height="{bar_h}" fill="{colour}">'
                f"<title>{escape(label)}: {n}</title></rect>"
            )
        x += w
    y = top + bar_h + 16
    for label, n, colour in parts:
        out.append(f'<rect x="0" y="{y - 9}" width="10" height="10" fill="{colour}"/>')
        out.append(f'<text x="16" y="{y}">{escape(label)}: {n} ({_num(100 * n / total)}%)</text>')
        y += 18
    out.append("</svg>")
    return "".join(out)
