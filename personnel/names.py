"""Vietnamese name handling: normalisation, accent-insensitive search keys, sort keys.

Pure functions, no Django: used by models on save, by the importer and by search.
"""

import re
import unicodedata

_SPACES = re.compile(r"\s+")

# The Vietnamese alphabet in dictionary order; ă, â, đ, ê, ô, ơ, ư are letters of their own.
_ALPHABET = "aăâbcdđeêghiklmnoôơpqrstuưvxy"
# Tones are a secondary difference, in dictionary order: none, huyền, hỏi, ngã, sắc, nặng.
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
# Marks that make a distinct letter (breve, circumflex, horn) rather than a tone.
_LETTER_MARKS = {"\u0306", "\u0302", "\u031b"}


def normalize_name(value: str) -> str:
    """NFC, surrounding spaces stripped, inner runs of white space collapsed to one."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", value or "")).strip()


def search_key(value: str) -> str:
    """Lower case, without accents, đ as d: 'Nguyễn Văn Đạt' -> 'nguyen van dat'."""
    text = unicodedata.normalize("NFD", normalize_name(value).lower())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return text.replace("đ", "d")


def _letters(word: str) -> tuple[str, str]:
    """Primary (letters) and secondary (tones) keys of one word, as digit strings.

    Digits only, so that any database collation orders them the same way as Python does.
    """
    primary: list[str] = []
    tones: list[str] = []
    for base_char in unicodedata.normalize("NFC", word.lower()):
        decomposed = unicodedata.normalize("NFD", base_char)
        base, marks = decomposed[0], decomposed[1:]
        tone = 0
        letter_marks = ""
        for mark in marks:
            if mark in _TONES:
                tone = _TONES[mark]
            elif mark in _LETTER_MARKS:
                letter_marks += mark
        letter = unicodedata.normalize("NFC", base + letter_marks)
        index = _ALPHABET.find(letter)
        if index >= 0:
            primary.append(f"{index + 40:02d}")
        elif letter.isdecimal():  # not isdigit(): int("²") fails
            primary.append(f"{int(letter) + 20:02d}")
        else:
            primary.append(f"{ord(letter) % 60 + 70:02d}" if letter.isalpha() else "")
        tones.append(str(tone))
    return "".join(primary), "".join(tones)


def _collate(text: str) -> str:
    words = normalize_name(text).split(" ")
    parts = [_letters(w) for w in words if w]
    primary = "10".join(p for p, _ in parts)
    secondary = "".join(s for _, s in parts)
    return primary + "00" + secondary


def sort_key(full_name: str) -> str:
    """Vietnamese order: by given name (the last word), then by the full name.

    An < Anh < Ánh < Ân; Dũng < Đạt. Stored on the row and indexed, so the database sorts
    with a plain index whatever its collation.
    """
    name = normalize_name(full_name)
    given = name.rsplit(" ", 1)[-1] if name else ""
    return _collate(given) + "01" + _collate(name)
