"""Writing many new rows at once: PostgreSQL `COPY`, streamed; `bulk_create` elsewhere.

Rows come in batches, each batch column by column (one list of values per model field):
the text of a batch is then a few joins in C. On PostgreSQL the batches are produced while
the server ingests the previous ones (`copy_expert` reads from a stream that asks for the
next batch on demand), so the caller's own per-batch work costs no wall time beside the
server's. Primary keys are taken from the sequence beforehand, so the caller knows every
new row's id (for its audit rows) without reading the rows back.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator, Sequence
from datetime import date, datetime
from typing import Any

from django.db import connections
from django.db.models import Model

_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})

Batch = dict[str, Sequence[Any]]  # field attname -> values, every list of one length


def is_postgresql(model: type[Model]) -> bool:
    return connections[model.objects.db].vendor == "postgresql"


# Above this many new rows, keys are taken as one block under the table's lock.
BLOCK = 5000


def lock_for_insert(model: type[Model]) -> None:
    """Hold the table's EXCLUSIVE lock until the transaction ends (PostgreSQL): readers go
    on, other writers (and foreign-key checks from other tables) wait for the commit.
    Taken for large imports only, so that a block of primary keys can be drawn at once
    (`reserve_ids`) and nobody adds a conflicting row between the checks and the writing."""
    connection = connections[model.objects.db]
    with connection.cursor() as cursor:
        cursor.execute(
            f"LOCK TABLE {connection.ops.quote_name(model._meta.db_table)} IN EXCLUSIVE MODE"
        )


def reserve_ids(model: type[Model], count: int) -> range | list[int]:
    """`count` fresh primary keys (PostgreSQL). Up to `BLOCK` of them one by one from the
    sequence; more as one consecutive block, the sequence moved past it in one step (a
    hundred thousand `nextval` calls cost more than the rest of the writing), which is
    safe only under `lock_for_insert`."""
    if count <= 0:
        return []
    connection = connections[model.objects.db]
    table, column = model._meta.db_table, model._meta.pk.column
    with connection.cursor() as cursor:
        if count <= BLOCK:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [table, column, count],
            )
            return [row[0] for row in cursor.fetchall()]
        cursor.execute(
            "SELECT setval(seq, nextval(seq) + %s - 1) FROM "
            "(SELECT pg_get_serial_sequence(%s, %s)::regclass AS seq) s",
            [count, table, column],
        )
        last = cursor.fetchone()[0]
    return range(last - count + 1, last + 1)


_SPECIAL = ("\\", "\t", "\n", "\r")


def _text_column(values: Sequence[Any], memo: dict) -> list[str]:
    """A column as COPY text. Whole columns at once where the values allow it (a repeated
    default, texts with nothing to escape, numbers), each distinct date or text converted
    once otherwise."""
    n = len(values)
    if not n:
        return []
    first = values[0]
    if values.count(first) == n:  # a default, or a batch of one value
        return [_text_value(first, memo)] * n
    kinds = set(map(type, values))
    kinds.discard(type(None))
    if kinds == {str}:
        present = [v for v in values if v is not None]
        joined = "\x00".join(present)
        if not any(ch in joined for ch in _SPECIAL):
            return [v if v is not None else "\\N" for v in values]
    elif kinds == {int}:
        return [str(v) if v is not None else "\\N" for v in values]
    if kinds <= {str, date, bool}:  # no two of these types hold equal values
        answers = {v: _text_value(v, memo) for v in set(values)}
        return list(map(answers.__getitem__, values))
    return [_text_value(v, memo) for v in values]


def _text_value(v: Any, memo: dict) -> str:
    t = type(v)
    if v is None:
        return "\\N"
    if t is str:
        text = memo.get(v)
        if text is None:
            text = memo[v] = v.translate(_ESCAPES)
        return text
    if t is bool:
        return "t" if v else "f"
    if t is date or t is datetime:
        return v.isoformat()
    return str(v)


class _Stream:
    """A file-like object for `copy_expert`, fed by a thread that works the batches.

    psycopg2 releases the GIL while it sends, so the next batch is produced (in Python, on
    one core) while the server writes the previous one (on the other). The producer only
    works in Python: the connection is busy copying."""

    def __init__(self, chunks: Iterator[bytes]) -> None:
        self._queue: queue.Queue = queue.Queue(maxsize=2)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._produce, args=(chunks,), daemon=True)
        self._thread.start()

    def _produce(self, chunks: Iterator[bytes]) -> None:
        try:
            for chunk in chunks:
                if not self._put(chunk):
                    return
            self._put(b"")
        except BaseException as exc:  # handed to the copying thread, which raises it
            self._put(exc)

    def _put(self, item: Any) -> bool:
        while not self._stop.is_set():
            try:
                self._queue.put(item, timeout=0.5)
                return True
            except queue.Full:
                continue
        return False

    def read(self, size: int = -1) -> bytes:
        item = self._queue.get()
        if isinstance(item, BaseException):
            raise item
        return item

    readline = read

    def close(self) -> None:
        """Stop the producer (after an error on the server side) and wait for it."""
        self._stop.set()
        self._thread.join()


def insert_batches(
    model: type[Model], batches: Iterator[Batch], *, fields: Sequence[str] | None = None
) -> list[Model] | None:
    """Insert the rows of every batch: COPY on PostgreSQL, `bulk_create` elsewhere. Each
    batch gives the `fields` named (attnames; default every concrete field, the primary
    key included: None elsewhere than PostgreSQL lets the database number them); a field
    left out gets the database's own value (an identity key). Nothing may query the
    database while the batches are produced: on PostgreSQL the connection is busy copying.

    Returns the created objects where `bulk_create` made them (None after a COPY)."""
    connection = connections[model.objects.db]
    concrete = list(model._meta.concrete_fields)
    written = concrete if fields is None else [f for f in concrete if f.attname in fields]
    names = [f.attname for f in written]
    if connection.vendor != "postgresql":
        created: list[Model] = []
        for batch in batches:
            objs = [
                model(**dict(zip(names, row, strict=True)))
                for row in zip(*(batch[a] for a in names), strict=True)
            ]
            created.extend(model.objects.bulk_create(objs))
        return created

    quote = connection.ops.quote_name
    sql = (
        f"COPY {quote(model._meta.db_table)} ({', '.join(quote(f.column) for f in written)}) "
        "FROM STDIN"
    )
    memo: dict[Any, str] = {}

    def chunks() -> Iterator[bytes]:
        for batch in batches:
            if not len(batch[names[0]]):
                continue
            texts = [_text_column(batch[a], memo) for a in names]
            yield ("\n".join(map("\t".join, zip(*texts, strict=True))) + "\n").encode()

    with connection.cursor() as cursor, connection.wrap_database_errors:
        dbapi = cursor.cursor
        if hasattr(dbapi, "copy_expert"):  # psycopg2: reads the stream as it sends
            stream = _Stream(chunks())
            try:
                dbapi.copy_expert(sql, stream, size=1 << 20)
            finally:
                stream.close()
        else:  # psycopg 3
            with dbapi.copy(sql) as copy:
                for chunk in chunks():
                    copy.write(chunk)
    return None
