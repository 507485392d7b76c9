"""Renderer-side accelerations of WeasyPrint for the official documents.

A trích ngang repeats the same strings in most cells (sex, ethnicity, education, theory, post,
proposed post, first-time/re-elected, vetting conclusion). WeasyPrint lays out and draws every
cell from scratch: it builds a Pango layout, shapes the text, frees the layout, and builds and
shapes it again to draw. Within one render this module:

1. memoizes the first-line split of a text (`split_first_line`) on the text, every style
   property that reaches Pango, the available width and the flags, so equal cells share one
   layout;
2. keeps a shared layout alive between draws instead of freeing and re-shaping it each time;
3. records the PDF operators a shared layout draws (glyph strings, font sizes) and replays them
   at the next position instead of walking the glyphs again;
4. resolves a box's percentages (margins, paddings, sizes) and a line's strut once per style
   object and containing block, instead of once per box;
5. uses a user-agent stylesheet without the rules no official document can match (form fields,
   `dir` attributes, frames), which every element was matched against.

(The worker also pauses the garbage collector during a render: see `htmlpdf._render`.)

The output is the same PDF, byte for byte: `tests/reports/test_accel.py` renders every document
kind with and without these and compares. The caches live for one render and are dropped after
it; a lock makes renders in one process take turns (WeasyPrint holds the GIL anyway).

Written against WeasyPrint 70 (pinned in requirements.in and requirements.txt). The shortcuts are
optional: with another version installed, or with `PDF_ACCEL=0` (the `PDF_ACCEL` setting, passed
to every render), `rendering()` yields plain `weasyprint.HTML` and patches nothing, and the
system check `congress.W001` says so at startup.
"""

from __future__ import annotations

import threading
from contextlib import contextmanager
from types import MethodType

import tinycss2
import weasyprint
from weasyprint import CSS, HTML

CHECKED_VERSION = "70.0"


def checked() -> bool:
    """Whether the installed WeasyPrint is the one these shortcuts were checked against."""
    return weasyprint.__version__ == CHECKED_VERSION


if checked():
    # The private modules patched below, imported only for the checked version: another one
    # may have moved or renamed them, and must still render (plainly), not fail to import.
    from weasyprint.draw import text as draw_text
    from weasyprint.formatting_structure import boxes
    from weasyprint.html import UA
    from weasyprint.layout import absolute, block, column, flex, grid, inline, page, percent, table
    from weasyprint.layout import float as float_layout
    from weasyprint.text import line_break

    _orig_split = inline.split_first_line
    _orig_strut = line_break.strut
    _orig_resolve_percentages = percent.resolve_percentages
    _LAYOUT_MODULES = (absolute, block, column, flex, float_layout, grid, inline, page, table)
    _orig_draw_first_line = draw_text.draw_first_line
    _orig_reactivate = line_break.Layout.reactivate
    _orig_deactivate = line_break.Layout.deactivate

# Every style property that `split_first_line`, `Layout.setup/set_text` and the text drawing
# read (grep "style['" in weasyprint/text and weasyprint/draw/text.py).
TEXT_PROPERTIES = (
    "direction",
    "font_family",
    "font_feature_settings",
    "font_kerning",
    "font_language_override",
    "font_size",
    "font_stretch",
    "font_style",
    "font_variant_alternates",
    "font_variant_caps",
    "font_variant_east_asian",
    "font_variant_ligatures",
    "font_variant_numeric",
    "font_variant_position",
    "font_variation_settings",
    "font_weight",
    "hyphenate_character",
    "hyphenate_limit_chars",
    "hyphenate_limit_zone",
    "hyphens",
    "lang",
    "letter_spacing",
    "line_height",
    "overflow_wrap",
    "tab_size",
    "text_decoration_line",
    "text_decoration_style",
    "text_decoration_thickness",
    "text_underline_offset",
    "white_space",
    "word_break",
    "word_spacing",
)

# User-agent rules whose selectors mention these can never match an official document.
UA_DROP = (
    "[dir",
    "input",
    "select",
    "button",
    "textarea",
    "fieldset",
    "option",
    "keygen",
    "[frame",
    "[rules",
    "iframe",
    "video",
    "marquee",
    "abbr",
    "acronym",
    "wbr",
    "nobr",
    # Selectors without an element name are matched against every element: the documents
    # use no `hidden` attribute, no links, no footnotes and no list markers.
    "[hidden",
    ":link",
    ":visited",
    "::footnote",
    "::note",
    "::marker",
)

