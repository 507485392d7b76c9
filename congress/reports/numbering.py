"""Numbers and verification codes of documents.

A number runs from 01 through one term for each issuer and document type (HD 36). It is
taken only when the document is issued: the renderer prints the next free number, and the
number becomes the document's in the transaction that stores the finished files
(`document_store`). A render that fails or is killed stores nothing and takes nothing; two
renders that printed the same number meet the unique constraint, and the later one renders
again with the next. A draft prints no number and takes none.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max

from congress.models.reports import IssuedDocument

# Crockford-like alphabet without look-alikes (0/O, 1/I/L), easy to read off paper.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 10


class NumberTaken(Exception):
    """Another document of the same issuer, type and term took the number meanwhile."""


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalize_code(text: str) -> str:
    """What a person typed from paper: case and separators do not matter."""
    return "".join(ch for ch in (text or "").upper() if ch.isalnum())


def next_number(*, issuer: str, series: str, term: str) -> int:
    """The number the next document of this series would take (nothing is reserved)."""
    last = IssuedDocument.objects.filter(issuer=issuer, series=series, term=term).aggregate(
        n=Max("number")
    )["n"]
    return (last or 0) + 1


def document_store(
    *,
    fields: dict[str, Any],
    finish: Callable[[IssuedDocument], None] | None = None,
) -> IssuedDocument:
    """Register a document whose files are written, in one transaction with `finish` (the
    job that asked for it becomes done). Raises `NumberTaken` when its number or code was
    taken meanwhile; nothing is written then."""
    try:
        with transaction.atomic():
            issued = IssuedDocument.objects.create(**fields)
            if finish is not None:
                finish(issued)
            return issued
    except IntegrityError as exc:
        raise NumberTaken(str(exc)) from exc
