"""Numbering of issued documents: one series per unit, document type (its symbol) and term."""

from __future__ import annotations

import secrets

from django.db import IntegrityError, transaction
from django.db.models import Max

from congress.models.reports import IssuedDocument

# Crockford-like alphabet without look-alikes (0/O, 1/I/L), easy to read off paper.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 10

# The symbol of each kind in the number "Số 12-DS/ĐU" (Hướng dẫn 36-HD/VPTW, appendix).
KIND_SYMBOLS = {
    "nominee-list": "DS",
    "personnel-plan": "ĐA",
    "structure-summary": "BC",
    "resume": "LL",
    "ballot-minutes": "BB",
    "planning": "BC",
}


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalize_code(text: str) -> str:
    """What a person typed from paper: case and separators do not matter."""
    return "".join(ch for ch in (text or "").upper() if ch.isalnum())


def document_issue(
    *, kind: str, unit, term: str, data_hash: str, params: dict, user=None
) -> IssuedDocument:
    """Take the next number of the unit's series for this kind and term.

    Two renders at once may read the same maximum; the unique constraint refuses the second
    insert and the loop takes the next number (the savepoint keeps an outer transaction usable).
    """
    series = KIND_SYMBOLS.get(kind, "VB")
    for _ in range(20):
        last = IssuedDocument.objects.filter(unit=unit, series=series, term=term).aggregate(
            n=Max("number")
        )["n"]
        try:
            with transaction.atomic():
                return IssuedDocument.objects.create(
                    code=new_code(),
                    kind=kind,
                    series=series,
                    unit=unit,
                    term=term,
                    number=(last or 0) + 1,
                    data_hash=data_hash,
                    params=params,
                    issued_by=user if user is not None and user.is_authenticated else None,
                )
        except IntegrityError:
            continue
    raise RuntimeError("Không cấp được số văn bản sau nhiều lần thử; vui lòng thử lại.")


def number_text(number: int, kind: str, unit_code_symbol: str) -> str:
    """The "Số 12-DS/ĐU" line (no colon, as in the seed documents)."""
    symbol = KIND_SYMBOLS.get(kind, "VB")
    suffix = f"/{unit_code_symbol}" if unit_code_symbol else ""
    return f"Số {number}-{symbol}{suffix}"