_lock = threading.RLock()
_split_cache: dict | None = None
_style_memo: dict = {}
_installed = False


def _lean_ua() -> CSS:
    kept = []
    for rule in tinycss2.parse_stylesheet(UA, skip_comments=True, skip_whitespace=True):
        if rule.type == "at-rule" and rule.lower_at_keyword == "counter-style":
            # Already in WeasyPrint's UA_COUNTER_STYLE, which every document copies
            # (`HTML._ua_counter_style`). Parsed again, they were written into that global,
            # shared with plain renders, and two of them logged a warning in every process.
            continue
        if rule.type != "qualified-rule":
            kept.append(rule.serialize())
            continue
        selectors, current = [], []
        for token in rule.prelude:
            if token.type == "literal" and token.value == ",":
                selectors.append(tinycss2.serialize(current).strip())
                current = []
            else:
                current.append(token)
        selectors.append(tinycss2.serialize(current).strip())
        useful = [sel for sel in selectors if not any(word in sel for word in UA_DROP)]
        if useful:
            kept.append(", ".join(useful) + " {" + tinycss2.serialize(rule.content) + "}")
    return CSS(string="\n".join(kept))


_LEAN_UA: CSS | None = None


class LeanHTML(HTML):
    """`weasyprint.HTML` with the lean user-agent stylesheet."""

    def _ua_stylesheets(self, forms=False):
        global _LEAN_UA
        if forms:
            return super()._ua_stylesheets(forms)
        if _LEAN_UA is None:
            _LEAN_UA = _lean_ua()
        return [_LEAN_UA]


def _split_first_line(
    text, style, context, max_width, justification_spacing, is_line_start=True, minimum=False
):
    cache = _split_cache
    if cache is None:
        return _orig_split(
            text, style, context, max_width, justification_spacing, is_line_start, minimum
        )
    # The style part of the key is computed once per style object.
    entry = _style_entry(style)
    text_key = entry.get("text")
    if text_key is None:
        text_key = entry["text"] = str(tuple(style[p] for p in TEXT_PROPERTIES))
    key = (
        text,
        text_key,
        max_width,
        justification_spacing,
        is_line_start,
        minimum,
    )
    hit = cache.get(key)
    if hit is None:
        hit = _orig_split(
            text, style, context, max_width, justification_spacing, is_line_start, minimum
        )
        hit[0].shared_ops = {}  # marks the layout as shared; holds its recorded drawings
        cache[key] = hit
    return hit


def _reactivate(self, style):
    if getattr(self, "shared_ops", None) is not None and hasattr(self, "layout"):
        return  # still active from its previous draw: same text, same Pango inputs
    _orig_reactivate(self, style)


def _deactivate(self):
    if getattr(self, "shared_ops", None) is not None and _split_cache is not None:
        return  # kept for the next box that shares it; dropped with the cache
    _orig_deactivate(self)


def _style_entry(style) -> dict:
    """Per-render memo of one style object, kept alive with it so its id stays its own."""
    known = _style_memo.get(id(style))
    if known is None or known[0] is not style:
        known = _style_memo[id(style)] = (style, {})
    return known[1]


def _strut(style):
    if _split_cache is None:
        return _orig_strut(style)
    entry = _style_entry(style)
    result = entry.get("strut")
    if result is None:
        result = entry["strut"] = _orig_strut(style)
    return result


# What `resolve_percentages` sets on a box; it reads nothing but the box's style, its kind,
# the containing block and, for collapsed borders, the border widths already on the box.
_USED_VALUES = (
    "margin_top",
    "margin_right",
    "margin_bottom",
    "margin_left",
    "padding_top",
    "padding_right",
    "padding_bottom",
    "padding_left",
    "width",
    "min_width",
    "max_width",
    "height",
    "min_height",
    "max_height",
    "border_top_width",
    "border_right_width",
    "border_bottom_width",
    "border_left_width",
)
_BORDERS = _USED_VALUES[-4:]


