import unicodedata

from personnel.names import normalize_name, search_key, sort_key


def test_given_name_order_follows_the_vietnamese_alphabet_and_tones():
    names = ["Lê Ân", "Phạm Ánh", "Trần Anh", "Vũ An"]
    assert sorted(names, key=sort_key) == ["Vũ An", "Trần Anh", "Phạm Ánh", "Lê Ân"]


def test_d_comes_before_dd():
    assert sorted(["Hoàng Đạt", "Vũ Dũng"], key=sort_key) == ["Vũ Dũng", "Hoàng Đạt"]


def test_same_given_name_sorts_by_full_name():
    names = ["Trần Văn An", "Nguyễn Văn An", "Bùi An"]
    assert sorted(names, key=sort_key) == ["Bùi An", "Nguyễn Văn An", "Trần Văn An"]


def test_tone_order_is_dictionary_order():
    # ngang < huyền < hỏi < ngã < sắc < nặng
    names = ["A Mạ", "A Má", "A Mã", "A Mả", "A Mà", "A Ma"]
    assert sorted(names, key=sort_key) == ["A Ma", "A Mà", "A Mả", "A Mã", "A Má", "A Mạ"]


def test_sort_key_is_digits_only_so_any_collation_agrees():
    assert sort_key("Nguyễn Thị Ánh").isdigit()


def test_normalize_name_is_nfc_with_single_spaces():
    decomposed = unicodedata.normalize("NFD", "  Nguyễn   Văn\tAn ")
    assert normalize_name(decomposed) == "Nguyễn Văn An"
    assert unicodedata.is_normalized("NFC", normalize_name(decomposed))


def test_search_key_drops_accents_and_dd():
    assert search_key("Nguyễn Văn Đạt") == "nguyen van dat"
