"""Charts (issue 15, case 6; issue 14: legible in black and white): sans-serif text of
12 px or more at a width that neither a phone nor an A4 page scales down (12 px is 9 pt in
print), a legend, the target labelled, a miss marked by a pattern and "(*)"."""

import re

from congress.reports import charts

ROWS = [
    {"label": "Cán bộ nữ", "percent": 12.5, "lo": 15, "hi": None, "ok": False, "target": "≥ 15"},
    {"label": "Từ 40 đến 50 tuổi", "percent": 46, "lo": 40, "hi": 50, "ok": True,
     "target": "40-50"},
    {"label": "Trên 50 tuổi", "percent": 30, "lo": None, "hi": None, "ok": True, "target": ""},
]  # fmt: skip


def sizes(svg: str) -> list[float]:
    return [float(s) for s in re.findall(r'font-size="([\d.]+)"', svg)]


def test_every_chart_is_sans_serif_and_no_text_is_below_12px():
    for svg in (
        charts.ratio_bars(ROWS, title="Cơ cấu"),
        charts.age_pyramid(charts.age_bins([(35, "male"), (52, "female")]), title="Tháp tuổi"),
        charts.progress_bar([("Dự thảo", 2, "#999999"), ("Đã trình", 1, "#1849a9")]),
    ):
        assert "sans-serif" in svg and 'serif"' not in svg.replace("sans-serif", "")
        assert min(sizes(svg)) >= 12
        width = float(re.search(r'width="([\d.]+)"', svg).group(1))
        assert width <= 340  # a 390 px phone and an A4 column show it at its own size


def test_the_ratio_chart_explains_itself_without_colour():
    svg = charts.ratio_bars(ROWS)
    assert "12,5 % (*)" in svg  # the miss is marked next to its value
    assert "46 %" in svg and "46 % (*)" not in svg
    assert "(*) Chưa đạt chỉ tiêu" in svg and "Đạt chỉ tiêu" in svg
    assert "Vạch đứng: mức chỉ tiêu" in svg
    assert "chỉ tiêu ≥ 15 %" in svg and "chỉ tiêu 40–50 %" in svg
    # The missed bar is hatched (a pattern), the met one solid.
    assert svg.count('fill="url(#') >= 2 and "<pattern" in svg


def test_two_charts_on_one_page_do_not_share_pattern_ids():
    a = charts.ratio_bars(ROWS, title="Ban chấp hành")
    b = charts.ratio_bars(ROWS[:1], title="Ban thường vụ")
    ids = lambda svg: set(re.findall(r'<pattern id="(\w+)"', svg))  # noqa: E731
    assert ids(a) and not ids(a) & ids(b)
    assert charts.ratio_bars(ROWS, title="Ban chấp hành") == a  # the same data, the same PDF
