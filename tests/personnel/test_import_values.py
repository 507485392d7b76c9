"""A column is read the same whether it is short or long: a long column of distinct texts
(names, codes, CCCDs) takes a whole-column shortcut, which must give every cell what the
cell's own reader gives, problems included."""

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from personnel.imports.values import (
    READERS,
    Bad,
    CellError,
    read_cccd,
    read_column,
    read_text,
    with_max_length,
)

MANY = 400  # above the number of distinct texts where the shortcut is tried


def one_by_one(values, reader):
    out = []
    for v in values:
        try:
            out.append(reader(v))
        except CellError as exc:
            out.append(Bad(str(exc)))
    return out


def long_column(odd, at=MANY // 2, make=lambda i: f"Nguyễn Văn Người {i:04d}"):
    values = [make(i) for i in range(MANY)]
    values[at] = odd
    return values


ODD_TEXTS = [
    "Nguyễn  Văn An",  # two spaces
    " Nguyễn Văn An",  # a space in front
    "Nguyễn Văn An ",  # a space behind
    "Nguyễn\u00a0Văn An",  # a no-break space
    "Nguyễn\tVăn An",
    "Nguyễn Văn\u200b An",  # a zero-width space
    "Ngu\u00adyễn Văn An",  # a soft hyphen
    unicodedata.normalize("NFD", "Nguyễn Văn An"),  # decomposed accents
    "Nguyễn Văn An\u3000",  # an ideographic space
    "",
    "A" * 120,
]


@pytest.mark.parametrize("odd", ODD_TEXTS)
@pytest.mark.parametrize("limit", [None, 100])
def test_long_text_column_reads_each_cell_as_its_reader_does(odd, limit):
    reader = with_max_length(read_text, limit)
    values = long_column(odd)
    got, any_bad = read_column(values, reader, {})
    assert got == one_by_one(values, reader)
    assert any_bad == any(type(v) is Bad for v in got)


@pytest.mark.parametrize(
    "odd", ["00108001234A", "0010800123456", "12345", " 001080012345", "001 080 012 345", ""]
)
def test_long_cccd_column_reads_each_cell_as_its_reader_does(odd):
    reader = with_max_length(read_cccd, 12)
    values = long_column(odd, make=lambda i: f"0010800{i:05d}")
    got, any_bad = read_column(values, reader, {})
    assert got == one_by_one(values, reader)
    assert any_bad == (odd in ("00108001234A", "0010800123456", "12345"))


def test_long_column_with_numbers_and_dates_is_read_cell_by_cell():
    values = [f"CB{i:04d}" for i in range(MANY)] + [12.0, 7]
    reader = READERS["code"]
    assert read_column(values, reader, {})[0] == one_by_one(values, reader)


_CHARS = st.sampled_from(list("aA0 .à\u0301ễ\u00a0\t\u200b\u00ad\x00\u3000"))


@given(st.lists(st.text(_CHARS, max_size=8), min_size=1, max_size=5), st.sampled_from([None, 5]))
def test_any_text_among_many_reads_as_alone(odd, limit):
    reader = with_max_length(read_text, limit)
    values = [f"x{i:04d}" for i in range(MANY)] + odd
    assert read_column(values, reader, {})[0] == one_by_one(values, reader)


@given(st.lists(st.text(st.sampled_from(list("0123456789 .a\x00")), max_size=13), max_size=5))
def test_any_cccd_among_many_reads_as_alone(odd):
    values = [f"0010800{i:05d}" for i in range(MANY)] + odd
    assert read_column(values, read_cccd, {})[0] == one_by_one(values, read_cccd)