def _resolve_percentages(box, containing_block):
    if _split_cache is None:
        return _orig_resolve_percentages(box, containing_block)
    if isinstance(containing_block, boxes.Box):
        cb = (containing_block.width, containing_block.height)
    else:
        cb = tuple(containing_block)
    attrs = box.__dict__
    key = (
        "percentages",
        isinstance(box, boxes.PageBox),
        cb,
        tuple(attrs.get(name) for name in _BORDERS),
    )
    entry = _style_entry(box.style)
    used = entry.get(key)
    if used is None:
        _orig_resolve_percentages(box, containing_block)
        entry[key] = {name: getattr(box, name) for name in _USED_VALUES}
    else:
        attrs.update(used)
    return None


class _Recorder:
    """Stands in for the page stream while a shared layout is drawn: forwards every call and
    records it, so the same drawing can be replayed at another position."""

    def __init__(self, stream):
        self._stream = stream
        self.ops: list[tuple[str, tuple, dict]] = []

    def __getattr__(self, name):
        target = getattr(self._stream, name)
        if not isinstance(target, MethodType):
            return target  # data, such as the cffi rectangles Pango writes into

        def call(*args, **kwargs):
            self.ops.append((name, args, kwargs))
            return target(*args, **kwargs)

        return call


def _draw_first_line(stream, textbox, text_overflow, block_ellipsis, matrix):
    layout = textbox.pango_layout
    ops_by_text = getattr(layout, "shared_ops", None)
    if ops_by_text is None or _split_cache is None:
        return _orig_draw_first_line(stream, textbox, text_overflow, block_ellipsis, matrix)
    if textbox.justification_spacing or text_overflow != "clip" or block_ellipsis != "none":
        # Ellipsis drawing rewrites the layout's text: draw from a private copy.
        private = object.__new__(line_break.Layout)
        private.__dict__.update(
            (k, v)
            for k, v in layout.__dict__.items()
            if k not in ("layout", "language", "style", "shared_ops")
        )
        _orig_reactivate(private, textbox.style)
        textbox.pango_layout = private
        try:
            return _orig_draw_first_line(stream, textbox, text_overflow, block_ellipsis, matrix)
        finally:
            textbox.pango_layout = layout
    ops = ops_by_text.get(textbox.text)
    if ops is None:
        recorder = _Recorder(stream)
        emojis = _orig_draw_first_line(recorder, textbox, text_overflow, block_ellipsis, matrix)
        matrices = [op for op in recorder.ops if op[0] == "set_text_matrix"]
        if not emojis and len(matrices) == 1 and recorder.ops[0][0] == "set_text_matrix":
            ops_by_text[textbox.text] = recorder.ops
        return emojis
    stream.set_text_matrix(*matrix.values)
    for name, args, kwargs in ops[1:]:
        getattr(stream, name)(*args, **kwargs)
    return []


def install() -> None:
    """Patch WeasyPrint; only `rendering()` calls this, and only for the checked version."""
    global _installed
    with _lock:
        if _installed:
            return
        if not checked():
            raise RuntimeError(
                f"congress.reports.accel was checked against WeasyPrint {CHECKED_VERSION}, "
                f"not {weasyprint.__version__}: re-run tests/reports/test_accel.py and update it"
            )
        inline.split_first_line = _split_first_line
        inline.strut = _strut
        for module in _LAYOUT_MODULES:
            if getattr(module, "resolve_percentages", None) is _orig_resolve_percentages:
                module.resolve_percentages = _resolve_percentages
        draw_text.draw_first_line = _draw_first_line
        line_break.Layout.reactivate = _reactivate
        line_break.Layout.deactivate = _deactivate
        _installed = True


@contextmanager
def rendering(enabled: bool = True):
    """One render; yields the HTML class to render with.

    Accelerated (fresh caches, dropped after) when `enabled` and the installed WeasyPrint is
    the checked one; otherwise plain `weasyprint.HTML`, which makes the same document, slower.
    A system check (`congress/reports/checks.py`) warns at startup when the version differs.
    """
    global _split_cache
    if not (enabled and checked()):
        yield HTML
        return
    install()
    with _lock:
        _split_cache = {}
        try:
            yield LeanHTML
        finally:
            _split_cache = None
            _style_memo.clear()
